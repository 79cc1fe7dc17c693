"""Unit tests of notebooks/overlap_probe.py: the op-determinism switch the
timing chapter uses, and the probe's arguments. The probe's measurements are
asserted where they are made, in that chapter, with op determinism off and on
(it runs alone in `make test`: beside other work in phase 1, tf.data's prefetch
thread was seen to make nothing ahead for whole runs, with sleeps of up to 100 ms)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

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
def test_work_ahead_shares_rejects_empty_measurements(kwargs):
    import tensorflow as tf
    with pytest.raises(ValueError, match="at least 1"):
        overlap_probe.work_ahead_shares(lambda: tf.data.Dataset.range(10), **kwargs)


def test_work_ahead_shares_returns_one_share_per_round():
    import tensorflow as tf
    shares = overlap_probe.work_ahead_shares(lambda: tf.data.Dataset.range(8).batch(4), batches=3, rounds=2,
                                             min_sleep_s=0.001)
    assert len(shares) == 2 and all(share >= 0 for share in shares)

