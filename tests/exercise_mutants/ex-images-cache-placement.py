# Wrong answers to "Cache in the right place" (01_images_from_numpy); each must fail the check.
# --- mistake: no cache: the preparation runs on every pass
calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)
epoch_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(counted_prepare)
            .shuffle(len(x_train), seed=SEED).batch(32))
# --- mistake: cache after shuffle: every pass replays the first order
calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)
epoch_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(counted_prepare)
            .shuffle(len(x_train), seed=SEED).cache().batch(32))
# --- mistake: cache before the preparation
calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)
epoch_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).cache().map(counted_prepare)
            .shuffle(len(x_train), seed=SEED).batch(32))
# --- right: the solution, after one full pass in the answer cell (the cache is already full)
calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)
epoch_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(counted_prepare)
            .cache().shuffle(len(x_train), seed=SEED).batch(32))
print(sum(len(labels) for _, labels in epoch_ds), "images in one pass")
