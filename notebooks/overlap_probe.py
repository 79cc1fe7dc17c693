"""Does a tf.data pipeline work ahead of its consumer? A probe, and a switch
for op determinism so that the probe can run both ways in one process.

Used by the chapters on images and text to show, with a measurement, what op
determinism does to a pipeline whose functions hold stateful operations (the
rule is in the documentation of ``tf.config.experimental.enable_op_determinism``,
section "Determinism and tf.data").

The probe: a consumer that sleeps after each batch, longer than producing one batch
takes. A sleep leaves the CPU free, as a training step on an accelerator would.
With ``prefetch`` working, tf.data makes the next batch while the consumer sleeps;
without it, the work waits until the consumer asks. The probe counts the CPU time
the process spends during the sleeps, as a share of the pipeline's work.
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
    """Round by round, the share of the pipeline's CPU work that was done while
    its consumer slept: about 1 when ``prefetch(AUTOTUNE)`` makes the next batch
    ahead, about 0 when the work waits until the consumer asks for it.

    ``make_dataset()`` builds the pipeline without a final prefetch (it is
    repeated, so any pipeline is long enough). First the pipeline without
    prefetch is timed: its CPU seconds per batch (W, the median of three runs)
    and wall seconds per batch. The consumer then sleeps five times that wall
    time (at least ``min_sleep_s``) after each batch, long enough for a
    producer slowed down by other work to finish. CPU time, unlike wall time,
    does not grow when other programs take the cores, so the share measures the
    same on a busy machine: CPU seconds of the process during the sleeps /
    (``batches`` × W)."""
    if batches < 1 or rounds < 1:
        raise ValueError(f"batches and rounds must be at least 1, got {batches} and {rounds}")
    plain = _without_injected_prefetch(make_dataset().repeat())
    prefetched = _without_injected_prefetch(make_dataset().repeat().prefetch(tf.data.AUTOTUNE))
    costs = sorted(_cpu_and_wall_per_batch(plain, batches) for _ in range(3))
    work_s, wall_s = costs[1]
    sleep_s = max(min_sleep_s, 5 * wall_s)
    shares = []
    for _ in range(rounds):
        iterator = iter(prefetched)
        for _ in range(5):                  # let the buffer fill
            next(iterator)
            time.sleep(sleep_s)
        while_asleep = 0.0
        for _ in range(batches):
            next(iterator)
            start = time.process_time()
            time.sleep(sleep_s)
            while_asleep += time.process_time() - start
        shares.append(while_asleep / (batches * work_s))
    return shares


def _cpu_and_wall_per_batch(dataset: tf.data.Dataset, batches: int) -> tuple[float, float]:
    iterator = iter(dataset)
    for _ in range(5):
        next(iterator)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(batches):
        next(iterator)
    return (time.process_time() - cpu) / batches, (time.perf_counter() - wall) / batches
