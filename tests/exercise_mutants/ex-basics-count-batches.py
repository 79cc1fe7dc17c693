# Wrong answers to "Counting batches" (00_pipeline_basics); each must fail the check.
# --- mistake: rounded down instead of up for the kept batches
def batch_counts(n, batch_size):
    return n // batch_size, n // batch_size, n - batch_size * (n // batch_size)
# --- mistake: the lost elements counted as the missing part of the last batch
def batch_counts(n, batch_size):
    return -(-n // batch_size), n // batch_size, batch_size - n % batch_size
# --- mistake: drop_remainder thought to drop nothing
def batch_counts(n, batch_size):
    kept = -(-n // batch_size)
    return kept, kept, 0
# --- mistake: "rounded up" as floor + 1, the loss as the batch size minus the last batch's gap (right only when the size does not divide n)
def batch_counts(n, batch_size):
    kept = n // batch_size + 1
    return kept, kept - 1, batch_size - (batch_size * kept - n)
# --- mistake: the answers for 1,000 and 64 typed in, whatever the sizes
def batch_counts(n, batch_size):
    return 16, 15, 40
# --- mistake: not worked out: read off cardinality(), left as tensors
def batch_counts(n, batch_size):
    source = tf.data.Dataset.range(n)
    return (source.batch(batch_size).cardinality(),
            source.batch(batch_size, drop_remainder=True).cardinality(),
            n % batch_size)
# --- mistake: not worked out: read off cardinality() through another name for the dataset class
D = tf.data.Dataset
def batch_counts(n, batch_size):
    source = D.range(n)
    kept = int(source.batch(batch_size).cardinality())
    return kept, n // batch_size, n % batch_size
# --- right: with divmod
def batch_counts(n, batch_size):
    whole, rest = divmod(n, batch_size)
    return whole + (rest > 0), whole, rest
# --- mistake: not worked out: cardinality() read in a helper function defined outside (names_used does not follow calls)
def _batches_of(n, batch_size, drop):
    return int(tf.data.Dataset.range(n).batch(batch_size, drop_remainder=drop).cardinality())
def batch_counts(n, batch_size):
    return _batches_of(n, batch_size, False), _batches_of(n, batch_size, True), n % batch_size
# --- mistake: not worked out: len() of a dataset built from the chapter's dataset's class (no forbidden name appears)
def batch_counts(n, batch_size):
    source = type(thousand).range(n)
    return (len(source.batch(batch_size)), len(source.batch(batch_size, drop_remainder=True)),
            n % batch_size)
# --- mistake: rounded up as round(x + 0.5): banker's rounding gives one batch too few when batch_size divides n an odd number of times
def batch_counts(n, batch_size):
    return round(n / batch_size + 0.5), n // batch_size, n % batch_size
# --- right: math.ceil on true division, imported inside
def batch_counts(n, batch_size):
    import math
    return math.ceil(n / batch_size), n // batch_size, n % batch_size
# --- right: numpy integers from np.divmod
def batch_counts(n, batch_size):
    whole, rest = np.divmod(n, batch_size)
    return whole + (rest > 0), whole, rest
