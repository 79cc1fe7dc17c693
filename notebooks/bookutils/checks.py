"""Exercise checks: the ``check`` context of every check cell, and a pipeline's
graph for checks that test how a pipeline is built."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Iterator


class ExerciseNotDone(AssertionError):
    """An exercise's answer is missing or wrong."""


@contextlib.contextmanager
def check(label: str) -> Iterator[None]:
    """Wrap an exercise's check cell::

        with bookutils.check("0.1"):
            assert answer is not None, "set `answer`"
            assert ..., "hint that does not give the answer away"

    A failing assertion, a name the reader has not defined yet, or any error the
    check hits on an unfinished answer (such as ``None``) becomes an
    ``ExerciseNotDone`` naming the exercise, with no traceback into TensorFlow;
    success prints a short verdict.
    """
    from . import timing

    timing._checking += 1          # claims decided in a check are not a chapter's claims
    try:
        yield
    except NameError as err:
        raise ExerciseNotDone(f"Exercise “{label}”: not answered yet ({err}).") from None
    except AssertionError as err:
        reason = str(err) or "the answer does not pass the check"
        raise ExerciseNotDone(f"Exercise “{label}”: not yet — {reason}") from None
    except Exception as err:  # an unfinished answer (None, a wrong type) breaks the check
        first_line = (str(err).strip().splitlines() or [""])[0][:200]
        raise ExerciseNotDone(f"Exercise “{label}”: not yet — checking your answer raised "
                              f"{type(err).__name__}: {first_line}") from None
    finally:
        timing._checking -= 1
    print(f"Exercise “{label}”: correct.")


@dataclass
class PipelineGraph:
    """How a tf.data pipeline is built, read from its graph, for checks that test
    the construction and not only the values (a learner could type the values in).

    ``chain``: the transformations from the output back to the source, following
    each one's input (e.g. ``["MapDataset", "BatchDatasetV2", "RangeDataset"]``).
    ``function_ops``: the operations inside the pipeline's functions (``map``,
    ``filter``, ``flat_map``, ...), as ``(op, {attribute: value})`` pairs."""

    chain: list[str]
    function_ops: list[tuple[str, dict]]

    def uses(self, op: str) -> bool:
        return op in self.chain or any(name == op for name, _ in self.function_ops)

    def attributes(self, op: str) -> list[dict]:
        return [attrs for name, attrs in self.function_ops if name == op]


def pipeline_graph(dataset) -> PipelineGraph:
    """The ``PipelineGraph`` of a ``tf.data.Dataset``."""
    from tensorflow.core.framework import graph_pb2

    graph = graph_pb2.GraphDef()
    graph.ParseFromString(dataset._as_serialized_graph().numpy())
    nodes = {node.name: node for node in graph.node}
    chain, node = [], next(n for n in graph.node if n.op == "_Retval")
    while node.input:
        node = nodes[node.input[0].split(":")[0].lstrip("^")]
        if node.op in ("Identity", "Const"):
            break
        chain.append(node.op)

    def value(attr):
        kind = attr.WhichOneof("value")
        if kind == "list":
            return list(attr.list.i) or list(attr.list.s) or list(attr.list.f)
        return getattr(attr, kind) if kind else None

    function_ops = [(n.op, {k: value(v) for k, v in n.attr.items()})
                    for f in graph.library.function for n in f.node_def]
    return PipelineGraph(chain, function_ops)


