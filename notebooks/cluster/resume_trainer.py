"""A training run that can be killed and resumed, in its own process.

The chapter "Training that survives a crash" starts this script, kills it with
SIGKILL in the middle of an epoch, starts it again on the same folder, and
compares what the resumed run trained on with an uninterrupted run:

    python resume_trainer.py --approach backup_steps --dir DIR [--pause-at 1:10]

``--approach`` is how the run keeps its place:

- ``scratch``: it keeps nothing; a restart trains from the beginning;
- ``backup_epoch`` / ``backup_steps``: ``model.fit`` with Keras's
  ``BackupAndRestore`` callback, saving at the end of each epoch or every
  ``SAVE_EVERY`` batches;
- ``iterator``: a training loop whose ``tf.train.Checkpoint`` holds the model,
  the optimizer, the step and the tf.data iterator, saved every ``SAVE_EVERY``
  batches;
- ``index``: the same loop over a pipeline whose order is a function of the
  position (``tf.random.experimental.index_shuffle``), so that its whole state
  is the step counter.

The ``fit`` approaches share one run until the crash (``--approach keras``
trains with both callbacks at once). With ``--pause-at EPOCH:BATCHES`` the run
prints ``PAUSED`` (with the seconds its imports took) after that many batches of
that epoch (counted from 0) and waits to be killed, so that the kill lands at the
same step in every run. Without it, the run trains to the end and prints
``DONE``. The chapter resumes each run in its kernel by calling
``train_with_fit`` or ``train_with_loop`` on the folder the killed process left.
"""
from __future__ import annotations

import time

STARTED = time.time()   # before TensorFlow's import, which a restart pays too

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

IMPORT_SECONDS = time.time() - STARTED   # what every start of a training process pays

N_EXAMPLES = 512     # the first 512 training digits (data/digits.npz)
BATCH = 32           # 16 batches per epoch
EPOCHS = 3
SEED = 42
# batches between the checkpoints of backup_steps, iterator and index
SAVE_EVERY = 4
DIGITS = Path(__file__).resolve().parents[2] / "data" / "digits.npz"


def load_examples(path=DIGITS, n=N_EXAMPLES):
    """(examples, labels): row i is [i, 64 pixels scaled to 0..1]; the id in
    column 0 lets the model count what it trained on."""
    with np.load(path) as digits:
        pixels = digits["x_train"][:n].reshape(n, 64).astype("float32") / 16.0
        labels = digits["y_train"][:n].astype("int32")
    ids = np.arange(n, dtype="float32")[:, None]
    return np.concatenate([ids, pixels], axis=1), labels


class CountSeen(keras.layers.Layer):
    """Passes the pixels on without the id, and, when training, counts every
    example in a non-trainable weight, per epoch. The counts are saved and
    restored with the weights, so at the end they say what the final weights
    were trained on: a batch trained after the last checkpoint and lost in a
    crash is not counted."""

    def __init__(self, n_examples, epochs, **kwargs):
        super().__init__(**kwargs)
        self.n_examples, self.epochs = n_examples, epochs

    def build(self, input_shape):
        self.epoch = self.add_weight(shape=(), dtype="int32", initializer="zeros",
                                     trainable=False, name="epoch")
        self.seen = self.add_weight(shape=(self.epochs * self.n_examples,),
                                    dtype="int32",
                                    initializer="zeros", trainable=False, name="seen")
        # for the log
        self.last_ids = self.add_weight(shape=(BATCH,), dtype="int32",
                                        initializer="zeros", trainable=False,
                                        name="last_ids")

    def call(self, rows, training=False):
        if training:
            ids = tf.cast(rows[:, 0], "int32")
            self.last_ids.assign(ids)
            slots = self.epoch * self.n_examples + ids
            size = self.epochs * self.n_examples
            counts = tf.math.bincount(slots, minlength=size, maxlength=size)
            self.seen.assign_add(counts)
        return rows[:, 1:]

    def get_config(self):
        return {**super().get_config(), "n_examples": self.n_examples,
                "epochs": self.epochs}


def build_model():
    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    model = keras.Sequential([
        keras.Input(shape=(65,)),
        CountSeen(N_EXAMPLES, EPOCHS),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=False)
    return model


def shuffled_batches(examples, labels, buffer=N_EXAMPLES):
    """The usual pipeline: a seeded shuffle buffer, which draws a new order each
    time the dataset is iterated again."""
    return (tf.data.Dataset.from_tensor_slices((examples, labels))
            .shuffle(buffer, seed=SEED)
            .batch(BATCH))


def index_shuffled_batches(examples, labels, start_step=0):
    """Every epoch's order as a function of the position: position p is example
    index_shuffle(p % n) of a permutation seeded by the epoch p // n. Starting
    at any step costs nothing: no buffer, no state but ``start_step``."""
    n = len(examples)
    examples, labels = tf.constant(examples), tf.constant(labels)

    def rows_at(positions):   # one batch: its positions all lie in one epoch
        epoch = positions[0] // n
        j = tf.random.experimental.index_shuffle(positions % n,
                                                 seed=tf.stack([SEED, epoch]),
                                                 max_index=n - 1)
        return tf.gather(examples, j), tf.gather(labels, j)

    return (tf.data.Dataset.range(start_step * BATCH, EPOCHS * n)
            .batch(BATCH)
            .map(rows_at))


class Progress(keras.callbacks.Callback):
    """Sets the epoch that CountSeen counts into, records each batch this
    process trains (epoch, batch, time, the ids in it), and pauses at
    ``pause_at`` = (epoch, batches)."""

    def __init__(self, log, pause_at=None):
        super().__init__()
        self.log, self.pause_at, self.epoch_now = log, pause_at, 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_now = epoch
        self.model.layers[0].epoch.assign(epoch)

    def on_train_batch_end(self, batch, logs=None):
        self.log.append((self.epoch_now, batch, time.time(),
                         self.model.layers[0].last_ids.numpy()))
        pause(self.pause_at, self.epoch_now, batch + 1)


def pause(pause_at, epoch, batches_done):
    if pause_at == (epoch, batches_done):
        print(f"PAUSED epoch {epoch} after {batches_done} batches; "
              f"imports took {IMPORT_SECONDS:.2f} s", flush=True)
        time.sleep(3600)


def backup(directory, approach):
    return keras.callbacks.BackupAndRestore(
        str(directory), save_freq="epoch" if approach == "backup_epoch" else SAVE_EVERY,
        delete_checkpoint=False)


def train_with_fit(approach, directory, pause_at, log):
    examples, labels = load_examples()
    model = build_model()
    callbacks = {"scratch": [],
                 "keras": [backup(directory / "backup_epoch", "backup_epoch"),
                           backup(directory / "backup_steps", "backup_steps")],
                 "backup_epoch": [backup(directory / "backup_epoch", "backup_epoch")],
                 "backup_steps": [backup(directory / "backup_steps",
                                         "backup_steps")]}[approach]
    # Progress comes last: at a pause on a batch where a backup saves, the save is
    # written.
    model.fit(shuffled_batches(examples, labels), epochs=EPOCHS, verbose=0,
              shuffle=False,
              callbacks=[*callbacks, Progress(log, pause_at)])
    return model


def train_with_loop(approach, directory, pause_at, log):
    """A training loop whose checkpoint holds everything needed to continue:
    the model, the optimizer, the step and (``iterator``) the pipeline's iterator."""
    examples, labels = load_examples()
    model = build_model()
    optimizer, loss_fn = model.optimizer, model.loss
    steps_per_epoch = N_EXAMPLES // BATCH
    step = tf.Variable(0, dtype=tf.int64, name="step")
    parts = {"model": model, "optimizer": optimizer, "step": step}
    if approach == "iterator":
        iterator = iter(shuffled_batches(examples, labels).repeat(EPOCHS))
        parts["iterator"] = iterator
    optimizer.build(model.trainable_variables)
    checkpoint = tf.train.Checkpoint(**parts)
    manager = tf.train.CheckpointManager(checkpoint, str(directory / approach),
                                         max_to_keep=1)
    if manager.latest_checkpoint:
        checkpoint.restore(manager.latest_checkpoint).assert_consumed()
    if approach == "index":
        iterator = iter(index_shuffled_batches(examples, labels, start_step=int(step)))

    @tf.function
    def train_step(rows, labels):
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(rows, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))

    for rows, batch_labels in iterator:
        epoch, batch = divmod(int(step), steps_per_epoch)
        model.layers[0].epoch.assign(epoch)
        train_step(rows, batch_labels)
        step.assign_add(1)
        log.append((epoch, batch, time.time(), rows[:, 0].numpy().astype("int32")))
        if int(step) % SAVE_EVERY == 0:
            manager.save()
        pause(pause_at, epoch, batch + 1)
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--approach", required=True,
                        choices=["scratch", "keras", "backup_epoch", "backup_steps",
                                 "iterator", "index"])
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--pause-at", help="EPOCH:BATCHES, e.g. 1:10")
    args = parser.parse_args(argv)
    pause_at = tuple(int(part)
                     for part in args.pause_at.split(":")) if args.pause_at else None
    args.dir.mkdir(parents=True, exist_ok=True)
    train = train_with_loop if args.approach in (
        "iterator", "index") else train_with_fit
    log = []
    train(args.approach, args.dir, pause_at, log)
    print(f"DONE {len(log)} steps", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
