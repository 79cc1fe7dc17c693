# Wrong answers to "Predict the spec" (00_pipeline_basics); each must fail the check.
# --- mistake: the batch axis unknown despite drop_remainder
predicted_image_shape = (None, 28, 28)
# --- mistake: the batch axis forgotten
predicted_image_shape = (28, 28)
# --- mistake: the whole array's first axis
predicted_image_shape = (100, 28, 28)
# --- mistake: the TensorShape copied from the element_spec, not the tuple asked for
predicted_image_shape = tf.data.Dataset.from_tensor_slices(
    (np.zeros((100, 28, 28)), np.arange(100))).batch(10, drop_remainder=True).element_spec[0].shape
