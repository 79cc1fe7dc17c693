# Wrong answers to "How many twice?" (06_crash_resume); each must fail the check.
# --- mistake: every batch done before the crash (the checkpoint is ignored)
def trained_twice(k, done, batch):
    return done * batch
# --- mistake: rounds up to the next save, which never happened
def trained_twice(k, done, batch):
    return -(-done // k) * k * batch
# --- mistake: batches, not examples
def trained_twice(k, done, batch):
    return (done // k) * k
# --- mistake: the batches after the last save (those are lost, not repeated)
def trained_twice(k, done, batch):
    return (done % k) * batch
# --- right: with a loop over the saves
def trained_twice(k, done, batch):
    saved = 0
    while saved + k <= done:
        saved += k
    return saved * batch
