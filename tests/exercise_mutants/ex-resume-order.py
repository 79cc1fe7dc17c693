# Wrong answers to "An epoch's order, directly" (06_crash_resume); each must fail the check.
# --- mistake: the same seed in every epoch
def order_of_epoch(epoch, n=512):
    return tf.random.experimental.index_shuffle(tf.range(n, dtype=tf.int64), seed=[SEED, 0],
                                                max_index=n - 1).numpy()
# --- mistake: max_index=n (a permutation of n + 1 numbers)
def order_of_epoch(epoch, n=512):
    return tf.random.experimental.index_shuffle(tf.range(n, dtype=tf.int64), seed=[SEED, epoch],
                                                max_index=n).numpy()
# --- mistake: the seed's parts swapped
def order_of_epoch(epoch, n=512):
    return tf.random.experimental.index_shuffle(tf.range(n, dtype=tf.int64), seed=[epoch, SEED],
                                                max_index=n - 1).numpy()
# --- mistake: always 512 examples, whatever n
def order_of_epoch(epoch, n=512):
    return tf.random.experimental.index_shuffle(tf.range(512, dtype=tf.int64), seed=[SEED, epoch],
                                                max_index=511).numpy()
# --- mistake: a permutation from NumPy, seeded by the epoch
def order_of_epoch(epoch, n=512):
    return np.random.default_rng([SEED, epoch]).permutation(n)
# --- right: one position at a time
def order_of_epoch(epoch, n=512):
    return np.array([int(tf.random.experimental.index_shuffle(tf.constant(i, tf.int64), seed=[SEED, epoch],
                                                              max_index=n - 1)) for i in range(n)])
