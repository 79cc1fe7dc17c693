"""The book's three training pipelines and models, as 01_images_from_numpy,
02_text_vectorization and 03_csv_files build them,
with the knobs the timing chapter turns (notebooks/04_timing_prefetch.ipynb shows
this file; benchmarks/tfdata_bench.py measures the same pipelines).

- images: notebooks/01_images_from_numpy.ipynb (``make_pipeline`` on the chapter's
  fitting split, ``make_cnn``);
- text: notebooks/02_text_vectorization.ipynb (``make_pipeline``, ``make_bag_model``,
  ``standardize_review``; the final model trains on all training reviews);
- CSV: notebooks/03_csv_files.ipynb (``fit_ds``, the rows not held out for
  validation, and its model).

With the default arguments each function builds the training pipeline and model
its chapter builds (tests/test_input_share.py checks the sizes against the
chapters' stored outputs); the chapters also validate every epoch, which is not
measured here. The knobs: ``batch_size``; ``steps_per_execution`` (in
``compile``); ``cache="batches"``, which does the per-example work once per
batch (shuffle the examples, batch, then decode or prepare the whole batch) and
caches the batches, so that an epoch only reshuffles the order of the cached
batches; ``prefetch`` (a buffer size, or ``tf.data.AUTOTUNE``); ``repeat=True``,
which repeats the pipeline before its prefetch, so that one iterator serves
every epoch and the prefetch keeps working across epoch boundaries (``fit`` then
needs ``steps_per_epoch``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import keras
import tensorflow as tf

import bookutils

SEED = 42
AUTOTUNE = tf.data.AUTOTUNE


# --- Images (01_images_from_numpy) ------------------------------------------------

def digits(split: str = "train"):
    """(images, labels) of data/digits.npz: 8x8 uint8 images in 0..16. With
    split="fit", the training images 01_images_from_numpy fits on (it holds out a
    fifth of them, chosen with its seed, for validation)."""
    with np.load(bookutils.data_path("digits.npz")) as data:
        if split != "fit":
            return data[f"x_{split}"], data[f"y_{split}"]
        x, y = data["x_train"], data["y_train"]
    permutation = np.random.default_rng(SEED).permutation(len(x))
    fit_idx = permutation[len(x) // 5:]
    return x[fit_idx], y[fit_idx]


def prepare(image, label):
    """01_images_from_numpy's per-image work: a channel axis, floats in [0, 1].
    Works on one image or on a batch of them."""
    return tf.cast(image, tf.float32)[..., None] / 16.0, label


def images_pipeline(images, labels, batch_size: int = 32, cache: str = "examples",
                    prefetch=AUTOTUNE, repeat: bool = False) -> tf.data.Dataset:
    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    # 01_images_from_numpy: prepare each image, cache, shuffle, batch
    if cache == "examples":
        ds = (ds.map(prepare, num_parallel_calls=AUTOTUNE).cache()
              .shuffle(len(images), seed=SEED).batch(batch_size))
    elif cache == "batches":         # shuffle, batch, prepare whole batches, cache them
        n_batches = -(-len(images) // batch_size)
        ds = (ds.shuffle(len(images), seed=SEED).batch(batch_size).map(prepare)
              .cache().shuffle(n_batches, seed=SEED))
    else:
        raise ValueError(f"cache must be 'examples' or 'batches', not {cache!r}")
    return (ds.repeat() if repeat else ds).prefetch(prefetch)


def images_model(steps_per_execution: int = 1) -> keras.Model:
    model = keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        keras.layers.Conv2D(32, (3, 3), activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"],
                  steps_per_execution=steps_per_execution)
    return model


# --- Text (02_text_vectorization) -------------------------------------------------

def reviews(split: str = "train"):
    """(texts as UTF-8 bytes, labels 1.0 for 'great') of data/reviews_<split>.csv."""
    table = pd.read_csv(bookutils.data_path(f"reviews_{split}.csv"),
                        keep_default_na=False)
    texts = np.array([text.encode("utf-8") for text in table["review"]], dtype=object)
    return texts, (table["score"] == "great").to_numpy(np.float32)


def standardize_review(text):
    text = tf.strings.lower(text, encoding="utf-8")
    text = tf.strings.regex_replace(text, "\u2019", "'")
    text = tf.strings.regex_replace(text, r"<br\s*/?>", " ")
    text = tf.strings.regex_replace(text, r"!", " ! ")
    text = tf.strings.regex_replace(text, r"[^\p{L}\p{M}\p{N}'!]+", " ")
    return tf.strings.strip(text)


def text_pipeline(texts, labels, batch_size: int = 64, prefetch=AUTOTUNE,
                  repeat: bool = False) -> tf.data.Dataset:
    ds = tf.data.Dataset.from_tensor_slices(
        (texts, labels)).shuffle(len(texts), seed=SEED).batch(batch_size)
    return (ds.repeat() if repeat else ds).prefetch(prefetch)


def text_model(vocabulary: list[str] | None = None, adapt_texts=None,
               steps_per_execution: int = 1) -> keras.Model:
    """02_text_vectorization's bag-of-words model; give the vocabulary of an
    adapted layer, or texts to adapt to."""
    layer = keras.layers.TextVectorization(max_tokens=20000, ngrams=2,
                                           output_mode="multi_hot",
                                           standardize=standardize_review)
    if vocabulary is not None:
        layer.set_vocabulary(vocabulary)
    else:
        layer.adapt(tf.data.Dataset.from_tensor_slices(adapt_texts).batch(256))
    model = keras.Sequential([
        keras.Input(shape=(), dtype="string"),
        layer,
        keras.layers.Dense(1, activation="sigmoid",
                           kernel_regularizer=keras.regularizers.l2(1e-4)),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy",
                  metrics=["accuracy", keras.metrics.AUC(name="auc")],
                  steps_per_execution=steps_per_execution)
    return model


# --- CSV (03_csv_files) -----------------------------------------------------------

CSV_FEATURES = 30
CSV_DEFAULTS = [
    tf.constant([], tf.float32)] * CSV_FEATURES + [tf.constant([], tf.int32)]


def csv_path(split: str = "train") -> str:
    return str(bookutils.data_path(f"breast_cancer_{split}.csv"))


def parse_line(line):
    fields = tf.io.decode_csv(line, record_defaults=CSV_DEFAULTS)
    return tf.stack(fields[:CSV_FEATURES]), fields[CSV_FEATURES]


def parse_batch(lines):
    fields = tf.io.decode_csv(lines, record_defaults=CSV_DEFAULTS)
    return tf.stack(fields[:CSV_FEATURES], axis=1), fields[CSV_FEATURES]


def csv_lines(path: str, fit_rows: bool = True) -> tf.data.Dataset:
    """The data lines of a CSV file; with fit_rows, those 03_csv_files fits on (it
    holds out every fifth row for validation), with their number stated."""
    def not_held_out(index, line):
        return index % 5 != 0

    def line_only(index, line):
        return line

    lines = tf.data.TextLineDataset(path).skip(1)
    if fit_rows:
        lines = lines.enumerate().filter(not_held_out).map(line_only)
    return lines.apply(
        tf.data.experimental.assert_cardinality(bookutils.consume(lines)))


def csv_pipeline(path: str, batch_size: int = 32, cache: str = "examples",
                 prefetch=AUTOTUNE, repeat: bool = False,
                 fit_rows: bool = True) -> tf.data.Dataset:
    lines = csv_lines(path, fit_rows)
    rows = int(lines.cardinality())
    # 03_csv_files: decode each line, cache, shuffle, batch
    if cache == "examples":
        ds = lines.map(parse_line).cache().shuffle(1000, seed=SEED).batch(batch_size)
    # shuffle lines, batch, decode whole batches, cache them
    elif cache == "batches":
        n_batches = -(-rows // batch_size)
        ds = (lines.shuffle(1000, seed=SEED).batch(batch_size).map(parse_batch)
              .cache().shuffle(n_batches, seed=SEED))
    else:
        raise ValueError(f"cache must be 'examples' or 'batches', not {cache!r}")
    return (ds.repeat() if repeat else ds).prefetch(prefetch)


def csv_model(path: str, steps_per_execution: int = 1) -> keras.Model:
    normalize = keras.layers.Normalization()
    normalize.adapt(csv_lines(path).batch(128).map(lambda lines: parse_batch(lines)[0]))
    model = keras.Sequential([
        keras.Input(shape=(CSV_FEATURES,)),
        normalize,
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"],
                  steps_per_execution=steps_per_execution)
    return model


# --- The three, side by side (the timing chapter and the benchmark) ----------------

# What the timing chapter recommends for each: several steps per call in compile
# (`steps_per_execution`), and these pipeline knobs (fit then needs steps_per_epoch,
# the chapter's batches per epoch).
RECOMMENDED = {"images": {"repeat": True}, "text": {"repeat": True},
               "CSV": {"repeat": True, "cache": "batches"}}
# The claim on the recommended pipelines: their input costs less than this share of
# training (input_share.input_share). It sits beyond the shares that every recorded
# run of the timing chapter measured (data/claims/04_timing_prefetch.json; the chapter
# shows them), not at the few percent that a typical run gives: the images pipeline's
# share varies from run to run by several percent around its typical value.
RECOMMENDED_SHARE_BELOW = 0.15


def steps_per_execution(batches_per_epoch: int, at_most: int = 16) -> int:
    """The most steps per call, up to `at_most`, that divide an epoch evenly. With
    a repeated dataset, Keras runs whole calls: 36 batches per epoch at 16 steps per
    call train 48 steps per epoch (the timing chapter shows it)."""
    return max(k for k in range(1, at_most + 1) if batches_per_epoch % k == 0)


def cases(text_reviews: int = 1024) -> dict:
    """{name: (make_model(steps_per_execution), make_pipeline(**knobs))} for the
    images, text and CSV chapters. The text pipeline serves the first
    `text_reviews` reviews (its model's vocabulary is adapted to all of them), so
    that an epoch lasts about as long as the others'."""
    x, y = digits("fit")
    texts, labels = reviews()
    path = csv_path()
    vocabulary = text_model(adapt_texts=texts).layers[0].get_vocabulary()
    return {
        "images": (images_model, lambda **knobs: images_pipeline(x, y, **knobs)),
        "text": (lambda spe=1: text_model(vocabulary, steps_per_execution=spe),
                 lambda **knobs: text_pipeline(texts[:text_reviews],
                                               labels[:text_reviews], **knobs)),
        "CSV": (lambda spe=1: csv_model(path, spe),
                lambda **knobs: csv_pipeline(path, **knobs)),
    }
