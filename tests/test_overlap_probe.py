"""Unit tests of notebooks/overlap_probe.py: the op-determinism switch the
images and text chapters use, and the probe's arguments. (The probe's
measurements are asserted where they are made, in those chapters.)"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402

import overlap_probe  # noqa: E402  (on sys.path via conftest)


@pytest.mark.parametrize("start", [False, True])
def test_op_determinism_switches_for_the_block_and_restores(start):
    overlap_probe._set_op_determinism(start)
    try:
        with overlap_probe.op_determinism(not start):
            assert overlap_probe.op_determinism_enabled() is (not start)
            with overlap_probe.op_determinism(start):
                assert overlap_probe.op_determinism_enabled() is start
            assert overlap_probe.op_determinism_enabled() is (not start)
        assert overlap_probe.op_determinism_enabled() is start
    finally:
        overlap_probe._set_op_determinism(False)


def test_op_determinism_restores_after_an_exception():
    overlap_probe._set_op_determinism(True)
    try:
        with pytest.raises(RuntimeError):
            with overlap_probe.op_determinism(False):
                raise RuntimeError("inside the block")
        assert overlap_probe.op_determinism_enabled()
    finally:
        overlap_probe._set_op_determinism(False)


def test_the_private_switch_is_real_on_the_pinned_tensorflow():
    # If a TensorFlow upgrade drops the private function, this fails first.
    import tensorflow as tf
    overlap_probe._set_op_determinism(False)
    assert not overlap_probe.op_determinism_enabled()
    tf.config.experimental.enable_op_determinism()
    assert overlap_probe.op_determinism_enabled()
    overlap_probe._set_op_determinism(False)
    assert not overlap_probe.op_determinism_enabled()


@pytest.mark.parametrize("kwargs", [{"batches": 0}, {"rounds": 0}])
def test_prefetch_speedups_rejects_empty_measurements(kwargs):
    import tensorflow as tf
    with pytest.raises(ValueError, match="at least 1"):
        overlap_probe.prefetch_speedups(lambda: tf.data.Dataset.range(10), **kwargs)


def test_seconds_per_batch_counts_the_consumer_and_skips_the_warmup():
    import tensorflow as tf
    dataset = tf.data.Dataset.range(30)
    assert overlap_probe.seconds_per_batch(dataset, batches=10, consumer_s=0.01) >= 0.01
    with pytest.raises(StopIteration):       # 5 warm-up + 30 > 30 elements
        overlap_probe.seconds_per_batch(dataset, batches=30)


def test_prefetch_speedups_returns_one_ratio_per_round():
    import tensorflow as tf
    speedups = overlap_probe.prefetch_speedups(lambda: tf.data.Dataset.range(8).batch(4), batches=5, rounds=3)
    assert len(speedups) == 3 and all(s > 0 for s in speedups)
