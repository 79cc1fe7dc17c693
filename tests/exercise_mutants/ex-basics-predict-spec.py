# Wrong answers to "Predict the spec" (00_pipeline_basics); each must fail the check.
# --- mistake: the batch axis unknown despite drop_remainder
def predicted_image_shape(n, batch_size, drop_remainder):
    return (None, 28, 28)
# --- mistake: the batch axis known even without drop_remainder
def predicted_image_shape(n, batch_size, drop_remainder):
    return (batch_size, 28, 28)
# --- mistake: the batch axis forgotten
def predicted_image_shape(n, batch_size, drop_remainder):
    return (28, 28)
# --- mistake: the whole array's first axis
def predicted_image_shape(n, batch_size, drop_remainder):
    return (n, 28, 28)
# --- mistake: known only when the size divides n (the short batch thought to decide it)
def predicted_image_shape(n, batch_size, drop_remainder):
    return (batch_size if drop_remainder or n % batch_size == 0 else None, 28, 28)
# --- mistake: not predicted: the shape read off the pipeline's element_spec
def predicted_image_shape(n, batch_size, drop_remainder):
    return tuple(tf.data.Dataset.from_tensor_slices((np.zeros((n, 28, 28)), np.arange(n)))
                 .batch(batch_size, drop_remainder=drop_remainder).element_spec[0].shape)
# --- mistake: the TensorShape returned, not the tuple asked for
def predicted_image_shape(n, batch_size, drop_remainder):
    return tf.TensorShape([batch_size if drop_remainder else None, 28, 28])
# --- right: a list turned into a tuple
def predicted_image_shape(n, batch_size, drop_remainder):
    shape = [None, 28, 28]
    if drop_remainder:
        shape[0] = batch_size
    return tuple(shape)
# --- mistake: not predicted: element_spec read in a helper defined outside (names_used does not follow calls)
def _spec_of(n, batch_size, drop_remainder):
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((n, 28, 28)), np.arange(n)))
    return tuple(ds.batch(batch_size, drop_remainder=drop_remainder).element_spec[0].shape)
def predicted_image_shape(n, batch_size, drop_remainder):
    return _spec_of(n, batch_size, drop_remainder)
# --- mistake: not predicted: a dataset from the chapter's dataset's class, its spec read by getattr
def predicted_image_shape(n, batch_size, drop_remainder):
    ds = type(thousand).range(n).map(lambda i: tf.zeros((28, 28), tf.float64))
    spec = getattr(ds.batch(batch_size, drop_remainder=drop_remainder), "element_" + "spec")
    return tuple(spec.shape)
# --- right: through a TensorShape, turned into a tuple
def predicted_image_shape(n, batch_size, drop_remainder):
    return tuple(tf.TensorShape([batch_size if drop_remainder else None, 28, 28]))
# --- right: the batch axis worked out with a conditional expression on n too (n does not matter)
def predicted_image_shape(n, batch_size, drop_remainder):
    first = batch_size if drop_remainder else None
    return (first,) + (28, 28)
