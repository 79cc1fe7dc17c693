# Wrong answers to "The model's favourite mistake" (01_images_from_numpy); each must fail the check.
# --- mistake: correct predictions counted as a kind of mistake
def favourite_mistake(true_labels, predicted_labels):
    pairs = [(int(t), int(p)) for t, p in zip(true_labels, predicted_labels)]
    kinds, counts = np.unique(np.array(pairs), axis=0, return_counts=True)
    return int(kinds[counts.argmax()][0]), int(kinds[counts.argmax()][1]), int(counts.max())
worst_true, worst_pred, worst_count = favourite_mistake(y_test, predictions)
# --- mistake: true and predicted labels swapped
def favourite_mistake(true_labels, predicted_labels):
    pairs = [(int(p), int(t)) for t, p in zip(true_labels, predicted_labels) if t != p]
    kinds, counts = np.unique(np.array(pairs), axis=0, return_counts=True)
    return int(kinds[counts.argmax()][0]), int(kinds[counts.argmax()][1]), int(counts.max())
worst_true, worst_pred, worst_count = favourite_mistake(y_test, predictions)
# --- mistake: the least frequent mistake
def favourite_mistake(true_labels, predicted_labels):
    pairs = [(int(t), int(p)) for t, p in zip(true_labels, predicted_labels) if t != p]
    kinds, counts = np.unique(np.array(pairs), axis=0, return_counts=True)
    return int(kinds[counts.argmin()][0]), int(kinds[counts.argmin()][1]), int(counts.min())
worst_true, worst_pred, worst_count = favourite_mistake(y_test, predictions)
# --- mistake: the answer for the chapter's model typed in, whatever labels it is given
def favourite_mistake(true_labels, predicted_labels):
    pairs = [(int(t), int(p)) for t, p in zip(y_test, predictions) if t != p]
    kinds, counts = np.unique(np.array(pairs), axis=0, return_counts=True)
    return int(kinds[counts.argmax()][0]), int(kinds[counts.argmax()][1]), int(counts.max())
worst_true, worst_pred, worst_count = favourite_mistake(y_test, predictions)
# --- mistake: the label most often mistaken for another, with its total count of mistakes
def favourite_mistake(true_labels, predicted_labels):
    wrong = np.asarray(true_labels) != np.asarray(predicted_labels)
    true, count = np.unique(np.asarray(true_labels)[wrong], return_counts=True)
    t = int(true[count.argmax()])
    p = int(np.bincount(np.asarray(predicted_labels)[wrong & (np.asarray(true_labels) == t)]).argmax())
    return t, p, int(count.max())
worst_true, worst_pred, worst_count = favourite_mistake(y_test, predictions)
# --- mistake: the confusion matrix the prompt rules out
def favourite_mistake(true_labels, predicted_labels):
    c = tf.math.confusion_matrix(true_labels, predicted_labels, num_classes=10).numpy()
    np.fill_diagonal(c, 0)
    t, p = np.unravel_index(c.argmax(), c.shape)
    return int(t), int(p), int(c.max())
worst_true, worst_pred, worst_count = favourite_mistake(y_test, predictions)
# --- mistake: the confusion matrix under another name
count_pairs = tf.math.confusion_matrix
def favourite_mistake(true_labels, predicted_labels):
    c = count_pairs(true_labels, predicted_labels, num_classes=10).numpy()
    np.fill_diagonal(c, 0)
    t, p = np.unravel_index(c.argmax(), c.shape)
    return int(t), int(p), int(c.max())
worst_true, worst_pred, worst_count = favourite_mistake(y_test, predictions)
# --- mistake: the confusion matrix called inside a lambda
def favourite_mistake(true_labels, predicted_labels):
    matrix = (lambda t, p: tf.math.confusion_matrix(t, p, num_classes=10).numpy())(true_labels, predicted_labels)
    np.fill_diagonal(matrix, 0)
    t, p = np.unravel_index(matrix.argmax(), matrix.shape)
    return int(t), int(p), int(matrix.max())
worst_true, worst_pred, worst_count = favourite_mistake(y_test, predictions)
# --- mistake: the confusion matrix as a default argument
def favourite_mistake(true_labels, predicted_labels, count=tf.math.confusion_matrix):
    matrix = count(true_labels, predicted_labels, num_classes=10).numpy()
    np.fill_diagonal(matrix, 0)
    t, p = np.unravel_index(matrix.argmax(), matrix.shape)
    return int(t), int(p), int(matrix.max())
# --- mistake: the confusion matrix through functools.partial (a partial has no __name__ for names_used to see)
import functools
pair_table = functools.partial(tf.math.confusion_matrix, num_classes=10)
def favourite_mistake(true_labels, predicted_labels):
    c = pair_table(true_labels, predicted_labels).numpy()
    np.fill_diagonal(c, 0)
    t, p = np.unravel_index(c.argmax(), c.shape)
    return int(t), int(p), int(c.max())
# --- mistake: the confusion matrix in a helper function defined outside (names_used does not follow calls)
def _table(t, p):
    return tf.math.confusion_matrix(t, p, num_classes=10).numpy()
def favourite_mistake(true_labels, predicted_labels):
    c = _table(true_labels, predicted_labels)
    np.fill_diagonal(c, 0)
    t, p = np.unravel_index(c.argmax(), c.shape)
    return int(t), int(p), int(c.max())
# --- mistake: the confusion matrix fetched by getattr with its name in a string
def favourite_mistake(true_labels, predicted_labels):
    c = getattr(tf.math, "confusion_matrix")(true_labels, predicted_labels, num_classes=10).numpy()
    np.fill_diagonal(c, 0)
    t, p = np.unravel_index(c.argmax(), c.shape)
    return int(t), int(p), int(c.max())
# --- mistake: a mix-up counted both ways (3 for 8 and 8 for 3 as one kind), reported in its more frequent direction
def favourite_mistake(true_labels, predicted_labels):
    t_arr, p_arr = np.asarray(true_labels), np.asarray(predicted_labels)
    best = None
    for a in range(10):
        for b in range(a + 1, 10):
            ab = int(np.sum((t_arr == a) & (p_arr == b)))
            ba = int(np.sum((t_arr == b) & (p_arr == a)))
            kind = (ab + ba, (a, b) if ab >= ba else (b, a))
            if best is None or kind[0] > best[0]:
                best = kind
    return (*best[1], best[0])
# --- right: with collections.Counter over the pairs
import collections
def favourite_mistake(true_labels, predicted_labels):
    counts = collections.Counter((int(t), int(p)) for t, p in zip(true_labels, predicted_labels) if t != p)
    (t, p), n = counts.most_common(1)[0]
    return t, p, n
# --- right: np.add.at into a 10x10 table made by hand
def favourite_mistake(true_labels, predicted_labels):
    table = np.zeros((10, 10), int)
    np.add.at(table, (np.asarray(true_labels), np.asarray(predicted_labels)), 1)
    np.fill_diagonal(table, 0)
    t, p = np.unravel_index(table.argmax(), table.shape)
    return int(t), int(p), int(table[t, p])
