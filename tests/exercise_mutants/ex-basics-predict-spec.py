# Wrong answers to "Predict the spec" (00_pipeline_basics); each must fail the check.
# --- mistake: the batch axis unknown despite drop_remainder
predicted_image_shape = (None, 28, 28)
# --- mistake: the batch axis forgotten
predicted_image_shape = (28, 28)
# --- mistake: the whole array's first axis
predicted_image_shape = (100, 28, 28)
