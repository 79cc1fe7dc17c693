"""TensorFlow's graph errors, shortened for the page."""
from __future__ import annotations

import re

_FRAME = re.compile(r'^\s*File "[^"]*", line \d+, in .*$')


def trim_graph_trace(message: str) -> str:
    """Drop the Python stack that TensorFlow appends to errors raised inside a
    graph ("Detected at node X defined at (most recent call last): File ..."),
    and the internal function name that iterator errors start with. The node
    name and the error itself are kept; the file paths, which say where Keras'
    own code lives on this machine, go."""
    lines = message.splitlines()
    out = []
    for line in lines:
        if _FRAME.match(line):
            continue
        if (line.startswith("Detected at node ")
                and line.rstrip().endswith("(most recent call last):")):
            line = line.split(" defined at ")[0] + " (Python stack trimmed)"
        out.append(line)
    text = "\n".join(out)
    # internal function name
    text = re.sub(r"\{\{function_node [^}]*\}\}\s*", "", text)
    text = re.sub(r"\s+name: $", "", text)                         # empty op name
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def shorten_tensorflow_errors() -> None:
    """In IPython, show TensorFlow's graph errors without the Python stack of
    where each operation was defined (see ``trim_graph_trace``)."""
    from IPython import get_ipython
    import tensorflow as tf

    shell = get_ipython()
    if shell is None:
        return

    def handler(shell, etype, value, tb, tb_offset=None):
        if getattr(value, "_message", None):
            value._message = trim_graph_trace(value._message)
        # A custom handler must display the error itself (IPython only logs the
        # return value); showtraceback sends the usual error output.
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return []

    shell.set_custom_exc((tf.errors.OpError,), handler)

