"""Does a tf.data pipeline work ahead of its consumer? A probe, and a switch
for op determinism so that the probe can run both ways in one process.

Used by the timing chapter to show, with a measurement, what op
determinism does to a pipeline whose functions hold stateful operations (the
rule is in the documentation of ``tf.config.experimental.enable_op_determinism``,
section "Determinism and tf.data"); the text chapter uses the switch to time
its two placements of the vectorization with op determinism off.

The probe: a consumer that sleeps after each batch, longer than producing one batch
takes. A sleep leaves the CPU free, as a training step on an accelerator would.
With ``prefetch`` working, tf.data makes the next batch while the consumer sleeps;
without it, the work waits until the consumer asks. The probe counts the CPU time
the process spends while the consumer sleeps, as a share of the CPU time it spends
while the consumer waits for a batch and while it sleeps.
"""
from __future__ import annotations

import contextlib
import time
from typing import Callable, Iterator

import tensorflow as tf
# Private: TensorFlow's public API can switch op determinism on but not off again;
# its own tests use this module's disable_op_determinism. Checked on the pinned
# TensorFlow (requirements.txt) by tests/test_overlap_probe.py.
from tensorflow.python.framework import config as _tf_config


SLEEP_FACTOR = 5    # the consumer sleeps this many times the time to make a batch


def op_determinism_enabled() -> bool:
    return _tf_config.is_op_determinism_enabled()


@contextlib.contextmanager
def op_determinism(enabled: bool) -> Iterator[None]:
    """Run the block with op determinism on (``True``) or off (``False``), then
    restore the setting found on entry. Build the datasets to compare inside
    the block, and iterate them there."""
    before = op_determinism_enabled()
    _set_op_determinism(enabled)
    try:
        yield
    finally:
        _set_op_determinism(before)


def _set_op_determinism(enabled: bool) -> None:
    if enabled:
        tf.config.experimental.enable_op_determinism()
    else:
        _tf_config.disable_op_determinism()


def _without_injected_prefetch(dataset: tf.data.Dataset) -> tf.data.Dataset:
    # tf.data adds a prefetch(AUTOTUNE) at the end of a pipeline that has none;
    # the baseline must not have one.
    options = tf.data.Options()
    options.experimental_optimization.inject_prefetch = False
    return dataset.with_options(options)


def work_ahead_shares(make_dataset: Callable[[], tf.data.Dataset], *, batches: int = 20,
                      rounds: int = 3, min_sleep_s: float = 0.01) -> list[float]:
    """Round by round, the share of the pipeline's CPU time spent while its
    consumer slept: about 1 when ``prefetch(AUTOTUNE)`` makes the next batch
    ahead, about 0 when the work waits until the consumer asks for it.

    ``make_dataset()`` builds the pipeline without a final prefetch (it is
    repeated, so any pipeline is long enough). First the pipeline is timed
    without prefetch, wall seconds per batch (the median of three runs). Then,
    with ``prefetch(AUTOTUNE)``, the consumer takes ``batches`` batches and
    sleeps ``SLEEP_FACTOR`` times that long (at least ``min_sleep_s``) after
    each. On a busy machine the producer does not always get a core during the
    sleep, and the share falls (to about 0.4 beside four busy processes on two
    cores, in trials while writing this). The process's
    CPU time is counted separately while the consumer waits for a batch and
    while it sleeps; the share is sleeping / (waiting + sleeping). Both are
    counted in the same run, and CPU time, unlike wall time, does not grow
    when other programs take the cores."""
    if batches < 1 or rounds < 1:
        raise ValueError(f"batches and rounds must be at least 1, got {batches} and {rounds}")
    plain = _without_injected_prefetch(make_dataset().repeat())
    prefetched = _without_injected_prefetch(make_dataset().repeat().prefetch(tf.data.AUTOTUNE))
    wall_s = sorted(_wall_per_batch(plain, batches) for _ in range(3))[1]
    sleep_s = max(min_sleep_s, SLEEP_FACTOR * wall_s)
    shares = []
    for _ in range(rounds):
        iterator = iter(prefetched)
        for _ in range(5):                  # let the buffer fill
            next(iterator)
            time.sleep(sleep_s)
        waiting = sleeping = 0.0
        for _ in range(batches):
            start = time.process_time()
            next(iterator)
            middle = time.process_time()
            time.sleep(sleep_s)
            end = time.process_time()
            waiting += middle - start
            sleeping += end - middle
        shares.append(sleeping / (waiting + sleeping))
    return shares


def _wall_per_batch(dataset: tf.data.Dataset, batches: int) -> float:
    iterator = iter(dataset)
    for _ in range(5):
        next(iterator)
    start = time.perf_counter()
    for _ in range(batches):
        next(iterator)
    return (time.perf_counter() - start) / batches
