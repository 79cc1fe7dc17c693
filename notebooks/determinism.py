"""Op determinism on or off for a block of code, then back to what it was.

TensorFlow's public API can switch op determinism on
(``tf.config.experimental.enable_op_determinism``) but not off again. The text
chapter needs both in one process: it trains with op determinism on, and times
where vectorization runs with it off, because the documentation of
``enable_op_determinism`` (section "Determinism and tf.data") says that op
determinism makes a pipeline whose functions hold stateful operations run
serially, without prefetching.
"""
from __future__ import annotations

import contextlib
from typing import Iterator

import tensorflow as tf
# Private: disable_op_determinism is not exported under tf.config. Checked on the
# pinned TensorFlow (requirements.txt) by tests/test_determinism.py.
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
