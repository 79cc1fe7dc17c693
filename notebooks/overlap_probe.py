"""Does a tf.data pipeline work ahead of its consumer? A probe, and a switch
for op determinism so that the probe can run both ways in one process.

Used by the chapters on images and text to show, with a measurement, what op
determinism does to a pipeline whose functions hold stateful operations (the
rule is in the documentation of ``tf.config.experimental.enable_op_determinism``,
section "Determinism and tf.data").

The probe: a consumer that sleeps, after each batch, for as long as producing one
batch takes. A sleep leaves the CPU free, as a training step on an accelerator
would. Without overlap each batch costs produce + sleep; with ``prefetch`` working,
the producer makes the next batch during the sleep, and a batch costs about the
larger of the two: the speedup of ``prefetch`` is at best 2.
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


def seconds_per_batch(dataset: tf.data.Dataset, batches: int, consumer_s: float = 0.0,
                      warmup: int = 5) -> float:
    """Seconds per batch over ``batches`` batches of ``dataset`` (which must yield
    at least ``warmup + batches``), after ``warmup`` untimed ones; the consumer
    sleeps ``consumer_s`` after each batch."""
    iterator = iter(dataset)
    for _ in range(warmup):
        next(iterator)
    start = time.perf_counter()
    for _ in range(batches):
        next(iterator)
        if consumer_s:
            time.sleep(consumer_s)
    return (time.perf_counter() - start) / batches


def prefetch_speedups(make_dataset: Callable[[], tf.data.Dataset], *, batches: int = 100,
                      rounds: int = 3) -> list[float]:
    """Round by round: seconds per batch without ``prefetch`` / with
    ``prefetch(AUTOTUNE)``, for a consumer that sleeps as long as producing one
    batch takes (measured first, the fastest of two runs without a consumer).
    ``make_dataset()`` builds the pipeline without a final prefetch; it is
    repeated so that any pipeline is long enough. About 1 when nothing overlaps,
    up to 2 when the producer works during every sleep."""
    if batches < 1 or rounds < 1:
        raise ValueError(f"batches and rounds must be at least 1, got {batches} and {rounds}")
    plain = _without_injected_prefetch(make_dataset().repeat())
    prefetched = _without_injected_prefetch(make_dataset().repeat().prefetch(tf.data.AUTOTUNE))
    produce_s = min(seconds_per_batch(plain, batches) for _ in range(2))
    speedups = []
    for i in range(rounds):
        if i % 2:                       # alternate the order, so that drift touches both
            with_prefetch = seconds_per_batch(prefetched, batches, produce_s)
            without = seconds_per_batch(plain, batches, produce_s)
        else:
            without = seconds_per_batch(plain, batches, produce_s)
            with_prefetch = seconds_per_batch(prefetched, batches, produce_s)
        speedups.append(without / with_prefetch)
    return speedups
