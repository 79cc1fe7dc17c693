# Wrong answers to "Even squares" (00_pipeline_basics); each must fail the check.
# --- mistake: batches of one
even_squares = tf.data.Dataset.range(10).map(lambda x: x * x).filter(lambda x: x % 2 == 0).batch(1)
# --- mistake: the right values in the wrong order
even_squares = tf.data.Dataset.range(9, -1, -1).map(lambda x: x * x).filter(lambda x: x % 2 == 0).batch(2)
# --- mistake: the last, incomplete batch dropped
even_squares = tf.data.Dataset.range(10).map(lambda x: x * x).filter(lambda x: x % 2 == 0).batch(2, drop_remainder=True)
# --- mistake: the right batches typed in, not computed from range(10)
even_squares = tf.data.Dataset.from_tensor_slices(tf.constant([0, 4, 16, 36, 64], tf.int64)).batch(2)
# --- mistake: odd squares kept
even_squares = tf.data.Dataset.range(10).map(lambda x: x * x).filter(lambda x: x % 2 == 1).batch(2)
# --- right: the squares of the even numbers (the same values, in the same order)
even_squares = tf.data.Dataset.range(10).filter(lambda x: x % 2 == 0).map(lambda x: x * x).batch(2)
# --- mistake: a stepped range that skips the odd numbers, with a filter that keeps everything
even_squares = tf.data.Dataset.range(0, 10, 2).map(lambda x: x * x).filter(lambda x: x >= 0).batch(2)
# --- mistake: the even squares typed in, looked up by position behind range(10)
even_squares = (tf.data.Dataset.range(10)
                .map(lambda i: tf.gather(tf.constant([0, -1, 4, -1, 16, -1, 36, -1, 64, -1], tf.int64), i))
                .filter(lambda v: v >= 0)
                .batch(2))
# --- mistake: no parity test: the numbers below 5, their doubles squared
even_squares = (tf.data.Dataset.range(10)
                .filter(lambda x: x < 5)
                .map(lambda x: (2 * x) * (2 * x))
                .batch(2))
# --- mistake: the pipeline emptied with take(0), typed-in values concatenated behind it
even_squares = (tf.data.Dataset.range(10)
                .map(lambda x: x * x)
                .filter(lambda x: x % 2 == 0)
                .batch(2)
                .take(0)
                .concatenate(tf.data.Dataset.from_tensor_slices(tf.constant([0, 4, 16, 36, 64], tf.int64)).batch(2)))
# --- right: the squares computed in float32
even_squares = (tf.data.Dataset.range(10)
                .map(lambda x: tf.square(tf.cast(x, tf.float32)))
                .filter(lambda x: x % 2 == 0)
                .batch(2))
