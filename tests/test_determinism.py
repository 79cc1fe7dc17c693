"""Unit tests of notebooks/determinism.py: op determinism switched on or off for
a block, and restored after it (the text chapter times with it off)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import pytest  # noqa: E402

import determinism  # notebooks/ is on sys.path (pytest.ini)


@pytest.mark.parametrize("start", [False, True])
def test_op_determinism_switches_for_the_block_and_restores(start):
    determinism._set_op_determinism(start)
    try:
        with determinism.op_determinism(not start):
            assert determinism.op_determinism_enabled() is (not start)
            with determinism.op_determinism(start):
                assert determinism.op_determinism_enabled() is start
            assert determinism.op_determinism_enabled() is (not start)
        assert determinism.op_determinism_enabled() is start
    finally:
        determinism._set_op_determinism(False)


def test_op_determinism_restores_after_an_exception():
    determinism._set_op_determinism(True)
    try:
        with pytest.raises(RuntimeError):
            with determinism.op_determinism(False):
                raise RuntimeError("inside the block")
        assert determinism.op_determinism_enabled()
    finally:
        determinism._set_op_determinism(False)


def test_the_private_switch_is_real_on_the_pinned_tensorflow():
    # If a TensorFlow upgrade drops the private function, this fails first.
    import tensorflow as tf
    determinism._set_op_determinism(False)
    assert not determinism.op_determinism_enabled()
    tf.config.experimental.enable_op_determinism()
    assert determinism.op_determinism_enabled()
    determinism._set_op_determinism(False)
    assert not determinism.op_determinism_enabled()
