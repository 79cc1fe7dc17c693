# Wrong answers to "Cache in the right place" (01_images_from_numpy); each must fail the check.
# --- mistake: no cache: the preparation runs on every pass
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((images, labels)).map(prepare_fn)
            .shuffle(len(images), seed=SEED).batch(32))
epoch_ds = cached_epochs(x_train, y_train, prepare)
# --- mistake: cache after shuffle: every pass replays the first order
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((images, labels)).map(prepare_fn)
            .shuffle(len(images), seed=SEED).cache().batch(32))
epoch_ds = cached_epochs(x_train, y_train, prepare)
# --- mistake: cache before the preparation
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((images, labels)).cache().map(prepare_fn)
            .shuffle(len(images), seed=SEED).batch(32))
epoch_ds = cached_epochs(x_train, y_train, prepare)
# --- mistake: the preparation it is given ignored (the chapter's prepare used instead)
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((images, labels)).map(prepare).cache()
            .shuffle(len(images), seed=SEED).batch(32))
epoch_ds = cached_epochs(x_train, y_train, prepare)
# --- mistake: the chapter's training images, whatever images it is given
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(prepare_fn).cache()
            .shuffle(len(x_train), seed=SEED).batch(32))
epoch_ds = cached_epochs(x_train, y_train, prepare)
# --- mistake: the counter set high so that "nothing ran again" (the old loophole)
calls = tf.Variable(10**6)
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((images, labels)).map(prepare)
            .shuffle(len(images), seed=SEED).batch(32))
epoch_ds = cached_epochs(x_train, y_train, prepare)
# --- right: the solution, iterated once in the answer cell (the check builds its own)
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((images, labels)).map(prepare_fn)
            .cache().shuffle(len(images), seed=SEED).batch(32))
calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)
epoch_ds = cached_epochs(x_train, y_train, counted_prepare)
print(sum(len(labels) for _, labels in epoch_ds), "images in one pass")
# --- mistake: prepared in Python, once, with no cache
def cached_epochs(images, labels, prepare_fn):
    prepared = [prepare_fn(image, label) for image, label in zip(images, labels)]
    return (tf.data.Dataset.from_tensor_slices((tf.stack([i for i, _ in prepared]), tf.stack([l for _, l in prepared])))
            .shuffle(len(images), seed=SEED).batch(32))
epoch_ds = cached_epochs(x_train, y_train, prepare)
# --- mistake: prepared in Python, once per image, then a cache() of the copy behind an identity map
def cached_epochs(images, labels, prepare_fn):
    prepared = [prepare_fn(image, label) for image, label in zip(images, labels)]
    copy = (tf.stack([image for image, _ in prepared]), tf.stack([label for _, label in prepared]))
    return (tf.data.Dataset.from_tensor_slices(copy)
            .map(lambda image, label: (image, label))
            .cache()
            .shuffle(len(images), seed=SEED)
            .batch(32))

calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)

epoch_ds = cached_epochs(x_train, y_train, counted_prepare)
# --- mistake: `epoch_ds` not made with cached_epochs: the chapter's train_pipeline reused
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((images, labels)).map(prepare_fn)
            .cache().shuffle(len(images), seed=SEED).batch(32))

calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)

epoch_ds = train_pipeline
# --- mistake: cache(filename) with one fixed file for every call: a second dataset replays the first one's images
SHARED_CACHE = str(bookutils.scratch_dir("one-cache-for-all") / "prepared")
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((images, labels)).map(prepare_fn)
            .cache(SHARED_CACHE).shuffle(len(images), seed=SEED).batch(32))

calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)

epoch_ds = cached_epochs(x_train, y_train, counted_prepare)

# --- right: each image prepared once, a whole batch per call, cached, then unbatched, shuffled and batched again
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((images, labels))
            .batch(32)
            .map(prepare_fn)
            .cache()
            .unbatch()
            .shuffle(len(images), seed=SEED)
            .batch(32))

calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)

epoch_ds = cached_epochs(x_train, y_train, counted_prepare)
# --- mistake: batched before the shuffle: the passes shuffle whole batches, each batch keeps the same images in the same order (the chapter's "batch → shuffle")
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensor_slices((images, labels)).map(prepare_fn)
            .cache().batch(32).shuffle(len(images)))

calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)

epoch_ds = cached_epochs(x_train, y_train, counted_prepare)
# --- mistake: only the order inside each batch changes: batches cached whole, shuffled within by a map
def cached_epochs(images, labels, prepare_fn):
    def mix(x, y):
        order = tf.random.shuffle(tf.range(tf.shape(y)[0]))
        return tf.gather(x, order), tf.gather(y, order)
    return (tf.data.Dataset.from_tensor_slices((images, labels)).map(prepare_fn)
            .cache().batch(32).map(mix))

calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)

epoch_ds = cached_epochs(x_train, y_train, counted_prepare)
# --- right: cache in a file of its own for every call
import tempfile, uuid
def cached_epochs(images, labels, prepare_fn):
    path = os.path.join(tempfile.mkdtemp(), f"prepared-{uuid.uuid4().hex}")
    return (tf.data.Dataset.from_tensor_slices((images, labels))
            .map(prepare_fn, num_parallel_calls=tf.data.AUTOTUNE)
            .cache(path)
            .shuffle(len(images))
            .batch(32)
            .prefetch(tf.data.AUTOTUNE))

calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)

epoch_ds = cached_epochs(x_train, y_train, counted_prepare)
# --- right: the whole set prepared in one call, cached, then unbatched and shuffled
def cached_epochs(images, labels, prepare_fn):
    return (tf.data.Dataset.from_tensors((images, labels))
            .map(prepare_fn)
            .cache()
            .unbatch()
            .shuffle(len(images))
            .batch(32))

calls = tf.Variable(0)
def counted_prepare(image, label):
    calls.assign_add(1)
    return prepare(image, label)

epoch_ds = cached_epochs(x_train, y_train, counted_prepare)
