"""A pipeline's steady throughput, and the CPU time that produced it
(05_beyond_one_machine shows ``steady_rate`` where it first uses it).

The processes doing the work (this kernel for a local pipeline, the tf.data
service's workers for a distributed one) are read from the operating system with
psutil, so that each rate comes with the cores the work got: on a shared machine a
worker can only be as fast as the CPU it is given, and images per CPU-second say how
well it used what it got."""
from __future__ import annotations

import statistics
import time
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


def steady_rate(dataset, pids, warmup: int = 5, window: int = 8,
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
    return SteadyRate(rates, cores)
