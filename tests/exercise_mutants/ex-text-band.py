# Wrong answers to "A band for another target" (02_text_vectorization); each must fail the check.
# --- mistake: the band chosen on the test reviews
def validation_band(target):
    p = final_model(tf.constant(test_texts.astype(bytes))).numpy()[:, 0]
    return narrowest_band(p, test_labels, target)

def test_answers(band):
    p = final_model(tf.constant(test_texts.astype(bytes))).numpy()[:, 0]
    return accuracy_and_coverage(p, test_labels, band)

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
# --- mistake: the band chosen with the final model, which was fitted on the validation reviews
def validation_band(target):
    texts = tf.constant(train_texts[val_idx].astype(bytes))
    p = final_model(texts).numpy()[:, 0]
    return narrowest_band(p, train_labels[val_idx], target)

def test_answers(band):
    p = final_model(tf.constant(test_texts.astype(bytes))).numpy()[:, 0]
    return accuracy_and_coverage(p, test_labels, band)

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
# --- mistake: the answers judged on the validation reviews, not the test reviews
def validation_band(target):
    texts = tf.constant(train_texts[val_idx].astype(bytes))
    p = bag_model(texts).numpy()[:, 0]
    return narrowest_band(p, train_labels[val_idx], target)

def test_answers(band):
    texts = tf.constant(train_texts[val_idx].astype(bytes))
    p = bag_model(texts).numpy()[:, 0]
    return accuracy_and_coverage(p, train_labels[val_idx], band)

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
# --- mistake: the first band that reaches the target, though a wider one dips below it
def validation_band(target):
    texts = tf.constant(train_texts[val_idx].astype(bytes))
    p = bag_model(texts).numpy()[:, 0]
    for h in HALF_WIDTHS:
        if accuracy_and_coverage(p, train_labels[val_idx], h)[0] >= target:
            return float(h)

def test_answers(band):
    p = final_model(tf.constant(test_texts.astype(bytes))).numpy()[:, 0]
    return accuracy_and_coverage(p, test_labels, band)

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
# --- mistake: the values typed in from the solution's run
def validation_band(target):
    return 0.13

def test_answers(band):
    return 0.873, 0.761

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
# --- mistake: coverage and accuracy swapped
def validation_band(target):
    texts = tf.constant(train_texts[val_idx].astype(bytes))
    p = bag_model(texts).numpy()[:, 0]
    return narrowest_band(p, train_labels[val_idx], target)

def test_answers(band):
    p = final_model(tf.constant(test_texts.astype(bytes))).numpy()[:, 0]
    accuracy, coverage = accuracy_and_coverage(p, test_labels, band)
    return coverage, accuracy

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
# --- right: the predictions made with predict, batch by batch
def validation_band(target):
    p = bag_model.predict(tf.constant(train_texts[val_idx].astype(bytes)), verbose=0)[:, 0]
    return narrowest_band(p, train_labels[val_idx], target)

def test_answers(band):
    p = final_model.predict(tf.constant(test_texts.astype(bytes)), verbose=0)[:, 0]
    return accuracy_and_coverage(p, test_labels, band)

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
# --- mistake: the final model put in the place of the one that has not seen the validation reviews
bag_model = final_model

def validation_band(target):
    texts = tf.constant(train_texts[val_idx].astype(bytes))
    p = bag_model(texts).numpy()[:, 0]
    return narrowest_band(p, train_labels[val_idx], target)

def test_answers(band):
    p = final_model(tf.constant(test_texts.astype(bytes))).numpy()[:, 0]
    return accuracy_and_coverage(p, test_labels, band)

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
# --- mistake: the first 800 training reviews taken as the validation reviews
val_idx = np.arange(800)

def validation_band(target):
    texts = tf.constant(train_texts[val_idx].astype(bytes))
    p = bag_model(texts).numpy()[:, 0]
    return narrowest_band(p, train_labels[val_idx], target)

def test_answers(band):
    p = final_model(tf.constant(test_texts.astype(bytes))).numpy()[:, 0]
    return accuracy_and_coverage(p, test_labels, band)

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
# --- mistake: a table of the answers for the targets and bands the check names
validation_band = {0.83: 0.05, 0.86: 0.09, 0.88: 0.13, 0.89: 0.28}.get
test_answers = lambda band: (0.873, 0.761)
band_88 = 0.13
accuracy_88, coverage_88 = 0.873, 0.761
# --- mistake: `bag_model` rebound to a copy of the final model, which has seen the validation reviews
bag_model = make_bag_model(all_texts)        # the final model's recipe and vocabulary
bag_model.set_weights(final_model.get_weights())

def validation_band(target):
    texts = tf.constant(train_texts[val_idx].astype(bytes))
    p = bag_model(texts).numpy()[:, 0]
    return narrowest_band(p, train_labels[val_idx], target)

def test_answers(band):
    p = final_model(tf.constant(test_texts.astype(bytes))).numpy()[:, 0]
    return accuracy_and_coverage(p, test_labels, band)

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
# --- mistake: test_texts and test_labels rebound to the validation reviews
test_texts, test_labels = train_texts[val_idx], train_labels[val_idx]

def validation_band(target):
    texts = tf.constant(train_texts[val_idx].astype(bytes))
    p = bag_model(texts).numpy()[:, 0]
    return narrowest_band(p, train_labels[val_idx], target)

def test_answers(band):
    p = final_model(tf.constant(test_texts.astype(bytes))).numpy()[:, 0]
    return accuracy_and_coverage(p, test_labels, band)

band_88 = validation_band(0.88)
accuracy_88, coverage_88 = test_answers(band_88)
