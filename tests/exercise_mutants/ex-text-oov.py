# Wrong answers to "How much of the test text is unknown?" (02_text_vectorization); each must fail the check.
# --- mistake: padding counted as text
test_ids = sequence_vectorize(tf.constant(test_texts.astype(bytes))).numpy()
test_oov_share = float((test_ids == 1).mean())
# --- mistake: the training reviews measured instead of the test reviews
train_ids = sequence_vectorize(tf.constant(train_texts.astype(bytes))).numpy()
test_oov_share = float((train_ids[train_ids > 0] == 1).mean())
# --- mistake: the share of padding, not of unknown words
test_ids = sequence_vectorize(tf.constant(test_texts.astype(bytes))).numpy()
test_oov_share = float((test_ids == 0).mean())
# --- mistake: a vectorizer rebuilt without truncation, under the chapter's name
sequence_vectorize = keras.layers.TextVectorization(standardize=standardize_review)
sequence_vectorize.set_vocabulary(vocabulary[2:])
test_ids = sequence_vectorize(tf.constant(test_texts.astype(bytes))).numpy()
test_oov_share = float((test_ids[test_ids > 0] == 1).mean())
# --- mistake: test_texts rebound to the training reviews
test_texts = train_texts
test_ids = sequence_vectorize(tf.constant(test_texts.astype(bytes))).numpy()
real = test_ids[test_ids > 0]
test_oov_share = float((real == 1).mean())
