"""Plumbing shared by the book's notebooks: paths, plot style, an image grid,
a timing harness and the exercise checks.

Nothing here is what a chapter teaches: every tf.data step stays visible in the
chapters themselves. The module sits next to the notebooks, so ``import
bookutils`` works from ``notebooks/`` with no install step. It imports neither
TensorFlow nor Keras, so it stays quick to import and to test.
"""
from __future__ import annotations

import atexit
import contextlib
import math
import os
import re
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"

# Okabe & Ito (2008): eight colours told apart by readers with any common
# colour-vision deficiency.
OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73",
             "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
# Plot order: blue, orange, bluish green, vermillion, reddish purple, sky blue,
# yellow, black.
BOOK_COLORS = [OKABE_ITO[i] for i in (5, 1, 3, 6, 7, 2, 4, 0)]
RIGHT = "#0072B2"   # blue: a correct prediction
WRONG = "#D55E00"   # vermillion: a mistake


def data_path(name: str) -> Path:
    """Path of a file shipped in ``data/``; a clear error if it is missing."""
    path = DATA_DIR / name
    if not path.is_file():
        shipped = sorted(p.name for p in DATA_DIR.iterdir()) if DATA_DIR.is_dir() else []
        raise FileNotFoundError(
            f"data file {name!r} not found in {DATA_DIR.name}/ "
            f"(shipped: {', '.join(shipped) or 'nothing'}); "
            "see data/README.md for how to regenerate it")
    return path


_SCRATCH: list[Path] = []


def scratch_dir(prefix: str = "tfdata-book") -> Path:
    """A new temporary directory, removed when the Python process exits.

    Notebooks write files only here, never into ``data/``."""
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
    _SCRATCH.append(path)
    return path


@atexit.register
def _remove_scratch() -> None:
    for path in _SCRATCH:
        shutil.rmtree(path, ignore_errors=True)


def use_book_style() -> None:
    """Matplotlib settings used by every figure: colour-blind-safe colours,
    a size that reads well on the site."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=BOOK_COLORS),
        "figure.figsize": (6.4, 3.6),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "image.cmap": "gray_r",
        "font.size": 10,
    })


def show_images(images: Sequence, labels: Sequence | None = None,
                predictions: Sequence | None = None, *, ncols: int = 8,
                title: str | None = None, size: float = 1.0,
                cmap: str = "gray_r"):
    """Draw a grid of images with their labels.

    With ``predictions``, each title reads ``label→prediction`` and the
    mistakes are framed and titled in vermillion. Images may be (H, W) or
    (H, W, 1). Returns the figure.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3:
        raise ValueError(f"expected images of shape (N, H, W) or (N, H, W, 1), "
                         f"got {images.shape}")
    n = len(images)
    if n == 0:
        raise ValueError("no images to show")
    for name, seq in (("labels", labels), ("predictions", predictions)):
        if seq is not None and len(seq) != n:
            raise ValueError(f"{n} images but {len(seq)} {name}")
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * size, nrows * size * 1.15),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if i >= n:
            ax.axis("off")
            continue
        ax.imshow(images[i], cmap=cmap)
        for spine in ax.spines.values():
            spine.set_visible(False)
        color = "black"
        text = ""
        if labels is not None:
            text = str(_scalar(labels[i]))
        if predictions is not None:
            wrong = _scalar(predictions[i]) != _scalar(labels[i]) if labels is not None else False
            text = f"{text}→{_scalar(predictions[i])}" if text else str(_scalar(predictions[i]))
            color = WRONG if wrong else RIGHT
            if wrong:
                for spine in ax.spines.values():
                    spine.set_visible(True)
                    spine.set_color(WRONG)
                    spine.set_linewidth(2.5)
        ax.set_title(text, fontsize=9, color=color, pad=2)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def _scalar(value):
    item = getattr(value, "item", None)
    return item() if callable(item) and getattr(value, "size", 1) == 1 else value


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


def time_it(fn: Callable[[], object], *, repeats: int = 5, warmup: int = 1) -> Timing:
    """Call ``fn`` ``warmup`` times untimed (tracing, caches), then ``repeats``
    times timed with ``time.perf_counter``. Compare two pipelines with the
    ratio of their medians, measured in the same run."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    if warmup < 0:
        raise ValueError(f"warmup must be 0 or more, got {warmup}")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return Timing(times, warmup)


def compare(fns: dict[str, Callable[[], object]], *, rounds: int = 5,
            warmup: int = 1) -> dict[str, Timing]:
    """Time several functions *interleaved*: round after round, each function
    once, in an order that rotates (A B C, B C A, C A B, ...). A change in the
    machine's load during the measurement then touches every function alike,
    instead of whichever one happened to run in a block at that moment. Round
    ``i`` of every result was measured at about the same time, so
    ``ratios(a, b)`` pairs them."""
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
            start = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - start)
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
        return self.median > self.threshold if self.above else self.median < self.threshold

    def __str__(self) -> str:
        low, high = robust_range(self.values)
        sign = ">" if self.above else "<"
        again = (f"; measured {self.attempts} times, the spread was too wide to decide sooner"
                 if self.attempts > 1 else "")
        return (f"{self.what}: {self.median:.2f} (range {low:.2f}–{high:.2f} over "
                f"{len(self.values)} rounds), claim {sign} {self.threshold:.3g}: "
                f"{'holds' if self.holds else 'FAILS'}{again}")


def settle(what: str, measure: Callable[[], Sequence[float]], *, above: float | None = None,
           below: float | None = None, attempts: int = 3,
           first: Sequence[float] | None = None, max_spread: float | None = None) -> Claim:
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
        if (low > threshold or high < threshold) and agree:     # every robust value on one side
            break
    return Claim(what, pooled, threshold, is_above, attempt)


def cpu_capacity(seconds: float = 0.1, threads: int | None = None, rounds: int = 3) -> float:
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

    def work(rates: list[float], start_together: threading.Barrier | None = None) -> None:
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
        pool = [threading.Thread(target=work, args=(together, barrier)) for _ in range(threads)]
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
        if line.startswith("Detected at node ") and line.rstrip().endswith("(most recent call last):"):
            line = line.split(" defined at ")[0] + " (Python stack trimmed)"
        out.append(line)
    text = "\n".join(out)
    text = re.sub(r"\{\{function_node [^}]*\}\}\s*", "", text)   # internal function name
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


# --- Processes the notebooks start (the "Beyond one machine" chapter) ---------

CLUSTER_DIR = REPO_ROOT / "notebooks" / "cluster"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """In a child, before exec: ask Linux to SIGKILL it when the parent dies, so
    that a crashed or killed kernel leaves no server behind."""
    import ctypes
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)   # 1 = PR_SET_PDEATHSIG
    except OSError:
        pass


STARTER_ENV = "TFDATA_BOOK_STARTED_BY"


def book_processes_by_starter() -> dict[int, int]:
    """Every running process that a ``ProcessGroup`` started, on this machine:
    {pid: pid of the process that started it}. They are recognized by the
    variable ``TFDATA_BOOK_STARTED_BY`` that ``ProcessGroup`` puts in their
    environment (psutil reads it), not by their command line, so that an editor
    or ``tail -f`` on a cluster script is never taken for one. Processes whose
    environment cannot be read (another user's) are not listed."""
    import psutil

    found = {}
    for proc in psutil.process_iter(["pid", "status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            starter = proc.environ().get(STARTER_ENV)
        except (psutil.Error, OSError):
            continue
        if starter and starter.isdigit():
            found[proc.info["pid"]] = int(starter)
    return found


def book_processes(started_by: int | None = None) -> list[int]:
    """PIDs of the running processes that ``ProcessGroup`` started in the process
    ``started_by`` (default: this one). Other notebooks' and test runs' processes
    on the same machine are not listed."""
    starter = os.getpid() if started_by is None else started_by
    return sorted(pid for pid, by in book_processes_by_starter().items() if by == starter)


@dataclass
class BookProcess:
    """A child process started by ``ProcessGroup.start``."""

    name: str
    popen: object = field(repr=False)
    log: Path = field(repr=False)
    ready_line: str = ""

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class ProcessGroup:
    """Start scripts from ``notebooks/cluster/`` as separate OS processes and make
    sure every one of them is gone at the end::

        with bookutils.ProcessGroup() as group:
            dispatcher = group.start("dispatcher", ["tfdata_server.py", "dispatcher"])
            ...
        # here every process has exited, also when the block raised

    Each process writes its stdout (one ``READY ...`` line) to a pipe that
    ``start`` reads, and its stderr (TensorFlow's logs) to a file in a scratch
    directory, shown in the error if it fails to start. A process dies with the
    Python process that started it (Linux's parent-death signal), and ``close``
    (called by the ``with`` block and at interpreter exit) stops the rest: SIGTERM, then SIGKILL after a grace period.
    """

    def __init__(self, grace_s: float = 3.0, script_dir: Path | None = None):
        self.grace_s = grace_s
        self.script_dir = Path(script_dir) if script_dir else CLUSTER_DIR
        self.processes: dict[str, BookProcess] = {}
        self.finished: list[BookProcess] = []   # replaced by a restart under the same name
        self._started = 0
        self._logs = scratch_dir("tfdata-book-logs")
        atexit.register(self.close)

    def start(self, name: str, argv: Sequence[str], *, env: dict | None = None,
              ready_prefix: str = "READY", timeout_s: float = 60.0) -> BookProcess:
        """Run ``python notebooks/cluster/<argv[0]> argv[1:]`` and wait until it
        prints a line starting with ``ready_prefix`` (or ``timeout_s`` passes: then
        the process is killed and the error shows its log)."""
        if name in self.processes:
            if self.processes[name].running:
                raise ValueError(f"a process named {name!r} is already running")
            self.finished.append(self.processes.pop(name))
        script = self.script_dir / argv[0]
        if not script.is_file():
            raise FileNotFoundError(f"no script {argv[0]!r} in {self.script_dir.name}/")
        self._started += 1
        log = self._logs / f"{self._started:02d}-{name}.log"
        child_env = {**os.environ, STARTER_ENV: str(os.getpid()), "TF_CPP_MIN_LOG_LEVEL": "2",
                     "TF_ENABLE_ONEDNN_OPTS": "0", "PYTHONUNBUFFERED": "1", **(env or {})}
        # Linux sends the parent-death signal when the *thread* that started the
        # child ends, so it is only asked for from the main thread, which lives
        # as long as the kernel; close() and atexit cover the rest.
        in_main = threading.current_thread() is threading.main_thread()
        with open(log, "wb") as err:
            popen = subprocess.Popen([sys.executable, str(script), *argv[1:]],
                                     stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                                     env=child_env, cwd=str(self.script_dir),
                                     preexec_fn=_die_with_parent if in_main else None)
        proc = BookProcess(name, popen, log)
        self.processes[name] = proc
        if ready_prefix is None:
            return proc
        deadline = time.monotonic() + timeout_s
        selector = selectors.DefaultSelector()
        selector.register(popen.stdout, selectors.EVENT_READ)
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.kill(name)
                    raise RuntimeError(f"process {name!r} was not ready after {timeout_s:.0f} s; "
                                       f"its log ends with:\n{proc.log_tail()}")
                if not selector.select(min(remaining, 0.2)):
                    continue
                raw = popen.stdout.readline()
                if not raw:   # end of output: the process has exited
                    self.kill(name)
                    raise RuntimeError(f"process {name!r} exited with code {popen.returncode} "
                                       f"before it was ready; its log ends with:\n{proc.log_tail()}")
                line = raw.decode(errors="replace").strip()
                if line.startswith(ready_prefix):
                    proc.ready_line = line
                    return proc
        finally:
            selector.close()

    def wait(self, name: str, timeout_s: float) -> str:
        """Wait for a process to finish and return what it printed. After
        ``timeout_s`` it is killed and ``TimeoutError`` shows its log; a non-zero
        exit raises ``RuntimeError`` with the log."""

        proc = self.processes[name]
        try:
            out, _ = proc.popen.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.kill(name)
            raise TimeoutError(f"process {name!r} did not finish within {timeout_s:.0f} s "
                               f"and was killed; its log ends with:\n{proc.log_tail()}") from None
        if proc.popen.returncode != 0:
            raise RuntimeError(f"process {name!r} exited with code {proc.popen.returncode}; "
                               f"its log ends with:\n{proc.log_tail()}")
        return out.decode(errors="replace")

    def kill(self, name: str) -> None:
        """SIGKILL one process, as a crash would, and reap it."""
        proc = self.processes[name]
        if proc.running:
            proc.popen.kill()
        proc.popen.wait()

    def close(self) -> None:
        """Stop every process still running: SIGTERM, then SIGKILL."""
        everything = [*self.finished, *self.processes.values()]
        for proc in everything:
            if proc.running:
                proc.popen.terminate()
        deadline = time.monotonic() + self.grace_s
        for proc in everything:
            try:
                proc.popen.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.popen.kill()
                proc.popen.wait()
            if proc.popen.stdout is not None:
                proc.popen.stdout.close()

    def running(self) -> list[str]:
        return [name for name, proc in self.processes.items() if proc.running]

    def __enter__(self) -> "ProcessGroup":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
