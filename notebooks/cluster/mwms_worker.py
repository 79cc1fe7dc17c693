"""One worker of a MultiWorkerMirroredStrategy cluster, in its own process.

The chapter "Beyond one machine" starts two of these on 127.0.0.1, each with
its own TF_CONFIG (the cluster's addresses and this worker's index):

    TF_CONFIG='{"cluster": {"worker": [...]},
                "task": {"type": "worker", "index": 0}}' \\
        python mwms_worker.py --files 'DIR/digits-*.tfrecord' --steps 8

The worker (1) trains a small Keras model for a few synchronous steps on its
shards, then (2) reads the TFRecord shards through the strategy under each
auto-shard policy and reports which records it received. It prints one line,
``RESULT <json>``, and exits.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from pathlib import Path  # noqa: E402

# notebooks/: bookutils
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bookutils.network import exit_unless_loopback_only  # noqa: E402

# a server here runs what anyone who connects sends
exit_unless_loopback_only(__file__)

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

FEATURES = {
    "image": tf.io.FixedLenFeature([], tf.string),   # 64 raw uint8 pixels
    "label": tf.io.FixedLenFeature([], tf.int64),
    "index": tf.io.FixedLenFeature([], tf.int64),
}


def parse(serialized):
    """A batch of serialized tf.train.Example records, as the notebook wrote them."""
    parsed = tf.io.parse_example(serialized, FEATURES)
    pixels = tf.reshape(tf.io.decode_raw(parsed["image"], tf.uint8), [-1, 64])
    return {"image": pixels, "label": parsed["label"], "index": parsed["index"]}


def records(pattern: str, policy: str, batch: int) -> tf.data.Dataset:
    """The shards as a dataset of parsed batches, with the given auto-shard policy."""
    files = tf.data.Dataset.list_files(pattern, shuffle=False)
    ds = files.interleave(tf.data.TFRecordDataset, cycle_length=2)
    ds = ds.batch(batch).map(parse)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = getattr(
        tf.data.experimental.AutoShardPolicy, policy)
    return ds.with_options(options)


PEER_STOPPED = "stopped, its peer failed"


def indices_seen(strategy, pattern: str, policy: str, batch: int) -> dict:
    """Which record indices this worker receives under `policy`, or the error."""
    try:
        dist = strategy.experimental_distribute_dataset(records(pattern, policy, batch))
        seen = []
        for per_replica in dist:
            for local in strategy.experimental_local_results(per_replica):
                seen.extend(local["index"].numpy().tolist())
        return {"indices": seen}
    except (tf.errors.UnavailableError, tf.errors.CancelledError,
            tf.errors.AbortedError,
            tf.errors.DeadlineExceededError) as err:
        # The peer stopped: this worker cannot go on either. Which of these errors
        # arrives, or whether the watchdog below fires first, depends on timing.
        return {"error": f"{PEER_STOPPED}: {type(err).__name__}"}
    except Exception as err:  # reported to the notebook, which shows it
        return {"error": f"{type(err).__name__}: "
                         f"{str(err).strip().splitlines()[0][:300]}"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", required=True, help="glob of the TFRecord shards")
    parser.add_argument("--one-file", required=True,
                        help="a single shard, for the 'fewer files' case")
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--batch", type=int, default=64, help="global batch size")
    args = parser.parse_args(argv)

    task = json.loads(os.environ["TF_CONFIG"])["task"]
    keras.utils.set_random_seed(42)
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    result = {"index": task["index"],
              "workers": strategy.cluster_resolver.cluster_spec().num_tasks("worker"),
              "replicas": strategy.num_replicas_in_sync, "sharding": {}}
    # Training data: each worker reads its own shards (FILE auto-sharding of the
    # 4 files); each global batch of `--batch` records is split between replicas.
    train = records(args.files, "FILE", args.batch).repeat()
    train = train.map(lambda f: (tf.cast(f["image"], tf.float32) / 16.0, f["label"]))

    with strategy.scope():
        model = keras.Sequential([keras.Input(shape=(64,)),
                                  keras.layers.Dense(32, activation="relu"),
                                  keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    # Keras 3's fit does not accept the strategy's per-replica batches
    # (keras-team/keras#20585): record the error, then train with a loop.
    try:
        model.fit(train, epochs=1, steps_per_epoch=1, shuffle=False, verbose=0)
        result["fit"] = "ok"
    except Exception as err:
        result["fit"] = (f"{type(err).__name__}: "
                         f"{str(err).strip().splitlines()[0][:200]}")

    with strategy.scope():
        optimizer = keras.optimizers.SGD(learning_rate=0.5)

    @tf.function
    def train_step(iterator):
        def step(images, labels):
            with tf.GradientTape() as tape:
                predictions = model(images, training=True)
                per_example = keras.losses.sparse_categorical_crossentropy(labels,
                                                                           predictions)
                loss = tf.nn.compute_average_loss(per_example,
                                                  global_batch_size=args.batch)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss
        per_replica = strategy.run(step, args=next(iterator))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    iterator = iter(strategy.experimental_distribute_dataset(train))
    losses = [float(train_step(iterator)) for _ in range(args.steps)]
    weights = np.concatenate([w.ravel() for w in model.get_weights()])
    result.update(loss=losses[-1],
                  weights_sum=float(weights.sum()),
                  weights_l2=float(np.linalg.norm(weights)),
                  steps=args.steps)

    # Then what each auto-shard policy gives this worker. Reading the one-file
    # case under FILE sharding fails on one worker only, and leaves the two
    # workers' collectives out of step, so it comes last, and a watchdog reports
    # a worker still waiting for its peer instead of hanging.
    def give_up():
        message = f"{PEER_STOPPED}: no answer after 10 s"
        result["sharding"].setdefault("one file|FILE", {"error": message})
        print("RESULT " + json.dumps(result), flush=True)
        os._exit(0)

    watchdog = threading.Timer(10.0, give_up)
    watchdog.daemon = True
    watchdog.start()
    cases = [("all shards", args.files, p) for p in ("FILE", "DATA", "OFF")]
    cases += [("one file", args.one_file, p) for p in ("DATA", "OFF", "FILE")]
    for files_name, pattern, policy in cases:
        result["sharding"][f"{files_name}|{policy}"] = indices_seen(strategy, pattern,
                                                                    policy, args.batch)
    watchdog.cancel()
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
