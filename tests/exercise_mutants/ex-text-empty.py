# Wrong answers to "Drop empty reviews, and count them" (02_text_vectorization); each must fail the check.
# --- mistake: only white space stripped, markup and punctuation left in
messy = tf.data.Dataset.from_tensor_slices(
    ["Great!", "", "   ", "<br /><br />", "ok, fine", "'", "Too salty."])
non_empty = messy.filter(lambda text: tf.strings.length(tf.strings.strip(text)) > 0)
dropped = int(messy.filter(lambda text: tf.strings.length(tf.strings.strip(text)) == 0)
              .reduce(0, lambda count, _: count + 1))
# --- mistake: the standardized text kept instead of the review
messy = tf.data.Dataset.from_tensor_slices(
    ["Great!", "", "   ", "<br /><br />", "ok, fine", "'", "Too salty."])
non_empty = messy.map(standardize_review).filter(lambda text: tf.strings.length(text) > 0)
dropped = int(messy.map(standardize_review).filter(lambda text: tf.strings.length(text) == 0)
              .reduce(0, lambda count, _: count + 1))
# --- mistake: dropped counted from the kept ones
messy = tf.data.Dataset.from_tensor_slices(
    ["Great!", "", "   ", "<br /><br />", "ok, fine", "'", "Too salty."])
non_empty = messy.filter(lambda text: tf.strings.length(standardize_review(text)) > 0)
dropped = int(non_empty.reduce(0, lambda count, _: count + 1))
