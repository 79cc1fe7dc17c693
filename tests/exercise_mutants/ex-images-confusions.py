# Wrong answers to "The model's favourite mistake" (01_images_from_numpy); each must fail the check.
# --- mistake: correct predictions counted as a kind of mistake
pairs = [(int(t), int(p)) for t, p in zip(y_test, predictions)]
values_, counts_ = np.unique(np.array(pairs), axis=0, return_counts=True)
(worst_true, worst_pred), worst_count = values_[counts_.argmax()], int(counts_.max())
# --- mistake: true and predicted labels swapped
pairs = [(int(p), int(t)) for t, p in zip(y_test, predictions) if t != p]
values_, counts_ = np.unique(np.array(pairs), axis=0, return_counts=True)
(worst_true, worst_pred), worst_count = values_[counts_.argmax()], int(counts_.max())
# --- mistake: the least frequent mistake
pairs = [(int(t), int(p)) for t, p in zip(y_test, predictions) if t != p]
values_, counts_ = np.unique(np.array(pairs), axis=0, return_counts=True)
(worst_true, worst_pred), worst_count = values_[counts_.argmin()], int(counts_.min())
