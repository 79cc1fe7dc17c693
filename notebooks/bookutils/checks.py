"""Exercise checks: the ``check`` context of every check cell, and a pipeline's
graph for checks that test how a pipeline is built."""
from __future__ import annotations

import contextlib
import re
import sys
import types
from dataclasses import dataclass, field
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

    # claims decided in a check are not a chapter's claims
    timing._checking += 1
    try:
        yield
    except NameError as err:
        raise ExerciseNotDone(
            f"Exercise “{label}”: not answered yet ({err}).") from None
    except AssertionError as err:
        reason = str(err) or "the answer does not pass the check"
        raise ExerciseNotDone(f"Exercise “{label}”: not yet — {reason}") from None
    # an unfinished answer (None, a wrong type) breaks the check
    except Exception as err:
        first_line = (str(err).strip().splitlines() or [""])[0][:200]
        raise ExerciseNotDone(f"Exercise “{label}”: not yet "
                              "— checking your answer raised "
                              f"{type(err).__name__}: {first_line}") from None
    finally:
        timing._checking -= 1
    print(f"Exercise “{label}”: correct.")


def _kept() -> dict:
    # In a module of its own, not in this file's globals: the grader runs this package
    # afresh before every check cell (classroom/grade.py), and what the chapter kept
    # must outlive that.
    store = sys.modules.setdefault("_bookutils_kept",
                                   types.ModuleType("_bookutils_kept"))
    return store.__dict__.setdefault("objects", {})


def keep(**objects) -> None:
    """Keep objects as the chapter made them (``keep(bag_model=bag_model)``), for a
    check that must use them even if a learner's answer rebinds their names."""
    _kept().update(objects)


def kept(name: str):
    """An object the chapter kept with ``keep``."""
    if name not in _kept():
        raise NameError(f"the chapter has not kept `{name}` "
                        "yet: run the chapter's cells first")
    return _kept()[name]


@contextlib.contextmanager
def noted_calls(function, name: str):
    """While the block runs, the calls that `function` makes to the global `name` (a
    name in its module's namespace, such as a notebook's) are noted: yields the list
    of their arguments, in the order of the callee's parameters, however they were
    passed (``consume(ds=first)`` is noted as ``(first,)``). For checks that test
    how an answer was made (which pipelines a learner's timing function ran, in
    which order)."""
    import inspect

    namespace = function.__globals__
    real = namespace[name]
    calls: list[tuple] = []

    def noting(*args, **kwargs):
        try:
            bound = inspect.signature(real).bind(*args, **kwargs)
            calls.append(tuple(bound.arguments.values()))
        except TypeError:           # arguments the callee refuses: it says so itself
            calls.append(args)
        return real(*args, **kwargs)

    namespace[name] = noting
    try:
        yield calls
    finally:
        namespace[name] = real


@contextlib.contextmanager
def noted_method(owner: type, name: str):
    """While the block runs, every call of the method ``owner.name`` (on any
    instance) is noted: yields the list of ``(instance, result)`` pairs. For checks
    that an answer computed something with the operation taught (a count made with
    ``tf.data.Dataset.reduce`` over the learner's pipeline, and returned), not in
    Python beside it. With ``"__init__"``, the instances made (a function that must
    not build a dataset)."""
    real = getattr(owner, name)
    noted: list = []

    def noting(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        noted.append((self, result))
        return result

    setattr(owner, name, noting)
    try:
        yield noted
    finally:
        setattr(owner, name, real)


def names_used(function) -> set[str]:
    """What a function refers to: the names in its code and in the code of every
    function defined inside it (lambdas too), each also as the ``__name__`` of the
    global it resolves to (an alias shows the name of what it stands for), the
    strings in its code that could be names (``getattr(tf.math, "confusion_matrix")``),
    the names of its default arguments, and, through every global it uses that is a
    function of the same namespace (a helper) or a ``functools.partial``, what those
    use. For checks that an answer does not call something the exercise rules out."""
    import functools

    def names_in(code):
        yield from code.co_names
        for inner in code.co_consts:
            if isinstance(inner, type(code)):
                yield from names_in(inner)
            elif isinstance(inner, str) and inner.isidentifier():
                yield inner

    found: set[str] = set()
    seen: set[int] = set()

    def visit(function):
        if id(function) in seen:
            return
        seen.add(id(function))
        namespace = function.__globals__
        for name in names_in(function.__code__):
            value = namespace.get(name)
            found.update({name, getattr(value, "__name__", name)})
            if isinstance(value, functools.partial):
                value = value.func
                found.add(getattr(value, "__name__", ""))
            helper = getattr(value, "__globals__", None) is namespace
            if helper and hasattr(value, "__code__"):
                visit(value)          # a helper of the answer's, in its namespace
        defaults = (*(function.__defaults__ or ()),
                    *(function.__kwdefaults__ or {}).values())
        for default in defaults:
            found.add(getattr(default, "__name__", ""))
            if hasattr(default, "__code__") and hasattr(default, "__globals__"):
                visit(default)        # a lambda given as a default

    visit(function)
    return found - {""}


def loss_of(model) -> tuple[str, bool]:
    """The loss a Keras model was compiled with, as ``(name, from_logits)``, however
    it was given: ``"binary_crossentropy"``, ``keras.losses.BinaryCrossentropy()`` or
    the function ``keras.losses.binary_crossentropy``."""
    import keras

    loss = keras.losses.get(model.loss) if isinstance(model.loss, str) else model.loss
    name = getattr(loss, "name", None) or getattr(loss, "__name__", repr(loss))
    config = loss.get_config() if hasattr(loss, "get_config") else {}
    return name, bool(config.get("from_logits", False))


def model_settings(model, skip=()) -> tuple:
    """What "everything else the same" compares between two Keras models: each
    layer's class and config (less the keys in `skip`; a regularizer by its effect
    on a probe, so that ``L2(1e-4)`` equals ``L1L2(l2=1e-4)``), the optimizer's class
    and config (less its name), and the loss (``loss_of``)."""
    import numpy as np

    probe = np.full((3, 1), 2.0, "float32")

    def value(layer, key, config):
        if key.endswith("_regularizer") and config:
            return round(float(getattr(layer, key)(probe)), 9)
        return config

    layers = [(type(layer).__name__, {key: value(layer, key, config)
                                      for key, config in layer.get_config().items()
                                      if key not in skip})
              for layer in model.layers if type(layer).__name__ != "InputLayer"]
    optimizer = {k: v for k, v in model.optimizer.get_config().items() if k != "name"}
    return layers, type(model.optimizer), optimizer, loss_of(model)


@dataclass
class PipelineGraph:
    """How a tf.data pipeline is built, read from its graph, for checks that test
    the construction and not only the values (a learner could type the values in).

    ``chain``: the transformations from the output back to the source, following
    each one's input (e.g. ``["MapDataset", "BatchDatasetV2", "RangeDataset"]``).
    ``function_ops``: the operations inside the pipeline's functions (``map``,
    ``filter``, ``flat_map``, ...), as ``(op, {attribute: value})`` pairs.
    ``constants``: for each transformation of ``chain``, the values of its inputs
    that are constants in the graph (``RangeDataset`` of ``range(10)``: ``[0, 10, 1]``;
    a typed-in list under ``from_tensor_slices`` shows here too).
    ``chain_ops``: for each transformation of ``chain``, the operations inside its
    own functions (a ``map``'s function, and the functions that one calls).
    ``sources``: the datasets the pipeline starts from, on every branch (a ``zip``
    has two), e.g. ``["TextLineDataset"]``.
    ``fed_by_elements``: for each operation inside the pipeline's functions, one
    flag per use: whether its first input carries the data of the function's
    arguments (the dataset's elements), or only constants and shapes (a decoder
    given a constant line shows ``False``).
    ``source_arrays``: the values the pipeline starts from, on every branch (the
    arrays under ``from_tensor_slices``, or each of a ``zip``'s), as lists; a
    file reader's names are not among them."""

    chain: list[str]
    function_ops: list[tuple[str, dict]]
    constants: list[list] = field(default_factory=list)
    chain_ops: list[set] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    fed_by_elements: dict[str, list[bool]] = field(default_factory=dict)
    source_arrays: list = field(default_factory=list)

    def uses(self, op: str) -> bool:
        return op in self.chain or any(name == op for name, _ in self.function_ops)

    def attributes(self, op: str) -> list[dict]:
        return [attrs for name, attrs in self.function_ops if name == op]

    def arguments(self, op: str) -> list[list]:
        """The constant inputs of each ``op`` in the chain, output first."""
        return [args for name, args in zip(self.chain, self.constants) if name == op]

    def where(self, op: str) -> list[int]:
        """The positions in ``chain`` of the transformations whose functions use
        ``op``."""
        return [i for i, ops in enumerate(self.chain_ops) if op in ops]


def pipeline_graph(dataset) -> PipelineGraph:
    """The ``PipelineGraph`` of a ``tf.data.Dataset``."""
    from tensorflow.core.framework import graph_pb2
    import tensorflow as tf

    graph = graph_pb2.GraphDef()
    graph.ParseFromString(dataset._as_serialized_graph().numpy())
    nodes = {node.name: node for node in graph.node}

    def constant_inputs(node):
        found = []
        for name in node.input:
            source = nodes.get(name.split(":")[0].lstrip("^"))
            if source is not None and source.op == "Const":
                try:
                    found.append(tf.make_ndarray(source.attr["value"].tensor).tolist())
                # a resource handle, or strings in one buffer
                except (KeyError, ValueError, TypeError):
                    pass
        return found

    functions = {f.signature.name: f for f in graph.library.function}

    def ops_inside(attrs, seen=None) -> set:
        """The operations of the functions named in `attrs`, and of those they call."""
        seen = set() if seen is None else seen
        found = set()
        for attr in attrs.values():
            name = attr.func.name if attr.WhichOneof("value") == "func" else None
            if name in functions and name not in seen:
                seen.add(name)
                for inner in functions[name].node_def:
                    found.add(inner.op)
                    found |= ops_inside(inner.attr, seen)
        return found

    chain, constants, chain_ops, node = [], [], [], next(n for n in graph.node
                                                         if n.op == "_Retval")
    while node.input:
        node = nodes[node.input[0].split(":")[0].lstrip("^")]
        if node.op in ("Identity", "Const"):
            break
        chain.append(node.op)
        constants.append(constant_inputs(node))
        chain_ops.append(ops_inside(node.attr))

    def value(attr):
        kind = attr.WhichOneof("value")
        if kind == "list":
            return list(attr.list.i) or list(attr.list.s) or list(attr.list.f)
        return getattr(attr, kind) if kind else None

    function_ops = [(n.op, {k: value(v) for k, v in n.attr.items()})
                    for f in graph.library.function for n in f.node_def]

    def is_dataset(node):
        return re.search(r"Dataset(V\d+)?$", node.op) is not None

    def source_of(node):
        """A file reader is built as a flat_map (or an interleave) over the file
        names, perhaps shuffled first (``list_files``): the reader it maps to is
        where the data enters."""
        names = {node.name}
        for _ in range(4):                 # a few transformations of the names
            consumers = [c for c in graph.node
                         if c.input and c.input[0].split(":")[0] in names]
            for consumer in consumers:
                readers = ops_inside(consumer.attr) & FILE_READERS
                if readers:
                    return sorted(readers)[0]
            names = {c.name for c in consumers}
        return node.op

    starts = [n for n in graph.node if is_dataset(n) and not any(
        is_dataset(nodes[i.split(":")[0].lstrip("^")]) for i in n.input
        if i.split(":")[0].lstrip("^") in nodes)]
    sources = [source_of(n) for n in starts]
    source_arrays = [array for n in starts if source_of(n) == n.op
                     for array in constant_inputs(n)]

    fed_by_elements: dict[str, list[bool]] = {}
    for function in graph.library.function:
        arguments = {a.name for a in function.signature.input_arg}
        inner = {n.name: n for n in function.node_def}

        def carries_data(ref, seen):
            name = ref.lstrip("^").split(":")[0]
            if name in arguments:
                return True
            if ref.startswith("^") or name in seen or name not in inner:
                return False
            seen.add(name)
            if inner[name].op in SHAPE_ONLY:       # the size of the data, not the data
                return False
            return any(carries_data(i, seen) for i in inner[name].input)

        for n in function.node_def:
            if n.input:
                flag = carries_data(n.input[0], set())
                fed_by_elements.setdefault(n.op, []).append(flag)
    return PipelineGraph(chain, function_ops, constants, chain_ops, sources,
                         fed_by_elements, source_arrays)


FILE_READERS = {"TextLineDataset", "TFRecordDataset", "TFRecordDatasetV2",
                "FixedLengthRecordDatasetV2"}

# Operations whose output tells the shape of their input, not its values: data that
# reaches an operation only through them (tf.fill(tf.shape(lines), "0,0")) is not the
# elements' data.
SHAPE_ONLY = {"Shape", "ShapeN", "Size", "Rank", "ZerosLike", "OnesLike"}


