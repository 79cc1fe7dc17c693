"""The timing harness: repeated, interleaved timings, ratios, claims that are
measured again when their rounds disagree, and the CPU capacity free right now."""
from __future__ import annotations

import json
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence


@dataclass
class Timing:
    """Wall-clock seconds of repeated runs, after warm-up."""

    times: list[float] = field(repr=False)
    warmup: int = 1

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def spread(self) -> tuple[float, float]:
        """(fastest, slowest) of the timed runs."""
        return min(self.times), max(self.times)

    @property
    def relative_spread(self) -> float:
        """(slowest − fastest) / median: how noisy the runs were."""
        low, high = self.spread
        return (high - low) / self.median if self.median > 0 else 0.0

    def __str__(self) -> str:
        low, high = self.spread
        return (f"median {_fmt_seconds(self.median)} "
                f"(range {_fmt_seconds(low)}–{_fmt_seconds(high)}, "
                f"{len(self.times)} runs)")


def _fmt_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def time_it(fn: Callable[[], object], *, rounds: int = 5, warmup: int = 1) -> Timing:
    """Call ``fn`` ``warmup`` times untimed (tracing, caches), then ``rounds``
    times timed with ``time.perf_counter``. Compare two pipelines with the
    ratio of their medians, measured in the same run."""
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    if warmup < 0:
        raise ValueError(f"warmup must be 0 or more, got {warmup}")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return Timing(times, warmup)


def compare(fns: dict[str, Callable[[], object]], *, rounds: int = 5,
            warmup: int = 1,
            clock: Callable[[], float] = time.perf_counter) -> dict[str, Timing]:
    """Time several functions *interleaved*: round after round, each function
    once, in an order that rotates (A B C, B C A, C A B, ...). A change in the
    machine's load during the measurement then touches every function alike,
    instead of whichever one happened to run in a block at that moment. Round
    ``i`` of every result was measured at about the same time, so
    ``ratios(a, b)`` pairs them. ``clock``: wall time by default;
    ``time.process_time`` measures the CPU time of the whole process (every
    thread, tf.data's included), the work done, whatever share of the cores
    the machine's other work leaves."""
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    if warmup < 0:
        raise ValueError(f"warmup must be 0 or more, got {warmup}")
    names = list(fns)
    if not names:
        raise ValueError("nothing to compare")
    for _ in range(warmup):
        for name in names:
            fns[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for i in range(rounds):
        for name in names[i % len(names):] + names[:i % len(names)]:
            start = clock()
            fns[name]()
            times[name].append(clock() - start)
    return {name: Timing(times[name], warmup) for name in names}


def ratios(numerator: Timing, denominator: Timing) -> list[float]:
    """Round-by-round ratios of two timings from the same ``compare`` run."""
    if len(numerator.times) != len(denominator.times):
        raise ValueError("the timings have different numbers of rounds; "
                         "measure them together with compare()")
    return [a / b for a, b in zip(numerator.times, denominator.times)]


def robust_range(values: Sequence[float]) -> tuple[float, float]:
    """(low, high) of ``values`` without the most extreme quarter on each side
    (with 3 values: the whole range; with 5 to 8: without the extreme on each
    side). Used to decide whether measurements agree well enough to conclude."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    k = (len(ordered) - 1) // 4
    return ordered[k], ordered[len(ordered) - 1 - k]


@dataclass
class Claim:
    """The verdict on a measured claim "value > threshold" (or "< threshold").

    ``values`` are the measurements (for example round-by-round ratios from
    ``compare``) pooled over every attempt; ``attempts`` says how often it was
    measured."""

    what: str
    values: list[float]
    threshold: float
    above: bool
    attempts: int

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def holds(self) -> bool:
        if self.above:
            return self.median > self.threshold
        return self.median < self.threshold

    def __str__(self) -> str:
        sign = ">" if self.above else "<"
        again = (f"; measured {self.attempts} times, the "
                 "spread was too wide to decide sooner"
                 if self.attempts > 1 else "")
        spread = ""
        if len(self.values) > 1:        # one pooled value (``measured``) has no range
            low, high = robust_range(self.values)
            spread = f" (range {low:.2f}–{high:.2f} over {len(self.values)} rounds)"
        return (f"{self.what}: {self.median:.2f}{spread}, claim {sign} "
                f"{self.threshold:.3g}: {'holds' if self.holds else 'FAILS'}{again}")


# Where every decided claim is written, one JSON line each, when this variable names a
# file: benchmarks/claims_distribution.py sets it to collect a chapter's claimed
# quantities over many runs. Claims decided inside an exercise's check are not
# written (a stub or a wrong answer fails them on purpose).
CLAIMS_LOG_ENV = "BOOK_CLAIMS_LOG"
_checking = 0


def _record(claim: Claim, first: Sequence[float] | None = None) -> None:
    path = os.environ.get(CLAIMS_LOG_ENV)
    if not path or _checking:
        return
    row = {"what": claim.what, "median": float(claim.median),   # NumPy numbers, too
           "values": [float(value) for value in claim.values],
           "threshold": float(claim.threshold),
           "above": claim.above, "attempts": claim.attempts, "holds": bool(claim.holds),
           "first_median": float(statistics.median(first) if first else claim.median)}
    with open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(row) + "\n")


def measured(what: str, value: float, *, above: float | None = None,
             below: float | None = None) -> Claim:
    """A claim decided on one measured value (a ratio of medians, a share), for the
    claims whose measurement already pools several rounds: the same ``Claim`` as
    ``settle`` returns, printed and recorded the same way, measured once."""
    if (above is None) == (below is None):
        raise ValueError("give exactly one of above= or below=")
    threshold, is_above = (above, True) if above is not None else (below, False)
    claim = Claim(what, [float(value)], threshold, is_above, 1)
    _record(claim)
    return claim


def settle(what: str, measure: Callable[[], Sequence[float]], *,
           above: float | None = None,
           below: float | None = None, attempts: int = 3,
           first: Sequence[float] | None = None,
           max_spread: float | None = None) -> Claim:
    """Decide whether a noisy measured value is above (or below) a threshold.

    ``measure()`` returns a few measurements of the value (say, five ratios
    from ``compare``). When their ``robust_range`` lies on one side of the
    threshold, that decides. When it straddles the threshold (the noise is too
    high to tell), ``settle`` measures again, at most ``attempts`` times in all,
    and then decides on the median of everything measured. The returned
    ``Claim`` prints the values, the verdict and how often it re-measured;
    assert ``claim.holds``. The threshold is never moved. ``first``: values
    already measured, used as the first attempt. ``max_spread``: also measure
    again while the robust range's high / low exceeds it (rounds that disagree
    this much are too noisy to decide on, on whichever side they fall)."""
    if (above is None) == (below is None):
        raise ValueError("give exactly one of above= or below=")
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    threshold, is_above = (above, True) if above is not None else (below, False)
    pooled: list[float] = []
    for attempt in range(1, attempts + 1):
        pooled.extend(first if attempt == 1 and first is not None else measure())
        low, high = robust_range(pooled)
        agree = max_spread is None or (low > 0 and high / low <= max_spread)
        # every robust value on one side
        if (low > threshold or high < threshold) and agree:
            break
    claim = Claim(what, pooled, threshold, is_above, attempt)
    _record(claim, pooled[:len(first)] if first is not None else None)
    return claim


def cpu_capacity(seconds: float = 0.1, threads: int | None = None,
                 rounds: int = 3) -> float:
    """How many cores' worth of work this machine gives a process right now.

    One thread hashes a buffer for ``seconds``; then ``threads`` threads (default:
    the core count), released together, do the same at once. Each measures its
    rate (blocks hashed per second of its window, at least one block), and the
    capacity is the threads' summed rate over the lone thread's: about 2.0 on an
    idle 2-core machine, about 1.3 when another process keeps one core busy. The
    two are measured in alternation, ``rounds`` times, and the median ratio is
    returned. (``hashlib`` releases Python's GIL on large buffers, so the threads
    really run in parallel.) Claims that need free cores are conditioned on this
    number, measured just before them. A thread that gets no core for a while
    lowers the rate it reports, and the capacity with it, but never to 0."""
    import hashlib

    threads = threads or os.cpu_count() or 1
    block = bytes(1 << 20)

    def work(rates: list[float],
             start_together: threading.Barrier | None = None) -> None:
        if start_together is not None:
            start_together.wait()
        start = time.perf_counter()
        count = 0
        while True:
            hashlib.sha256(block)
            count += 1
            now = time.perf_counter()
            if now - start >= seconds:
                break
        rates.append(count / (now - start))

    measured = []
    for _ in range(rounds):
        alone: list[float] = []
        work(alone)
        together: list[float] = []
        barrier = threading.Barrier(threads)
        pool = [threading.Thread(target=work, args=(together, barrier))
                for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        measured.append(sum(together) / alone[0])
    return statistics.median(measured)


def consume(dataset) -> int:
    """Iterate a finite dataset to the end and return how many elements it
    gave: the usual thing to time for an input pipeline."""
    count = 0
    for _ in dataset:
        count += 1
    return count

