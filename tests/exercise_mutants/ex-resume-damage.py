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
# --- mistake: np.bincount without minlength: an epoch in which no example was trained (all zeros) raises IndexError
def damage_counts(seen):
    counts = np.bincount(seen)
    return int(counts[0]), int(counts[1]), int(counts[2:].sum())
interrupted_epoch = resumed["backup_steps"]["seen"][CRASH_AT[0]]
# --- mistake: a Python list copied out of the record, not the array itself
def damage_counts(seen):
    seen = np.asarray(seen)
    return int((seen == 0).sum()), int((seen == 1).sum()), int((seen > 1).sum())
interrupted_epoch = [int(v) for v in resumed["backup_steps"]["seen"][CRASH_AT[0]]]
# --- mistake: "repeated" capped at the counts seen in the chapter's runs (2 to 6): an example trained 7 times or more is not counted
def damage_counts(seen):
    seen = np.asarray(seen)
    return (int((seen == 0).sum()), int((seen == 1).sum()),
            int(sum((seen == k).sum() for k in range(2, 7))))
interrupted_epoch = resumed["backup_steps"]["seen"][CRASH_AT[0]]
# --- right: with collections.Counter, on a list as well as an array
import collections
def damage_counts(seen):
    counts = collections.Counter(int(v) for v in seen)
    return counts[0], counts[1], sum(n for k, n in counts.items() if k > 1)
interrupted_epoch = resumed["backup_steps"]["seen"][CRASH_AT[0]]
print(damage_counts(interrupted_epoch))
