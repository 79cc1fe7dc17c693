"""How much of a Keras training step is spent on its input, measured inside
``model.fit`` (the timing chapter, notebooks/04_timing_prefetch.ipynb, shows each
function where it uses it; ``benchmarks/tfdata_bench.py --json`` reports the same
figures).

Two measures, independent of each other:

- ``input_share``: the same model trains on the real pipeline and on *ready
  batches* (the pipeline's own batches of one epoch, cached in memory, through one
  iterator), in interleaved rounds, timed by the epoch. The share of training that
  the input costs is 1 - (time on ready batches) / (time on the pipeline): how much
  faster training would run if the pipeline cost nothing, including what a new
  epoch costs the pipeline (a new iterator, empty shuffle and prefetch buffers).
- ``trace_split``: a trace of a few training steps taken with the TensorFlow
  profiler, with one step marker per Keras batch; each step is split into the time
  Keras's compiled train function spent waiting in the iterator's ``get_next``
  (input), the rest of that function (compute), and what lies outside it (Python:
  Keras's callbacks and dispatch).
"""
from __future__ import annotations

import glob
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable

import keras
import tensorflow as tf


def epoch_seconds(model: keras.Model, data: tf.data.Dataset, epochs: int,
                  steps_per_epoch: int | None = None) -> float:
    """Mean seconds per epoch of ``model.fit(data, ...)`` over `epochs` epochs,
    after one more that is not counted (the first epoch of a fit starts its
    iterator and, on a new model, traces the train function): from the start of
    the first epoch counted to the end of the last."""
    clock = EpochStarts()
    model.fit(data, epochs=epochs + 1, steps_per_epoch=steps_per_epoch, shuffle=False,
              verbose=0,
              callbacks=[clock])
    return (clock.ends[-1] - clock.begins[1]) / epochs


def ready_batches(dataset: tf.data.Dataset, batches: int) -> tf.data.Dataset:
    """The pipeline's first `batches` batches (one epoch), cached in memory and
    repeated: the same shapes and contents as the pipeline, at the cost of a
    cache read, through one iterator for the whole fit."""
    ready = dataset.take(batches).cache()
    for _ in ready:                                 # one pass fills the cache
        pass
    return ready.repeat()


@dataclass
class InputShare:
    # the median over rounds of 1 - ready / pipeline
    share: float
    # median seconds per step, the pipeline as fit gets it
    pipeline_s: float
    # median seconds per step, ready batches
    ready_s: float
    rounds: list = field(default_factory=list)      # [(pipeline_s, ready_s)] per round

    def shares(self) -> list[float]:
        """The share in each round, for settling a claim."""
        return [1 - ready / pipeline for pipeline, ready in self.rounds]


def input_share(model: keras.Model, dataset: tf.data.Dataset,
                steps_per_epoch: int | None = None,
                seconds: float = 0.1, rounds: int = 7) -> InputShare:
    """The share of `model`'s training that the input costs, epoch starts
    included. In turn, `rounds` times, the model trains for about `seconds` on

    - the pipeline, as a chapter gives it to ``fit``: ``fit(dataset, epochs=...)``
      (a new iterator every epoch), or, for a repeated pipeline,
      ``fit(dataset, steps_per_epoch=..., epochs=...)`` (one iterator);
    - its ready batches (``ready_batches``), with the same number of batches per
      epoch.

    The share is the median of the rounds' 1 - ready / pipeline (each round
    times the two back to back, in alternating order)."""
    batches = steps_per_epoch or sum(1 for _ in dataset)
    ready = ready_batches(dataset, batches)
    # warm-up: tracing, thread pools
    epoch_seconds(model, ready, 1, batches)
    epoch = epoch_seconds(model, dataset, 1, steps_per_epoch)
    epochs = max(1, round(seconds / epoch))
    timed = []
    # alternate which goes first, so that a drift cancels
    for round_ in range(rounds):
        first_ready = round_ % 2 == 1
        ready_s = epoch_seconds(model, ready, epochs,
                                batches) / batches if first_ready else None
        pipeline_s = epoch_seconds(model, dataset, epochs, steps_per_epoch) / batches
        if not first_ready:
            ready_s = epoch_seconds(model, ready, epochs, batches) / batches
        timed.append((pipeline_s, ready_s))
    pipeline_s = statistics.median(p for p, _ in timed)
    ready_s = statistics.median(r for _, r in timed)
    return InputShare(statistics.median(1 - r / p for p, r in timed), pipeline_s,
                      ready_s, timed)


# --- The profiler's view ------------------------------------------------------

# What the trace calls the events we need (TensorFlow 2.21, Keras 3): Keras's
# compiled train function, and the iterator's get_next. With steps_per_execution
# above 1, Keras reads batches with get_next_as_optional inside a while loop.
TRAIN_FUNCTION = "multi_step_on_iterator"
GET_NEXT = ("IteratorGetNextOp::DoCompute", "IteratorGetNextAsOptionalOp::DoCompute")
STEP_MARKER = "train"


class StepMarkers(keras.callbacks.Callback):
    """Traces Keras batches `first` to `first + count - 1` with the TensorFlow
    profiler, each inside a step marker (a ``tf.profiler.experimental.Trace``
    with a step number, as TensorBoard's profiler expects)."""

    def __init__(self, logdir: str, first: int, count: int):
        super().__init__()
        self.logdir, self.first, self.stop = logdir, first, first + count
        self.batch, self.marker = 0, None

    def on_train_batch_begin(self, batch, logs=None):
        if self.batch == self.first:
            tf.profiler.experimental.start(self.logdir)
        if self.first <= self.batch < self.stop:
            self.marker = tf.profiler.experimental.Trace(STEP_MARKER,
                                                         step_num=self.batch, _r=1)
            self.marker.__enter__()

    def on_train_batch_end(self, batch, logs=None):
        if self.marker is not None:
            self.marker.__exit__(None, None, None)
            self.marker = None
        self.batch += 1
        if self.batch == self.stop:
            tf.profiler.experimental.stop()


def _overlap(spans, start, end) -> int:
    return sum(max(0, min(e, end) - max(s, start)) for s, e in spans)


def read_trace(logdir: str) -> list[dict]:
    """One dict per step marker in the trace under `logdir`: seconds of the step,
    of Keras's train function within it, and of get_next within it."""
    # the trace's format, shipped with TensorFlow
    from tensorflow.tsl.profiler.protobuf import xplane_pb2

    files = sorted(glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True))
    if not files:
        raise FileNotFoundError(f"no profiler trace (*.xplane.pb) under {logdir}")
    space = xplane_pb2.XSpace()
    with open(files[-1], "rb") as f:
        space.ParseFromString(f.read())
    steps, functions, waits = [], [], []
    for plane in space.planes:
        if plane.name != "/host:CPU":
            continue
        for line in plane.lines:
            for event in line.events:
                name = plane.event_metadata[event.metadata_id].name
                # picoseconds
                start = line.timestamp_ns * 1000 + event.offset_ps
                span = (start, start + event.duration_ps)
                if name == STEP_MARKER:
                    steps.append(span)
                elif name == TRAIN_FUNCTION:
                    functions.append(span)
                elif name in GET_NEXT:
                    waits.append(span)
    if not steps:
        raise ValueError(f"the trace in {files[-1]} has no "
                         f"step markers named {STEP_MARKER!r}")
    rows = []
    for start, end in sorted(steps):
        function = _overlap(functions, start, end)
        if function == 0:
            raise ValueError(f"step marker at {start} ps holds "
                             f"no {TRAIN_FUNCTION!r} event: "
                             "has Keras renamed its train function?")
        rows.append({"step": (end - start) / 1e12, "function": function / 1e12,
                     "input": _overlap(waits, start, end) / 1e12})
    return rows


def split_shares(rows: list[dict], steps_per_execution: int = 1) -> dict:
    """Totals of `read_trace`'s rows as shares of the step time: input (waiting in
    get_next), compute (the rest of the train function), Python (outside it)."""
    total = {key: sum(row[key] for row in rows)
             for key in ("step", "function", "input")}
    return {"step_ms": 1e3 * total["step"] / (len(rows) * steps_per_execution),
            "input": total["input"] / total["step"],
            "compute": (total["function"] - total["input"]) / total["step"],
            "python": (total["step"] - total["function"]) / total["step"],
            "markers": len(rows)}


def trace_split(model: keras.Model, dataset: tf.data.Dataset, executions: int = 20,
                warmup: int = 5) -> dict:
    """Trains `model` on `dataset` (repeated, one epoch) and traces `executions`
    Keras batches after `warmup`; returns `split_shares` of the trace."""
    logdir = tempfile.mkdtemp(prefix="fit-trace-")
    try:
        spe = model.steps_per_execution
        model.fit(dataset.repeat(), epochs=1,
                  steps_per_epoch=(warmup + executions) * spe, shuffle=False, verbose=0,
                  callbacks=[StepMarkers(logdir, warmup, executions)])
        return split_shares(read_trace(logdir), spe)
    finally:
        shutil.rmtree(logdir, ignore_errors=True)


def python_next_seconds(dataset: tf.data.Dataset, count: int = 200) -> float:
    """Seconds per `next()` on a Python iterator over ready batches: the hand-off a
    hand-written loop pays for each batch, and `fit` does not (it calls get_next
    inside its compiled function)."""
    iterator = iter(ready_batches(dataset, 8))
    next(iterator)
    start = time.perf_counter()
    for _ in range(count):
        next(iterator)
    return (time.perf_counter() - start) / count


def settle_share(what: str, measure: Callable[[], InputShare], below: float,
                 first: InputShare | list[float] | None = None, attempts: int = 3):
    """A claim that the input share stays below `below`, settled like the book's
    other timing claims (bookutils.settle: the rounds' shares, measured again a
    bounded number of times while they straddle the threshold, `attempts` in all).
    `first`: shares already measured (an InputShare, or one share per round), the
    first attempt."""
    import bookutils

    if isinstance(first, InputShare):
        first = first.shares()
    return bookutils.settle(what, lambda: measure().shares(), below=below, first=first,
                            attempts=attempts)

class EpochStarts(keras.callbacks.Callback):
    """The one clock of fit's epochs: records when every epoch begins and ends
    (``begins``, ``ends``: ``time.perf_counter()``; ``durations``: their
    differences) and the seconds from its start to its first batch (``gaps``: what
    ``fit`` spends getting the epoch's input going, with a finite dataset a new
    iterator, before the first step)."""

    def __init__(self):
        super().__init__()
        self.begins: list[float] = []
        self.ends: list[float] = []
        self.gaps: list[float] = []
        self._waiting = False

    @property
    def durations(self) -> list[float]:
        return [end - begin for begin, end in zip(self.begins, self.ends)]

    def on_epoch_begin(self, epoch, logs=None):
        self.begins.append(time.perf_counter())
        self._waiting = True

    def on_train_batch_begin(self, batch, logs=None):
        if self._waiting:
            self.gaps.append(time.perf_counter() - self.begins[-1])
            self._waiting = False

    def on_epoch_end(self, epoch, logs=None):
        self.ends.append(time.perf_counter())


def epoch_starts(model: keras.Model, data: tf.data.Dataset, epochs: int = 20,
                 steps_per_epoch: int | None = None) -> EpochStarts:
    """`EpochStarts` of `epochs` epochs of ``model.fit(data, ...)``, after one
    epoch that is not counted."""
    starts = EpochStarts()
    model.fit(data, epochs=epochs + 1, steps_per_epoch=steps_per_epoch, shuffle=False,
              verbose=0, callbacks=[starts])
    starts.begins, starts.ends = starts.begins[1:], starts.ends[1:]
    starts.gaps = starts.gaps[1:]
    return starts


# The four settings that split an epoch of fit, cheapest last (the timing chapter's
# "Where fit's time goes"); each part is the difference between two neighbours.
SPLIT = ("a new iterator each epoch", "one iterator", "ready batches",
         "ready batches, several per call")
PARTS = ("compute", "Keras dispatch", "rest of the input", "epoch starts")


@dataclass
class FitSplit:
    """Epochs of fit for each pipeline, in the four settings of ``SPLIT`` and with
    each knob, timed by ``time_fit_split``. ``runs[name][setting]``: (model,
    dataset, steps_per_epoch or None); ``epochs``: epochs per round;
    ``timed[name][setting]``: an ``EpochStarts`` per round; ``compared_with[name,
    knob]``: the ready batches a knob is compared with."""
    runs: dict
    epochs: dict
    timed: dict
    compared_with: dict

    def typical(self, name: str, setting: str) -> float:
        """Seconds of a typical epoch: the median over the rounds of each round's
        mean epoch."""
        return statistics.median(statistics.fmean(m.durations)
                                 for m in self.timed[name][setting])

    def parts(self, name: str) -> dict[str, float]:
        """Seconds of a typical epoch per part (``PARTS``); they add up to the
        epoch as the chapter runs it."""
        new, one, ready, several = (self.typical(name, setting) for setting in SPLIT)
        return dict(zip(PARTS, (several, ready - several, one - ready, new - one)))

    def gaps_ms(self, name: str, setting: str) -> list[float]:
        """Every timed epoch's gap to its first batch, in milliseconds."""
        return [1e3 * gap for measured in self.timed[name][setting]
                for gap in measured.gaps]

    def rest_shares(self, name: str, timed: dict | None = None) -> list[float]:
        """Per round: (one iterator - ready batches) / (a new iterator each epoch),
        mean epochs."""
        timed = timed or self.timed[name]
        mean = statistics.fmean
        return [(mean(one.durations) - mean(ready.durations)) / mean(new.durations)
                for new, one, ready in zip(*(timed[s] for s in SPLIT[:3]))]

    def rest_again(self, name: str, rounds: int = 3) -> list[float]:
        """The three settings of the rest of the input, timed again in interleaved
        rounds."""
        again = {setting: [] for setting in SPLIT[:3]}
        for _ in range(rounds):
            for setting in SPLIT[:3]:
                model, data, steps = self.runs[name][setting]
                again[setting].append(epoch_starts(model, data,
                                                   self.epochs[name][setting], steps))
        return self.rest_shares(name, again)


def time_fit_split(cases: dict, batches: dict, model_for: Callable, knobs: dict,
                   knobs_timed: dict,
                   claimed: dict, steps_per_execution: Callable[[int], int],
                   rounds: int = 3) -> FitSplit:
    """Time fit's epochs for each pipeline of `cases` (name: (model maker, pipeline
    maker)) in the four settings of ``SPLIT``, and with the knobs `knobs_timed[name]`
    (of `knobs`: pipeline settings), each against ready batches of its own shape,
    with the same steps per call. All of a pipeline's settings are timed in turn, in
    `rounds` interleaved rounds. A round has at least 2 epochs and about 0.1 s, or
    0.2 s for the knobs in `claimed[name]` and the ready batches, after one epoch
    that is not counted (tracing, thread pools)."""
    import bookutils

    split = FitSplit({}, {}, {}, {})
    for name, (_, make_pipeline) in cases.items():
        n = batches[name]
        one_per_call = model_for(name)
        several_per_call = model_for(name, steps_per_execution(n))
        ready = ready_batches(make_pipeline(), n)
        runs = dict(zip(SPLIT, [(one_per_call, make_pipeline(), None),
                                (one_per_call, make_pipeline(repeat=True), n),
                                (one_per_call, ready, n),
                                (several_per_call, ready, n)]))
        for knob in knobs_timed[name]:
            settings = knobs[knob]
            # steps: batches per epoch
            steps = bookutils.consume(make_pipeline(**{**settings, "repeat": False}))
            model = model_for(name, steps_per_execution(steps))
            repeated = settings.get("repeat")
            runs[knob] = (model, make_pipeline(**settings), steps if repeated else None)
            split.compared_with[name, knob] = SPLIT[3]
            if "batch_size" in settings:          # other batches, other ready batches
                ready_name = f"ready batches of {settings['batch_size']}"
                split.compared_with[name, knob] = ready_name
                knob_ready = ready_batches(make_pipeline(**settings), steps)
                runs[ready_name] = (model, knob_ready, steps)
        longer = {knob for knob in knobs_timed[name]
                  if knobs[knob] == claimed[name]} | {SPLIT[3]}
        epochs = {}
        for setting, (model, data, steps) in runs.items():
            warm = epoch_starts(model, data, 1, steps)
            seconds = 0.2 if setting in longer else 0.1
            epochs[setting] = max(2, round(seconds / warm.durations[0]))
        split.runs[name], split.epochs[name] = runs, epochs
        split.timed[name] = {setting: [] for setting in runs}
        for _ in range(rounds):
            for setting, (model, data, steps) in runs.items():
                split.timed[name][setting].append(epoch_starts(model, data,
                                                               epochs[setting], steps))
    return split

