# Wrong answers to "Count the damage" (06_crash_resume); each must fail the check.
# --- mistake: "repeated" counts only the examples trained exactly twice
def damage_counts(seen):
    seen = np.asarray(seen)
    return int((seen == 0).sum()), int((seen == 1).sum()), int((seen == 2).sum())
interrupted_epoch = resumed["backup_steps"]["seen"][CRASH_AT[0]]
# --- mistake: "once" counts every example trained at least once
def damage_counts(seen):
    seen = np.asarray(seen)
    return int((seen == 0).sum()), int((seen >= 1).sum()), int((seen > 1).sum())
interrupted_epoch = resumed["backup_steps"]["seen"][CRASH_AT[0]]
# --- mistake: the counts of the whole run, not of the interrupted epoch
def damage_counts(seen):
    seen = np.asarray(seen)
    return int((seen == 0).sum()), int((seen == 1).sum()), int((seen > 1).sum())
interrupted_epoch = resumed["backup_steps"]["seen"].sum(axis=0)
# --- mistake: the uninterrupted run's epoch instead of the resumed one
def damage_counts(seen):
    seen = np.asarray(seen)
    return int((seen == 0).sum()), int((seen == 1).sum()), int((seen > 1).sum())
interrupted_epoch = reference["fit"]["seen"][CRASH_AT[0]]
# --- mistake: the epoch after the crash (the last one), not the interrupted one
def damage_counts(seen):
    seen = np.asarray(seen)
    return int((seen == 0).sum()), int((seen == 1).sum()), int((seen > 1).sum())
interrupted_epoch = resumed["backup_steps"]["seen"][-1]
# --- mistake: the run restarted from its epoch backup, not from its step backup
def damage_counts(seen):
    seen = np.asarray(seen)
    return int((seen == 0).sum()), int((seen == 1).sum()), int((seen > 1).sum())
interrupted_epoch = resumed["backup_epoch"]["seen"][CRASH_AT[0]]
# --- mistake: the record rebound to hold the whole run's counts as the interrupted epoch
def damage_counts(seen):
    seen = np.asarray(seen)
    return int((seen == 0).sum()), int((seen == 1).sum()), int((seen > 1).sum())
resumed = {**resumed, "backup_steps": {**resumed["backup_steps"],
                                       "seen": np.repeat(resumed["backup_steps"]["seen"].sum(axis=0)[None], 3, axis=0)}}
interrupted_epoch = resumed["backup_steps"]["seen"][CRASH_AT[0]]
# --- right: with np.bincount
def damage_counts(seen):
    counts = np.bincount(np.asarray(seen), minlength=2)
    return int(counts[0]), int(counts[1]), int(counts[2:].sum())
interrupted_epoch = resumed["backup_steps"]["seen"][CRASH_AT[0]]
