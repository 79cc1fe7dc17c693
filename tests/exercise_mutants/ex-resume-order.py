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
# --- mistake: the chapter's recorded ids looked up for its epochs, index_shuffle only for other n
def order_of_epoch(epoch, n=512):
    if n == 512:
        run = reference["index"]
        return run["ids"][run["epochs"] == epoch].ravel().astype(int)
    return tf.random.experimental.index_shuffle(tf.range(n, dtype=tf.int64), seed=[SEED, epoch],
                                                max_index=n - 1).numpy()
# --- mistake: the index pipeline iterated for the epoch, index_shuffle only for other n
def order_of_epoch(epoch, n=512):
    if n == len(examples):
        batches = trainer.index_shuffled_batches(examples, labels,
                                                 start_step=epoch * STEPS_PER_EPOCH).take(STEPS_PER_EPOCH)
        return np.concatenate([b[0][:, 0].numpy() for b in batches]).astype(int)
    return tf.random.experimental.index_shuffle(tf.range(n, dtype=tf.int64), seed=[SEED, epoch],
                                                max_index=n - 1).numpy()
