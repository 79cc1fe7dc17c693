# Wrong answers to "Vectorize a map" (04_timing_prefetch); each must fail the check.
# --- mistake: the per-element pipeline handed in as it is
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 289.0
per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
vectorized = per_element
# --- mistake: the per-element pipeline rebuilt, map still before batch
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 289.0
per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
vectorized = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
# --- mistake: batches of the wrong size
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 289.0
per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
vectorized = tf.data.Dataset.range(1000).batch(10).map(normalize_number)
# --- right: the map on batches with parallel calls
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 289.0
per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
vectorized = tf.data.Dataset.range(1000).batch(100).map(normalize_number, num_parallel_calls=tf.data.AUTOTUNE)
# --- right: the map on batches, then a prefetch
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 289.0
per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
vectorized = tf.data.Dataset.range(1000).batch(100).map(normalize_number).prefetch(tf.data.AUTOTUNE)
# --- mistake: a loop over the numbers inside the batched map (tf.map_fn)
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 289.0
per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
vectorized = tf.data.Dataset.range(1000).batch(100).map(
    lambda batch: tf.map_fn(normalize_number, batch, fn_output_signature=tf.float32))
# --- mistake: a Python loop over the numbers inside the batched map
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 289.0
per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
vectorized = tf.data.Dataset.range(1000).batch(100).map(
    lambda batch: tf.py_function(lambda b: tf.stack([normalize_number(v) for v in b]), [batch], tf.float32))
# --- mistake: a Python loop over the batch, unrolled into the graph
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 289.0
per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
vectorized = tf.data.Dataset.range(1000).batch(100, drop_remainder=True).map(
    lambda batch: tf.stack([normalize_number(batch[i]) for i in range(100)]))
# --- mistake: the work per number hidden in a flat_map before the batch
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 289.0

per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
vectorized = (tf.data.Dataset.range(1000)
              .flat_map(lambda x: tf.data.Dataset.from_tensors(normalize_number(x)))
              .batch(100)
              .map(lambda batch: batch))
# --- mistake: per_element's output collected in Python and batched again
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 289.0

per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
collected = np.concatenate(list(per_element.as_numpy_iterator()))
vectorized = tf.data.Dataset.from_tensor_slices(collected).batch(100).map(lambda batch: batch)
# --- mistake: normalize_number redefined with a typo (298 for 289)
def normalize_number(x):
    return (tf.cast(x, tf.float32) - 500.0) / 298.0

per_element = tf.data.Dataset.range(1000).map(normalize_number).batch(100)
vectorized = tf.data.Dataset.range(1000).batch(100).map(normalize_number)
