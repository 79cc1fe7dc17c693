"""The article's three snippets and its checkable claims, run on whichever
TensorFlow imports here, as one JSON document on stdout.

The same file runs on TensorFlow 2.4.1 (Python 3.8, ``make tf24``) and on the
book's TensorFlow 2.21 (Keras 3), so that the errata page can put the two side
by side. Each case rebuilds one pattern of the article in the book's own code,
with the calls and arguments the article uses, on small data made here (nothing
is read or downloaded), and records what happened: "ok" with the facts the page
needs, or "error" with the exception's type and the first line of its message.

    python notebooks/article/article_cases.py            # every case
    python notebooks/article/article_cases.py --case NAME

Written for Python 3.8 as well: no ``match``, no ``X | Y`` annotations.
"""
import argparse
import json
import logging
import os
import platform
import re
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

SEED = 7
STAGE = []      # where a case got to: a case appends a name before each step


class _LogRecords(logging.Handler):
    """Collects what TensorFlow's Python logger says at WARNING and above."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(f"log {record.levelname}: "
                             f"{record.getMessage().splitlines()[0][:160]}")


def first_line(error):
    """The exception's message, first non-empty line, with addresses and node
    paths that change from run to run taken out."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else ""
    if text == "in user code:" and len(lines) > 1:
        # TensorFlow 2.4's errors from inside a traced function: a traceback of
        # the user's code first, the error itself on the last line.
        text = re.sub(r"^\w+(Error|Exception): ", "", lines[-1])
    elif text == "Graph execution error:":
        # TensorFlow 2.21's: where the failing node was defined, then the error.
        rest = [line for line in lines[1:]
                if not line.startswith(("Detected at node", 'File "'))
                and not line.startswith("[[")]
        text = rest[0] if rest else text
    text = re.sub(r"\{\{function_node [^}]*\}\}\s*", "", text)    # where in the graph
    text = re.sub(r"\s*\[\[\{\{node [^\]]*\]\]|\s*\[Op:[^\]]*\]", "", text)
    text = re.sub(r"0x[0-9a-f]+", "0x…", text)
    return text[:300]


def run_case(fn):
    """Run one case: its facts, or the error it raised and the step it was in;
    and what it warned: each Python warning raised from TensorFlow or Keras, and
    each message TensorFlow's Python logger gave at WARNING or above (category
    or level, and the first line). TensorFlow's C++ log is off
    (TF_CPP_MIN_LOG_LEVEL=3) and not recorded."""
    tf.keras.backend.clear_session()
    np.random.seed(SEED)
    tf.random.set_seed(SEED)
    del STAGE[:]
    logger, log = tf.get_logger(), _LogRecords()
    logger.setLevel(logging.WARNING)
    logger.addHandler(log)
    logger.propagate = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = {"outcome": "ok", **fn()}
        except Exception as error:  # the outcome being recorded
            result = {"outcome": "error", "error": type(error).__name__,
                      "message": first_line(error)}
            if STAGE:
                result["failed_at"] = STAGE[-1]
        finally:
            logger.removeHandler(log)
    result["warnings"] = sorted({f"{w.category.__name__}: "
                                 f"{str(w.message).splitlines()[0][:160]}"
                                 for w in caught if "tensorflow" in w.filename
                                 or "keras" in w.filename}
                                | set(log.messages))
    return result


def images(n=256, channels=True):
    """n random 8×8 grey 'images' with values 0-16 like the book's digits, and
    integer labels 0-9."""
    rng = np.random.default_rng(SEED)
    shape = (n, 8, 8, 1) if channels else (n, 8, 8)
    x = rng.integers(0, 17, size=shape).astype("float32")
    y = rng.integers(0, 10, size=n)
    return x, y


def example1_model():
    # The article's model, with the article's input_shape= argument.
    return tf.keras.Sequential([
        tf.keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(8, 8, 1)),
        tf.keras.layers.MaxPooling2D((2, 2)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])


def fit_once(model, dataset, **kwargs):
    """One epoch: enough to see whether the pattern runs (the article fits 10)."""
    STAGE.append("fit")
    history = model.fit(dataset, epochs=1, verbose=0, **kwargs)
    return {"loss_is_finite": bool(np.isfinite(history.history["loss"][-1]))}


def case_example1_one_hot():
    """Example 1 as written: one-hot labels, categorical_crossentropy, images
    with a channel axis, shuffle over the whole array."""
    x, y = images()
    one_hot = tf.keras.utils.to_categorical(y, num_classes=10)
    dataset = tf.data.Dataset.from_tensor_slices((x, one_hot))
    dataset = dataset.shuffle(buffer_size=len(x)).batch(32).prefetch(tf.data.AUTOTUNE)
    model = example1_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return {"element_spec": str(dataset.element_spec), **fit_once(model, dataset)}


def case_example1_no_channel_axis():
    """Example 1 with images as most arrays hold them, (n, 8, 8): no channel axis."""
    x, y = images(channels=False)
    one_hot = tf.keras.utils.to_categorical(y, num_classes=10)
    dataset = tf.data.Dataset.from_tensor_slices((x, one_hot)).batch(32)
    model = example1_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return {"batch_shape": str(dataset.element_spec[0].shape),
            **fit_once(model, dataset)}


def case_autotune_name():
    """The article's tf.data.AUTOTUNE, by that name."""
    return {"tf.data.AUTOTUNE": hasattr(tf.data, "AUTOTUNE")}


def case_example1_uint8_pixels():
    """Example 1 with the pixels as the book's digits hold them: uint8, with
    the channel axis."""
    x, y = images()
    one_hot = tf.keras.utils.to_categorical(y, num_classes=10)
    dataset = tf.data.Dataset.from_tensor_slices((x.astype("uint8"), one_hot)).batch(32)
    model = example1_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return {"element_spec": str(dataset.element_spec), **fit_once(model, dataset)}


def fit_integer_labels(loss):
    """Example 1's model on the integer labels the data holds, with ``loss``."""
    x, y = images()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)
    model = example1_model()
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return fit_once(model, dataset)


def case_example1_integer_labels():
    """Example 1 with integer labels, still with categorical_crossentropy (the
    mismatch that 01_images_from_numpy shows)."""
    return fit_integer_labels("categorical_crossentropy")


def case_example1_fix_sparse_loss():
    """The fix for integer labels: sparse_categorical_crossentropy."""
    return fit_integer_labels("sparse_categorical_crossentropy")


def case_fit_dataset_and_y():
    """The prose: fit takes a dataset as x "and optionally a separate y"."""
    x, y = images()
    dataset = tf.data.Dataset.from_tensor_slices(x).batch(32)
    model = example1_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return fit_once(model, dataset, y=y)


def text_vectorization_class():
    """Where this version keeps TextVectorization, by the two paths people use."""
    found = {}
    for path in ("tf.keras.layers.TextVectorization",
                 "tf.keras.layers.experimental.preprocessing.TextVectorization"):
        obj = tf
        try:
            for part in path.split(".")[1:]:
                obj = getattr(obj, part)
            found[path] = obj
        except AttributeError:
            found[path] = None
    return found


def case_example2_layer_paths():
    """Example 2 names tf.keras.layers.TextVectorization; 2.4.1's documentation
    lists it under experimental.preprocessing."""
    return {"available": {path: cls is not None
                          for path, cls in text_vectorization_class().items()}}


def case_example2_name_as_written():
    """Example 2's first line: the layer by the name the article uses."""
    layer = tf.keras.layers.TextVectorization(max_tokens=10000,
                                              output_sequence_length=50)
    return {"layer": type(layer).__name__}


REVIEWS = ["A great movie.<br /><br />I loved it!", "Dull, slow and far too long.",
           "Not bad at all", "Terrible acting<br />and a worse plot"] * 16
LABELS = [1, 0, 1, 0] * 16


def clean_like_the_article(text):
    text = tf.strings.lower(text)
    return tf.strings.regex_replace(text, "[^a-zA-Z0-9 ]", "")


def case_example2_as_written():
    """Example 2 as written: the (first available) TextVectorization layer inside
    the model, never adapted, fit on the cleaned text."""
    cls = next(c for c in text_vectorization_class().values() if c is not None)
    dataset = tf.data.Dataset.from_tensor_slices((REVIEWS, LABELS))
    dataset = dataset.map(lambda text, label: (clean_like_the_article(text),
                                               label)).batch(64)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    model = tf.keras.Sequential([
        cls(max_tokens=10000, output_sequence_length=50),
        tf.keras.layers.Embedding(10000, 128),
        tf.keras.layers.GlobalAveragePooling1D(),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    fitted = fit_once(model, dataset)
    STAGE.append("the layer on 'a great movie'")
    ids = model.layers[0](tf.constant(["a great movie"]))
    return {"layer": cls.__module__ + "." + cls.__name__, **fitted,
            "ids_after_fit": np.asarray(ids).tolist()[0][:6],
            "vocabulary_size": len(model.layers[0].get_vocabulary())}


def case_example2_fix_adapt():
    """The fix: adapt the layer on the (cleaned) training text, then fit."""
    cls = next(c for c in text_vectorization_class().values() if c is not None)
    layer = cls(max_tokens=10000, output_sequence_length=50)
    texts = tf.data.Dataset.from_tensor_slices(REVIEWS).map(clean_like_the_article)
    layer.adapt(texts.batch(64))
    dataset = tf.data.Dataset.from_tensor_slices((REVIEWS, LABELS))
    dataset = dataset.map(lambda text, label: (clean_like_the_article(text),
                                               label)).batch(64)
    model = tf.keras.Sequential([
        layer,
        tf.keras.layers.Embedding(10000, 128),
        tf.keras.layers.GlobalAveragePooling1D(),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return {"vocabulary_size": len(layer.get_vocabulary()), **fit_once(model, dataset)}


def case_example2_what_the_layer_returns():
    """The prose: the layer "handles the tokenization and embedding". What does
    an adapted layer hand to the next one?"""
    cls = next(c for c in text_vectorization_class().values() if c is not None)
    layer = cls(max_tokens=100, output_sequence_length=6)
    layer.adapt(tf.data.Dataset.from_tensor_slices(REVIEWS).batch(8))
    out = layer(tf.constant(["a great movie"]))
    return {"dtype": out.dtype.name, "shape": list(out.shape),
            "values": np.asarray(out).tolist()}


def case_example2_regex():
    """The article's cleaning on HTML line breaks and accented letters."""
    texts = ["Great<br /><br />movie", "Ünïcödé café"]
    return {"cleaned": [t.decode("utf-8")
                        for t in clean_like_the_article(tf.constant(texts)).numpy()]}


CSV_TEXT = ("f0,f1,f2,label\n"
            "1.5,2.0,0.25,1\n0.5,1.0,3.5,0\n2.5,0.5,1.0,1\n0.0,3.0,2.0,0\n")


_CSV_FOLDER = []


def csv_file():
    """A small CSV file like the article's data.csv, in a temporary folder (one per
    process, removed at its exit): features in columns 0..N, the label in column
    N+1 (N = 2). Runs on both TensorFlow versions, without the book's helpers."""
    import atexit
    import shutil
    import tempfile
    if not _CSV_FOLDER:
        _CSV_FOLDER.append(tempfile.mkdtemp(prefix="article-csv-"))
        atexit.register(shutil.rmtree, _CSV_FOLDER[0], True)
    path = os.path.join(_CSV_FOLDER[0], "data.csv")
    with open(path, "w") as f:
        f.write(CSV_TEXT)
    return path


def csv_model(n):
    # The article's model for Example 3, with its input_shape= argument.
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(64, activation="relu", input_shape=(n + 1,)),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def case_example3_string_defaults():
    """Example 3 as written: TextLineDataset, skip the header, every
    record_default a string, tf.stack, tf.cast of the label field to int32,
    shuffle, batch, prefetch, fit."""
    n = 2      # the article's N: features are columns 0..N, the label column N+1

    def parse_csv(line):
        fields = tf.io.decode_csv(line,
                                  record_defaults=[tf.constant("")
                                                   for _ in range(n + 2)])
        features = tf.stack(fields[:n + 1])
        label = tf.cast(tf.stack(fields[n + 1:]), tf.int32)
        return features, label

    dataset = tf.data.TextLineDataset(csv_file()).skip(1)
    STAGE.append("building the pipeline")
    dataset = (dataset.map(parse_csv).shuffle(buffer_size=10000).batch(128)
               .prefetch(tf.data.AUTOTUNE))
    return {"element_spec": str(dataset.element_spec),
            **fit_once(csv_model(n), dataset)}


def case_example3_features_as_strings():
    """Example 3 with only the label parsed as a number: the features stay strings."""
    n = 2

    def parse_csv(line):
        fields = tf.io.decode_csv(line,
                                  record_defaults=[tf.constant("")
                                                   for _ in range(n + 2)])
        return tf.stack(fields[:n + 1]), tf.strings.to_number(fields[n + 1], tf.int32)

    dataset = tf.data.TextLineDataset(csv_file()).skip(1)
    dataset = (dataset.map(parse_csv).shuffle(buffer_size=10000).batch(128)
               .prefetch(tf.data.AUTOTUNE))
    return {"element_spec": str(dataset.element_spec),
            **fit_once(csv_model(n), dataset)}


def case_example3_fix_typed_defaults():
    """The fix: typed, required record_defaults (float32 features, an int32
    label), the label shaped (batch, 1) for binary_crossentropy."""
    n = 2

    def parse_csv(line):
        defaults = [tf.constant([], tf.float32)] * (n + 1) + [tf.constant([], tf.int32)]
        fields = tf.io.decode_csv(line, record_defaults=defaults)
        return tf.stack(fields[:n + 1]), tf.stack(fields[n + 1:])

    dataset = tf.data.TextLineDataset(csv_file()).skip(1)
    dataset = (dataset.map(parse_csv).shuffle(buffer_size=10000).batch(128)
               .prefetch(tf.data.AUTOTUNE))
    return {"element_spec": str(dataset.element_spec),
            **fit_once(csv_model(n), dataset)}


def timed(fn, rounds=3):
    fn()                                                     # warm-up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def case_prefetch_hides_latency():
    """The prose: prefetch overlaps loading with computation. A producer and a
    consumer that each wait 10 ms per element (time.sleep, GIL released), 20
    elements, with tf.data's default options: the pipeline without any
    prefetch() call against the same with the article's
    prefetch(tf.data.AUTOTUNE), timed interleaved. If nothing overlaps without
    the call, that pipeline takes about 20 × 20 ms = 0.4 s."""
    n, wait = 20, 0.010

    def produce(i):
        time.sleep(wait)
        return i

    def pipeline(prefetch):
        ds = tf.data.Dataset.range(n).map(lambda i: tf.py_function(produce, [i],
                                                                   tf.int64))
        return ds.prefetch(tf.data.AUTOTUNE) if prefetch else ds

    def run(prefetch):
        for _ in pipeline(prefetch):
            time.sleep(wait)

    without, with_ = [], []
    for _ in range(3):
        without += timed(lambda: run(False), rounds=1)
        with_ += timed(lambda: run(True), rounds=1)
    speedups = [a / b for a, b in zip(without, with_)]
    return {"speedup_of_prefetch_call": round(float(np.median(speedups)), 2),
            "speedups": [round(s, 2) for s in speedups],
            "no_prefetch_call_s": round(float(np.median(without)), 3),
            "ideal_speedup": 2.0}


def case_shuffle_buffer_copies():
    """The prose's shuffle(buffer_size=len(images)): the buffer holds that many
    elements. Resident memory (psutil) that a dataset sliced from a 128 MB array
    keeps (measured after a first iterator, which lets go of what building the
    dataset needed only for a moment), then what two full shuffle buffers add,
    both alive at once (two copies could not both fit into memory the first
    iterator gave back)."""
    import gc

    import psutil

    def resident_mb():
        gc.collect()
        return psutil.Process().memory_info().rss / 2**20

    x = np.ones((512, 256, 256), np.float32)                # 128 MB
    before = resident_mb()
    ds = tf.data.Dataset.from_tensor_slices(x)
    next(iter(ds))
    sliced = resident_mb()
    shuffled = ds.shuffle(buffer_size=len(x), seed=SEED)
    first, second = iter(shuffled), iter(shuffled)
    next(first)                          # fills the whole buffer first
    next(second)
    filled = resident_mb()
    del first, second
    return {"array_mb": x.nbytes / 2**20, "dataset_keeps_mb": round(sliced - before),
            "two_full_buffers_add_mb": round(filled - sliced)}


def case_gpu_transfer():
    """The prose: the pipeline "minimizes data transfer between CPU and GPU".
    What this machine can say: which devices TensorFlow sees (both sides run
    CPU builds, tensorflow-cpu)."""
    return {"gpus": len(tf.config.list_physical_devices("GPU"))}


CASES = {name[len("case_"):]: fn for name, fn in sorted(globals().items())
         if name.startswith("case_")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES),
                        help="run only these")
    parser.add_argument("--record", action="store_true",
                        help="add the date and the machine (make tf24-record)")
    args = parser.parse_args(argv)
    names = args.case or list(CASES)
    results = {name: run_case(CASES[name]) for name in names}
    document = {"tensorflow": tf.__version__,
                "keras": getattr(tf.keras, "__version__", None),
                "python": platform.python_version(), "numpy": np.__version__,
                "cases": results}
    if args.record:
        import datetime
        document.update(recorded_on=datetime.date.today().isoformat(),
                        machine=f"{platform.system()} {platform.machine()}, "
                                f"{os.cpu_count()} cores",
                        command="make tf24-record")
    print(json.dumps(document, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
