# Wrong answers to "Drop empty reviews, and count them" (02_text_vectorization); each must fail the check.
# --- mistake: only white space stripped, markup and punctuation left in
def drop_empty(reviews):
    blank = lambda text: tf.strings.length(tf.strings.strip(text)) == 0
    return (reviews.filter(lambda text: tf.logical_not(blank(text))),
            int(reviews.filter(blank).reduce(0, lambda count, _: count + 1)))
# --- mistake: the standardized text kept instead of the review
def drop_empty(reviews):
    clean = reviews.map(standardize_review)
    return (clean.filter(lambda text: tf.strings.length(text) > 0),
            int(clean.filter(lambda text: tf.strings.length(text) == 0).reduce(0, lambda count, _: count + 1)))
# --- mistake: dropped counted from the kept ones
def drop_empty(reviews):
    non_empty = reviews.filter(lambda text: tf.strings.length(standardize_review(text)) > 0)
    return non_empty, int(non_empty.reduce(0, lambda count, _: count + 1))
# --- mistake: the count typed in from the run on messy
def drop_empty(reviews):
    return reviews.filter(lambda text: tf.strings.length(standardize_review(text)) > 0), 4
# --- mistake: a hand-made dataset of the three reviews that survive in messy
def drop_empty(reviews):
    return tf.data.Dataset.from_tensor_slices(["Great!", "ok, fine", "Too salty."]), 4
# --- mistake: the reviews sorted out in Python, not by the pipeline
def drop_empty(reviews):
    kept = [t for t in reviews.as_numpy_iterator() if standardize_review(t).numpy()]
    dropped = sum(1 for _ in reviews) - len(kept)
    return tf.data.Dataset.from_tensor_slices(tf.constant(kept, tf.string)), dropped
# --- right: the count as the difference of two cardinalities taken by reduce
def drop_empty(reviews):
    keep = lambda text: tf.strings.length(standardize_review(text)) > 0
    count = lambda ds: int(ds.reduce(0, lambda n, _: n + 1))
    non_empty = reviews.filter(keep)
    return non_empty, count(reviews) - count(non_empty)
# --- mistake: sorted out in Python, with a filter that does nothing
def drop_empty(reviews):
    kept = [t for t in reviews.as_numpy_iterator() if standardize_review(t).numpy()]
    dropped = sum(1 for _ in reviews) - len(kept)
    return tf.data.Dataset.from_tensor_slices(tf.constant(kept, tf.string)).filter(lambda t: True), dropped
non_empty, dropped = drop_empty(messy)
# --- mistake: emptiness judged with ascii_only (text of other scripts dropped)
def drop_empty(reviews):
    is_empty = lambda text: tf.strings.length(ascii_only(text)) == 0
    non_empty = reviews.filter(lambda text: tf.logical_not(is_empty(text)))
    dropped = int(reviews.filter(is_empty).reduce(0, lambda count, _: count + 1))
    return non_empty, dropped

messy = tf.data.Dataset.from_tensor_slices(
    ["Great!", "", "   ", "<br /><br />", "ok, fine", "'", "Too salty."])
non_empty, dropped = drop_empty(messy)
# --- mistake: only white space stripped, with standardize_review redefined to agree
def standardize_review(text):
    return tf.strings.strip(text)

def drop_empty(reviews):
    is_empty = lambda text: tf.strings.length(standardize_review(text)) == 0
    non_empty = reviews.filter(lambda text: tf.logical_not(is_empty(text)))
    dropped = int(reviews.filter(is_empty).reduce(0, lambda count, _: count + 1))
    return non_empty, dropped

messy = tf.data.Dataset.from_tensor_slices(
    ["Great!", "", "   ", "<br /><br />", "ok, fine", "'", "Too salty."])
non_empty, dropped = drop_empty(messy)
# --- right: `dropped` counted in Python over the dataset's own elements (the prompt's "for example with reduce" allows it)
def drop_empty(reviews):
    non_empty = reviews.filter(lambda text: tf.strings.length(standardize_review(text)) > 0)
    dropped = sum(1 for text in reviews.as_numpy_iterator() if not standardize_review(text).numpy())
    return non_empty, dropped

messy = tf.data.Dataset.from_tensor_slices(
    ["Great!", "", "   ", "<br /><br />", "ok, fine", "'", "Too salty."])
non_empty, dropped = drop_empty(messy)
# --- mistake: a review judged empty when its standardized text has no letter or digit ("!!" standardizes to "! !", not empty)
def drop_empty(reviews):
    is_empty = lambda text: tf.logical_not(
        tf.strings.regex_full_match(standardize_review(text), r".*[\p{L}\p{N}].*"))
    non_empty = reviews.filter(lambda text: tf.logical_not(is_empty(text)))
    dropped = int(reviews.filter(is_empty).reduce(0, lambda count, _: count + 1))
    return non_empty, dropped
# --- mistake: sorted out in Python; non_empty reads every review through a pass-through filter, then yields the Python list
def drop_empty(reviews):
    kept = [t for t in reviews.as_numpy_iterator() if standardize_review(t).numpy()]
    copy = tf.data.Dataset.from_tensor_slices(tf.constant(kept, tf.string))
    non_empty = reviews.filter(lambda t: True).batch(1 << 20).flat_map(lambda _: copy)
    return non_empty, sum(1 for _ in reviews.as_numpy_iterator()) - len(kept)
# --- right: the review and its standardized text carried side by side, filtered, then the text dropped
def drop_empty(reviews):
    pairs = reviews.map(lambda text: (text, standardize_review(text)))
    non_empty = pairs.filter(lambda text, clean: clean != "").map(lambda text, clean: text)
    dropped = pairs.reduce(0, lambda n, pair: n + tf.cast(pair[1] == "", tf.int32))
    return non_empty, dropped

messy = tf.data.Dataset.from_tensor_slices(
    ["Great!", "", "   ", "<br /><br />", "ok, fine", "'", "Too salty."])
non_empty, dropped = drop_empty(messy)
