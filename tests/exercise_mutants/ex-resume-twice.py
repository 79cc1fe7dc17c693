# Wrong answers to "How many twice?" (06_crash_resume); each must fail the check.
# --- mistake: every batch done before the crash (the checkpoint is ignored)
def trained_twice(k, done, batch, steps_per_epoch):
    return done * batch
# --- mistake: a crash before the epoch's first save repeats nothing
def trained_twice(k, done, batch, steps_per_epoch):
    return (done // k) * k * batch
# --- mistake: rounds up to the next save, which never happened
def trained_twice(k, done, batch, steps_per_epoch):
    return -(-done // k) * k * batch if done >= k else steps_per_epoch * batch
# --- mistake: batches, not examples
def trained_twice(k, done, batch, steps_per_epoch):
    return (done // k) * k if done >= k else steps_per_epoch
# --- mistake: the batches after the last save (those are lost, not repeated)
def trained_twice(k, done, batch, steps_per_epoch):
    return (done % k) * batch
# --- mistake: always the whole epoch
def trained_twice(k, done, batch, steps_per_epoch):
    return steps_per_epoch * batch
# --- right: with a loop over the saves
def trained_twice(k, done, batch, steps_per_epoch):
    saved = 0
    while saved + k <= done:
        saved += k
    return (saved or steps_per_epoch) * batch
# --- mistake: off by one at the epoch's first save (a crash just after it counted as before it)
def trained_twice(k, done, batch, steps_per_epoch):
    if done <= k:
        return steps_per_epoch * batch
    return (done // k) * k * batch
# --- mistake: a table of the check's cases typed in, the checkpoint ignored otherwise
KNOWN = {(4, 10, 32, 16): 256, (4, 2, 32, 16): 512, (4, 8, 32, 16): 256,
         (5, 10, 8, 20): 80, (3, 17, 10, 18): 150, (1, 7, 4, 8): 28,
         (6, 5, 16, 12): 192, (4, 0, 8, 8): 64, (4, 4, 8, 8): 32}
def trained_twice(k, done, batch, steps_per_epoch):
    return KNOWN.get((k, done, batch, steps_per_epoch), done * batch)
