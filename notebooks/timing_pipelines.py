"""The timing chapter's pipelines and its model of prefetching
(notebooks/04_timing_prefetch.ipynb shows each function where it uses it, with
``bookutils.show_source``; ``benchmarks/tfdata_bench.py`` runs the same functions
from the command line).

The controlled pipeline has a producer that costs P seconds per element and a
consumer (standing in for a training step) that costs C seconds per element.
Both *wait* with time.sleep, which releases Python's GIL, so neither blocks the
other: the producer runs in tf.data's threads (through tf.py_function), the
consumer in the main thread. A producer doing CPU-bound Python work would hold
the GIL and serialize the two, whatever tf.data does.
"""
from __future__ import annotations

import queue
import threading
import time
from typing import Callable

import numpy as np
import tensorflow as tf

import bookutils

PREFETCH_MODES = ("none", "prefetch(1)", "prefetch(AUTOTUNE)")


def options(inject_prefetch: bool = True,
            deterministic: bool | None = None) -> tf.data.Options:
    opts = tf.data.Options()
    opts.experimental_optimization.inject_prefetch = inject_prefetch
    if deterministic is not None:
        opts.deterministic = deterministic
    return opts


def controlled_pipeline(n: int, producer_s: float, prefetch: str = "none",
                        inject_prefetch: bool = False,
                        log: list | None = None) -> tf.data.Dataset:
    """n elements, each produced by waiting `producer_s` seconds in a tf.data thread.

    prefetch: "none", "prefetch(1)" or "prefetch(AUTOTUNE)". inject_prefetch=False
    turns off tf.data's automatic prefetch, for a true no-prefetch baseline.
    With `log`, each production appends ("produce", start, end)."""
    def produce(i):
        start = time.perf_counter()
        time.sleep(producer_s)
        if log is not None:
            log.append(("produce", start, time.perf_counter()))
        return i

    ds = tf.data.Dataset.range(n).map(lambda i: tf.py_function(produce, [i], tf.int64))
    if prefetch == "prefetch(1)":
        ds = ds.prefetch(1)
    elif prefetch == "prefetch(AUTOTUNE)":
        ds = ds.prefetch(tf.data.AUTOTUNE)
    elif prefetch != "none":
        raise ValueError(f"unknown prefetch mode {prefetch!r}; "
                         f"use one of {PREFETCH_MODES}")
    return ds.with_options(options(inject_prefetch=inject_prefetch))


def consume(ds: tf.data.Dataset, consumer_s: float, log: list | None = None) -> int:
    """Iterate ds, 'training' for consumer_s seconds on each element.

    The exhausted iterator is torn down in another thread, after the call: beside a
    busy process, tearing down an iterator that prefetches sometimes waits about
    0.3 s for its background thread, which is no part of what the elements cost."""
    holder = [iter(ds)]          # the one reference to the iterator, handed over below
    count = 0
    for _ in holder[0]:
        start = time.perf_counter()
        time.sleep(consumer_s)
        if log is not None:
            log.append(("consume", start, time.perf_counter()))
        count += 1
    _teardowns.put(holder)
    return count


def _tear_down_forever():
    while True:
        _teardowns.get().clear()


_teardowns: queue.Queue = queue.Queue()
threading.Thread(target=_tear_down_forever, name="iterator-teardown",
                 daemon=True).start()


def predicted_seconds(n: int, producer_s: float, consumer_s: float,
                      overlapped: bool) -> float:
    """The model: sequential n(P+C); overlapped n·max(P,C) + min(P,C) (the first
    element must be produced before anything overlaps)."""
    if overlapped:
        return n * max(producer_s, consumer_s) + min(producer_s, consumer_s)
    return n * (producer_s + consumer_s)


def sleep_alone(n: int, seconds: float) -> None:
    """The consumer's work with no pipeline: n sleeps of ``seconds``."""
    for _ in range(n):
        time.sleep(seconds)


def calibrate(n: int, producer_s: float, consumer_s: float) -> dict[str, Callable]:
    """Runs that measure each side of the controlled pipeline alone, to feed the
    model with what P and C really cost here, now: time.sleep takes a little
    longer than asked, each element pays a fixed cost (``tf.py_function``, the
    iterator, handing an element from tf.data's thread to the consumer's), and
    a busy machine adds to all of these.

    - "producer alone": the pipeline with C = 0, so each element costs P'
      (the sleep and every fixed cost of the pipeline);
    - "consumer's sleep alone": the consumer's sleeps with no pipeline, S;
    - "consumer alone": the pipeline with P = 0, so each element costs C';
    - "consumer alone, prefetch(1)": the same with a prefetch buffer, so that
      the difference to "consumer alone" is what handing each element between
      threads adds (the overlapped prediction needs it).

    Runs with no sleep at all are not used: their cost is all CPU work, and
    beside a busy process whole runs of a P = C = 0 pipeline took 2 × longer
    than others on a 2-core machine. Neither is a "producer
    alone, prefetch(1)" run: there, whole runs took up to 1.9 × P per element."""
    return {
        "producer alone, none": lambda: consume(
            controlled_pipeline(n, producer_s, "none"), 0.0),
        "consumer's sleep alone": lambda: sleep_alone(n, consumer_s),
        "consumer alone, none": lambda: consume(controlled_pipeline(n, 0.0, "none"),
                                                consumer_s),
        "consumer alone, prefetch(1)": lambda: consume(
            controlled_pipeline(n, 0.0, "prefetch(1)"), consumer_s),
    }


def calibrated_prediction(n: int, per_element: dict[str, float],
                          overlapped: bool) -> float:
    """The model fed with the calibrated costs (seconds per element, from
    ``calibrate``): n·(P' + S) without overlap (the pipeline makes each element,
    then the consumer sleeps); with it, n·max(P'', C'') + min(P'', C''), where
    C'' is the consumer's cost with a prefetch buffer and P'' = P' + (C'' − C'),
    the producer's cost plus the same hand-off."""
    p = per_element["producer alone, none"]
    if overlapped:
        c = per_element["consumer alone, none"]
        handoff = per_element["consumer alone, prefetch(1)"] - c
        p, c = p + handoff, c + handoff
        return n * max(p, c) + min(p, c)
    return n * (p + per_element["consumer's sleep alone"])


def pc_point(producer_s: float, consumer_s: float, n: int = 12,
             rounds: int = 3) -> list[dict]:
    """One point of the sweep: the three prefetch modes and the calibration
    runs, all timed interleaved (``bookutils.compare``), so that a change in the
    machine's load touches the measurements and the calibration alike. Each
    row has the prediction from the nominal costs and from the calibrated
    ones; ``error`` is measured / calibrated prediction − 1."""
    runs = {mode: lambda mode=mode: consume(controlled_pipeline(n, producer_s, mode),
                                            consumer_s)
            for mode in PREFETCH_MODES}
    runs.update(calibrate(n, producer_s, consumer_s))
    timings = bookutils.compare(runs, rounds=rounds, warmup=1)
    # The calibration takes each run's fastest round: a busy machine only ever
    # adds to a run's time, and beside a busy process whole runs of these sleep
    # loops now and then take nearly twice their sleeps; two such rounds out of
    # three would move a median, and every round's prediction with it.
    per_element = {name: min(timings[name].times) / n for name in runs
                   if name not in PREFETCH_MODES}
    rows = []
    for mode in PREFETCH_MODES:
        overlapped = mode != "none"
        predicted = calibrated_prediction(n, per_element, overlapped)
        measured = timings[mode].median
        nominal = predicted_seconds(n, producer_s, consumer_s, overlapped)
        rows.append({"ratio": producer_s / consumer_s, "mode": mode,
                     "producer_s": producer_s, "consumer_s": consumer_s, "n": n,
                     "measured_s": measured, "predicted_nominal_s": nominal,
                     "predicted_s": predicted, "error": measured / predicted - 1,
                     "calibration_s": per_element, "times_s": timings[mode].times,
                     "calibration_times_s": {name: timings[name].times
                                             for name in per_element}})
    return rows


def round_margins(rows: list[dict], max_error: float = 0.20,
                  min_fraction: float = 0.80) -> list[float]:
    """Per round of a ``pc_point``: the claim's margin, max(|error| / max_error,
    min_fraction / (measured speedup / predicted speedup)). Below 1, every
    mode is within ``max_error`` of the calibrated model and prefetch reaches
    ``min_fraction`` of the speedup the model predicts, in that round."""
    by_mode = {r["mode"]: r for r in rows}
    base, fast = by_mode["none"], by_mode["prefetch(AUTOTUNE)"]
    margins = []
    for i in range(len(base["times_s"])):
        worst = max(abs(r["times_s"][i] / r["predicted_s"] - 1) for r in rows)
        fraction = ((base["times_s"][i] / fast["times_s"][i])
                    / (base["predicted_s"] / fast["predicted_s"]))
        margins.append(max(worst / max_error, min_fraction / fraction))
    return margins


def settled_point(producer_s: float, consumer_s: float, n: int = 12, rounds: int = 3,
                  attempts: int = 3) -> tuple[list[dict], "bookutils.Claim"]:
    """``pc_point``, with the claim decided round by round (``bookutils.settle``
    on ``round_margins``): a point whose rounds disagree is measured again, at
    most ``attempts`` times. Returns the last measurement's rows and the claim."""
    last: list[dict] = []

    def measure():
        last[:] = pc_point(producer_s, consumer_s, n, rounds)
        return round_margins(last)
    # A round now and then runs 1.6 × slower (seen on an idle machine too, one
    # round in six or so); rounds that disagree by more than half are measured again.
    claim = bookutils.settle(f"P/C = {producer_s / consumer_s:g}: margin", measure,
                             below=1.0,
                             attempts=attempts, max_spread=1.5)
    return last, claim


def pc_sweep(ratios=(0.25, 0.5, 1.0, 2.0, 4.0), consumer_s: float = 0.01, n: int = 12,
             rounds: int = 3) -> tuple[list[dict], list]:
    """``settled_point`` for each P/C ratio: (all rows, the claim of each point)."""
    rows, claims = [], []
    for ratio in ratios:
        point, claim = settled_point(ratio * consumer_s, consumer_s, n, rounds)
        rows += point
        claims.append(claim)
    return rows, claims


def speedup_fraction(rows: list[dict], mode: str = "prefetch(AUTOTUNE)") -> list[dict]:
    """For each ratio: measured speedup of `mode` over no prefetch, the speedup
    the calibrated model predicts (ideal), and the fraction speedup / ideal."""
    out = []
    for ratio in sorted({r["ratio"] for r in rows}):
        base = next(r for r in rows if r["ratio"] == ratio and r["mode"] == "none")
        fast = next(r for r in rows if r["ratio"] == ratio and r["mode"] == mode)
        ideal = base["predicted_s"] / fast["predicted_s"]
        speedup = base["measured_s"] / fast["measured_s"]
        out.append({"ratio": ratio, "speedup": speedup, "ideal": ideal,
                    "ideal_nominal": (base["predicted_nominal_s"]
                                      / fast["predicted_nominal_s"]),
                    "fraction": speedup / ideal})
    return out


# The waits io_like functions make, while waits_in_one_pass records them (else None).
_recorded_waits: list[float] | None = None


def io_like(seconds: float):
    """A map function that waits (like a read from remote storage), GIL released."""
    def wait(x):
        if _recorded_waits is not None:
            _recorded_waits.append(seconds)
        time.sleep(seconds)
        return x
    return lambda x: tf.py_function(wait, [x], tf.int64)


def waits_in_one_pass(dataset: tf.data.Dataset) -> list[float]:
    """The waits, in seconds, that `io_like` functions made during one pass over
    `dataset`: a check reads them to know that every element really waited, and
    for how long (a cache, or a shorter wait, would show here)."""
    global _recorded_waits
    _recorded_waits = []
    try:
        bookutils.consume(dataset)
        return list(_recorded_waits)
    finally:
        _recorded_waits = None


def cpu_bound(side: int = 512):
    """A map function that computes: decoding a side×side RGB PNG of noise (a few
    milliseconds of single-threaded work in TensorFlow's C++, no Python)."""
    pixels = tf.random.stateless_uniform((side, side, 3), seed=[1, 2], maxval=255)
    png = tf.io.encode_png(tf.cast(pixels, tf.uint8))

    def decode(x):
        image = tf.io.decode_png(png)
        return x + tf.cast(tf.reduce_max(image) > 0, tf.int64) * 0
    return decode


def parallel_map_scaling(kind: str, calls=(1, 2, 4, 8), n: int = 64,
                         rounds: int = 3) -> list[dict]:
    """Elements per second of a map with num_parallel_calls in `calls`.

    kind "io": each element waits 5 ms. kind "cpu": each element computes. Each
    map call is limited to one thread (max_intra_op_parallelism=1), so parallel
    calls are the only source of parallelism, and the pipeline gets a private
    thread pool large enough for every call: in tf.data's shared threads, waiting
    calls scale much less (the solution of the chapter's "Parallelize the slow
    stage" measures how much less).
    The settings are timed interleaved (``bookutils.compare``); ``speedups`` are
    the round-by-round ratios to one call, ``speedup`` their median."""
    fn = io_like(0.005) if kind == "io" else cpu_bound()
    runs = {}
    for k in calls:
        opts = tf.data.Options()
        opts.threading.max_intra_op_parallelism = 1
        opts.threading.private_threadpool_size = max(calls)
        ds = tf.data.Dataset.range(n).map(fn, num_parallel_calls=k).with_options(opts)
        runs[k] = lambda ds=ds: ds.reduce(np.int64(0), lambda a, b: a + b)
    timings = bookutils.compare(runs, rounds=rounds, warmup=1)
    rows = []
    for k in calls:
        speedups = bookutils.ratios(timings[calls[0]], timings[k])
        rows.append({"kind": kind, "num_parallel_calls": k,
                     "elements_per_s": n / timings[k].median,
                     "speedups": speedups, "speedup": float(np.median(speedups))})
    return rows


def prefetch_check(n: int = 20, producer_s: float = 0.01, consumer_s: float = 0.01,
                   rounds: int = 3, op_determinism: bool = False) -> dict:
    """Speedup of prefetch(1) over no prefetch (injection off) at one P, C,
    timed interleaved; ``speedups`` are the round-by-round ratios."""
    modes = ("none", "prefetch(1)")
    for mode in modes:
        consume(controlled_pipeline(2, producer_s, mode), consumer_s)     # tracing
    timings = bookutils.compare(
        {mode: lambda mode=mode: consume(controlled_pipeline(n, producer_s, mode),
                                         consumer_s)
         for mode in modes}, rounds=rounds, warmup=0)
    speedups = bookutils.ratios(timings["none"], timings["prefetch(1)"])
    return {"op_determinism": op_determinism,
            "none_s": timings["none"].median,
            "prefetch_s": timings["prefetch(1)"].median,
            "speedups": speedups, "speedup": float(np.median(speedups)),
            "ideal": (producer_s + consumer_s) / max(producer_s, consumer_s)}


def measure_pair_on_fresh(measure_pair: Callable,
                          attempts: int = 3) -> tuple[dict, str]:
    """How a reader's ``measure_pair`` (the exercise "Predict, then measure") times
    pipelines of the check's own: N = 3, P = 20 ms, C = 40 ms (sleeps never end
    early). Returns its times over the model's, per pipeline ("without", "with"),
    and the order in which it consumed them ("w" without prefetch, "p" with). Up to
    `attempts` tries while a ratio is above its bound and none below (a busy machine
    slows a sleep; nothing makes one end early)."""
    model = {name: predicted_seconds(3, 0.020, 0.040, overlapped=name == "with")
             for name in ("without", "with")}
    for _ in range(attempts):
        fresh = {"without": controlled_pipeline(3, 0.020, "none"),
                 "with": controlled_pipeline(3, 0.020, "prefetch(1)")}
        # the calls through the reader's name `consume`, or through this module
        with bookutils.noted_calls(measure_pair, "consume") as calls, \
                bookutils.noted_calls(consume, "consume") as module_calls:
            times = list(measure_pair(fresh["without"], fresh["with"], 0.040))
        calls = calls + module_calls
        ratio = {name: seconds / model[name] for name, seconds in zip(fresh, times)}
        if all(0.9 < r < 1.6 for r in ratio.values()) or min(ratio.values()) <= 0.9:
            break
    ran = "".join("w" if args[0] is fresh["without"] else "p" for args in calls)
    return ratio, ran


def timed_again(without: tf.data.Dataset, with_prefetch: tf.data.Dataset,
                consumer_s: float, predicted: tuple[float, float]):
    """A reader's two pipelines timed again, interleaved, three rounds (settled):
    returns the claim that no round ran faster than the model's predictions
    (`predicted`: without, with) allow, and the timings by name."""
    again = {}

    def ratios():
        again.update(bookutils.compare(
            {"without": lambda: consume(without, consumer_s),
             "with": lambda: consume(with_prefetch, consumer_s)}, rounds=3))
        return [min(w / predicted[0], p / predicted[1])
                for w, p in zip(again["without"].times, again["with"].times)]

    return bookutils.settle("yours / the model", ratios, above=0.9), again


# A pipeline's passes take these seconds in turn: any three passes in a row take each
# of them once, so the median of three rounds is the middle one (0.07 s), while the
# fastest round (0.04 s) and the mean (0.103 s) lie far from it.
SCRIPTED_PASSES_S = (0.04, 0.07, 0.20)


def scripted_pipeline(seconds=SCRIPTED_PASSES_S, start: int = 0) -> tf.data.Dataset:
    """One element, produced by waiting ``seconds[(start + k) % len(seconds)]`` on
    the k-th pass: a pipeline whose rounds differ by design."""
    passes = iter(range(start, 10**9))

    def produce(i):
        time.sleep(seconds[next(passes) % len(seconds)])
        return i

    ds = tf.data.Dataset.range(1).map(lambda i: tf.py_function(produce, [i], tf.int64))
    return ds.with_options(options(inject_prefetch=False))


def summary_of_rounds(measure_pair: Callable, attempts: int = 3) -> list[float]:
    """What a reader's ``measure_pair`` returns for two pipelines whose passes take
    0.04, 0.07 and 0.20 s in turn (``scripted_pipeline``), with no consumer: near
    0.07 s each if it returns the medians of three rounds. Tried twice, the cycle
    started one pass later the second time: the round in the middle of three, taken
    unsorted, is the median for only one of the two. Up to `attempts` tries each
    while a value is above 0.095 s (a busy machine slows every pass)."""
    found = []
    for start in (0, 1):
        for _ in range(attempts):
            pair = scripted_pipeline(start=start), scripted_pipeline(start=start)
            times = [float(t) for t in measure_pair(*pair, 0.0)]
            if all(t < 0.095 for t in times):
                break
        found += times
    return found
