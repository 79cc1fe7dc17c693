# Wrong answers to "Two clean epochs" (00_pipeline_basics); each must fail the check.
# --- mistake: repeat before shuffle (the epochs mix)
two_epochs = tf.data.Dataset.range(6).repeat(2).shuffle(12, seed=SEED)
# --- mistake: the same order in both epochs
two_epochs = tf.data.Dataset.range(6).shuffle(6, seed=SEED, reshuffle_each_iteration=False).repeat(2)
# --- mistake: not shuffled at all
two_epochs = tf.data.Dataset.range(6).repeat(2)
# --- mistake: one epoch only
two_epochs = tf.data.Dataset.range(6).shuffle(6, seed=SEED)
# --- mistake: two shuffled epochs typed in
two_epochs = tf.data.Dataset.from_tensor_slices(tf.constant([3, 0, 5, 1, 4, 2, 1, 5, 0, 2, 3, 4], tf.int64))
# --- mistake: an order typed in behind range(12), with shuffle and repeat that do nothing
two_epochs = tf.data.Dataset.range(12).map(lambda i: tf.gather(
    tf.constant([3, 0, 5, 1, 4, 2, 1, 5, 0, 2, 3, 4], tf.int64), i)).shuffle(1, seed=SEED).repeat(1)
# --- mistake: never shuffled: ascending, then descending
two_epochs = tf.data.Dataset.range(6).concatenate(tf.data.Dataset.range(5, -1, -1)).shuffle(1, seed=SEED).repeat(1)
# --- mistake: repeat before shuffle, with a seed hunted until the fixed order keeps the halves apart
import itertools
for lucky_seed in itertools.count():
    two_epochs = tf.data.Dataset.range(6).repeat(2).shuffle(6, seed=lucky_seed, reshuffle_each_iteration=False)
    got = [int(v) for v in two_epochs.as_numpy_iterator()]
    if sorted(got[:6]) == list(range(6)) and sorted(got[6:]) == list(range(6)) and got[:6] != got[6:]:
        break
# --- right: the right order, with a prefetch at the end
two_epochs = tf.data.Dataset.range(6).shuffle(6, seed=SEED).repeat(2).prefetch(tf.data.AUTOTUNE)
