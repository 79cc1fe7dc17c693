"""Processes a chapter starts as separate OS processes (the "Beyond one machine"
chapter's tf.data service servers and training workers), and the guarantee that
every one of them ends.

``ProcessGroup.start`` runs a script through ``launch.py``, which, on Linux, asks the
kernel to SIGKILL the child when the process that started it dies (the
parent-death signal). The request is made by the child itself, after ``exec``: the
starter, often a multi-threaded Jupyter kernel, runs no Python code between
``fork`` and ``exec`` (no ``preexec_fn``). Each child carries its starter's PID in
its environment, which is how ``book_processes`` finds them, with psutil.
"""
from __future__ import annotations

import atexit
import os
import selectors
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .paths import REPO_ROOT, scratch_dir

CLUSTER_DIR = REPO_ROOT / "notebooks" / "cluster"
LAUNCHER = Path(__file__).resolve().with_name("launch.py")
STARTER_ENV = "TFDATA_BOOK_STARTED_BY"


def book_processes_by_starter() -> dict[int, int]:
    """Every running process that a ``ProcessGroup`` started, on this machine:
    {pid: pid of the process that started it}. They are recognized by the
    variable ``TFDATA_BOOK_STARTED_BY`` that ``ProcessGroup`` puts in their
    environment (psutil reads it), not by their command line, so that an editor
    or ``tail -f`` on a cluster script is never taken for one, and a copy of the
    scripts elsewhere (the student edition's) is. Processes whose environment
    cannot be read (another user's) are not listed."""
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
    return sorted(pid for pid, by in book_processes_by_starter().items()
                  if by == starter)


def leftover_book_processes(starters: set[int]) -> list[int]:
    """Book processes started by one of ``starters``, or orphans (their starter
    is gone): what must not be running when a test session ends."""
    import psutil

    return sorted(pid for pid, starter in book_processes_by_starter().items()
                  if starter in starters or not psutil.pid_exists(starter))


@dataclass
class BookProcess:
    """A child process started by ``ProcessGroup.start``."""

    name: str
    popen: object = field(repr=False)
    log: Path = field(repr=False)
    ready_line: str = ""
    unread: bytes = field(default=b"", repr=False)   # output read past the ready line

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
    (called by the ``with`` block and at interpreter exit) stops the rest:
    SIGTERM, then SIGKILL after a grace period.
    """

    def __init__(self, grace_s: float = 3.0, script_dir: Path | None = None):
        self.grace_s = grace_s
        self.script_dir = Path(script_dir) if script_dir else CLUSTER_DIR
        self.processes: dict[str, BookProcess] = {}
        # replaced by a restart under the same name
        self.finished: list[BookProcess] = []
        self._started = 0
        self._logs = scratch_dir("tfdata-book-logs")
        atexit.register(self.close)

    def start(self, name: str, argv: Sequence[str], *, env: dict | None = None,
              ready_prefix: str | None = "READY",
              timeout_s: float = 60.0) -> BookProcess:
        """Run the script ``argv[0]`` of the script folder (``notebooks/cluster/``)
        with the arguments ``argv[1:]``, through ``launch.py`` (``python -P
        launch.py <this pid> <0|1> script args...``), and wait until it prints a
        line starting with ``ready_prefix`` (or ``timeout_s`` passes: then the
        process is killed and the error shows its log). ``ready_prefix=None``:
        do not wait."""
        if name in self.processes:
            if self.processes[name].running:
                raise ValueError(f"a process named {name!r} is already running")
            self.finished.append(self.processes.pop(name))
        script = self.script_dir / argv[0]
        if not script.is_file():
            raise FileNotFoundError(f"no script {argv[0]!r} in {self.script_dir.name}/")
        self._started += 1
        log = self._logs / f"{self._started:02d}-{name}.log"
        child_env = {**os.environ, STARTER_ENV: str(os.getpid()),
                     "TF_CPP_MIN_LOG_LEVEL": "2",
                     "TF_ENABLE_ONEDNN_OPTS": "0", "PYTHONUNBUFFERED": "1",
                     **(env or {})}
        # Linux sends the parent-death signal when the *thread* that started the
        # child ends, so it is only asked for from the main thread, which lives
        # as long as the kernel; close() and atexit cover the rest.
        die_with_parent = threading.current_thread() is threading.main_thread()
        with open(log, "wb") as err:
            popen = subprocess.Popen(
                [sys.executable, "-P", str(LAUNCHER), str(os.getpid()), "1"
                 if die_with_parent else "0",
                 str(script), *argv[1:]],
                stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, bufsize=0,
                env=child_env, cwd=str(self.script_dir))
        proc = BookProcess(name, popen, log)
        self.processes[name] = proc
        if ready_prefix is not None:
            self._wait_ready(proc, ready_prefix, timeout_s)
        return proc

    def _wait_ready(self, proc: BookProcess, prefix: str, timeout_s: float) -> None:
        """Read the child's stdout until a line starts with ``prefix``. The pipe is
        read unbuffered, so that a line that arrives in the same write as an
        earlier one is seen at once; what follows it is kept for ``wait``."""
        fd = proc.popen.stdout.fileno()
        buffer, deadline = b"", time.monotonic() + timeout_s
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    text = line.decode(errors="replace").strip()
                    if text.startswith(prefix):
                        proc.ready_line, proc.unread = text, buffer
                        return
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.kill(proc.name)
                    raise RuntimeError(f"process {proc.name!r} was not "
                                       f"ready after {timeout_s:.0f} s; "
                                       f"its log ends with:\n{proc.log_tail()}")
                if not selector.select(min(remaining, 0.2)):
                    continue
                chunk = os.read(fd, 65536)
                if chunk:
                    buffer += chunk
                    continue
                # End of output: the process has exited (a last line without a newline
                # counts).
                text = buffer.decode(errors="replace").strip()
                if text.startswith(prefix):
                    proc.ready_line = text
                    return
                self.kill(proc.name)
                raise RuntimeError(f"process {proc.name!r} exited "
                                   f"with code {proc.popen.returncode} "
                                   f"before it was ready; its log "
                                   f"ends with:\n{proc.log_tail()}")

    def wait(self, name: str, timeout_s: float) -> str:
        """Wait for a process to finish and return what it printed after its
        ready line (everything, if it had none). After ``timeout_s`` it is killed
        and ``TimeoutError`` shows its log; a non-zero exit raises
        ``RuntimeError`` with the log."""
        proc = self.processes[name]
        try:
            out, _ = proc.popen.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.kill(name)
            raise TimeoutError(f"process {name!r} did not finish within "
                               f"{timeout_s:.0f} s and was killed; its log ends "
                               f"with:\n{proc.log_tail()}") from None
        if proc.popen.returncode != 0:
            raise RuntimeError(f"process {name!r} exited with "
                               f"code {proc.popen.returncode}; "
                               f"its log ends with:\n{proc.log_tail()}")
        return (proc.unread + (out or b"")).decode(errors="replace")

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
