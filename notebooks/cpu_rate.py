"""A pipeline's steady throughput, and the CPU time that produced it
(05_beyond_one_machine shows ``steady_rate`` where it first uses it).

The processes doing the work (this kernel for a local pipeline, the tf.data
service's workers for a distributed one) are read from the operating system with
psutil, so that each rate comes with the cores the work got: on a shared machine a
worker can only be as fast as the CPU it is given, and images per CPU-second say how
well it used what it got."""
from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psutil


def cpu_seconds(pids) -> float:
    """CPU time (user + system, all threads) the processes have used so far."""
    return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)


@dataclass
class SteadyRate:
    """Per timed window: images per second (``rates``) and the CPU-seconds the
    processes used per second of wall time (``cores_per_window``)."""
    rates: list[float]
    cores_per_window: list[float]

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)

    @property
    def cores(self) -> float:
        """The cores the work got: the median window's CPU-seconds per second."""
        return statistics.median(self.cores_per_window)

    @property
    def per_cpu_s(self) -> list[float]:
        """Images per CPU-second, window by window."""
        return [rate / cores for rate, cores in zip(self.rates, self.cores_per_window)]

    def efficiency_against(self, other: "SteadyRate") -> list[float]:
        """Images per CPU-second, window by window, over `other`'s median."""
        reference = statistics.median(other.per_cpu_s)
        return [value / reference for value in self.per_cpu_s]


def steady_rate(dataset, pids: Sequence[int], warmup: int = 5, window: int = 8,
                windows: int = 3) -> SteadyRate:
    """Iterate `dataset` (batches of (images, labels)): skip `warmup` batches (a
    service job takes a moment to start), then time `windows` windows of `window`
    batches in the same iteration, each with the CPU time of the processes `pids`."""
    iterator = iter(dataset)
    for _ in range(warmup):
        next(iterator)
    rates, cores = [], []
    for _ in range(windows):
        cpu, start = cpu_seconds(pids), time.perf_counter()
        images = sum(len(next(iterator)[1]) for _ in range(window))
        elapsed = time.perf_counter() - start
        rates.append(images / elapsed)
        cores.append((cpu_seconds(pids) - cpu) / elapsed)
    del iterator   # ends a service job
    # other processes (a service's workers) may go on working; this one stops here
    wait_until_quiet([pid for pid in pids if pid != os.getpid()])
    return SteadyRate(rates, cores)


def wait_until_quiet(pids: Sequence[int], cores: float = 0.1, tick: float = 0.1,
                     timeout: float = 5.0) -> float:
    """Wait until the processes use less than `cores` of CPU over a `tick`, and
    return how long that took. A tf.data service worker goes on filling its buffer
    for a job whose iterator is gone; that work must not count in the next
    measurement."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        before = cpu_seconds(pids)
        time.sleep(tick)
        if cpu_seconds(pids) - before < cores * tick:
            break
    return time.perf_counter() - start


@dataclass
class Rounds:
    """Steady rates of several pipelines, each measured once per round."""
    rounds: list[dict[str, SteadyRate]]

    def merged(self, name: str) -> SteadyRate:
        """All of `name`'s windows, from every round."""
        return SteadyRate([r for m in self.rounds for r in m[name].rates],
                          [c for m in self.rounds for c in m[name].cores_per_window])

    def efficiency(self, name: str, reference: str) -> list[float]:
        """Round by round: `name`'s images per CPU-second over `reference`'s, both
        measured in that round (medians of their windows)."""
        return [statistics.median(m[name].per_cpu_s)
                / statistics.median(m[reference].per_cpu_s) for m in self.rounds]


Pipeline = tuple[Callable, Callable[[], Sequence[int]]]   # make a data set; its pids


def interleaved_rates(pipelines: dict[str, Pipeline], rounds: int = 5,
                      **window_args) -> Rounds:
    """Measure each pipeline (a function making the data set, and one giving the
    processes that do its work) once per round with ``steady_rate``, rotating the
    order from round to round.

    Why rounds: what a CPU-second buys is not constant. On a shared or virtual
    machine it drifts for seconds at a time (other tenants, the host's clock
    speed), and measurements taken one after the other would put that drift in
    their ratio. Taken in turns, the pipelines see nearby moments, and a ratio
    within one round compares like with like."""
    names = list(pipelines)
    measured = []
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        this_round = {}
        for name in order:
            make_dataset, pids = pipelines[name]
            this_round[name] = steady_rate(make_dataset(), pids(), **window_args)
        measured.append({name: this_round[name] for name in names})
    return Rounds(measured)
