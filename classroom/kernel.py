"""Running one notebook of untrusted code: a fresh kernel in the bubblewrap sandbox
(``sandbox.py``), or without it for notebooks the instructor trusts; the check
helper loaded afresh in front of each check cell (``fresh_helper.py``); every
cell's execution status recorded; output capped; a cell that runs past its limit
interrupted, then killed; and whatever the kernel started, ended. Nothing here
knows about exercises or scores (``grade.py`` does)."""
from __future__ import annotations

import ast
import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

import edition
import sandbox
from convention import tags
from edition import NOTEBOOKS, ROOT

FRESH_HELPER = Path(__file__).with_name("fresh_helper.py")
# Kernels a notebook may name when it runs unsandboxed (--no-sandbox): the usual one,
# and "Python 3 (loopback only)" (notebooks/bookutils/loopback_kernel.py, which
# `make grade` installs) for the chapter whose servers must stay off the network.
UNSANDBOXED_KERNELS = ("python3", "book-loopback")


@dataclass(frozen=True)
class Limits:
    """How long and how much one notebook may run: the one place these are set."""
    cell_s: int = 120                 # a cell running longer is interrupted
    notebook_s: int = 1200            # the whole notebook
    interrupt_grace_s: float = 5      # after an interrupt, seconds before the kernel is killed
    output_bytes: int = 2_000_000     # output kept per notebook
    # In the sandbox: the kernel's data memory (an allocation beyond it fails with
    # MemoryError) and the size of its /tmp, which is in the machine's memory; no
    # file it writes may be larger (the shared runtime folder is on the host's disk).
    memory_bytes: int = 8 * 2**30
    tmp_bytes: int = 512 * 2**20


class NotebookTimeLimit(Exception):
    """The notebook as a whole ran out of time."""


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start here, and running untrusted code without it was
    not asked for (--no-sandbox)."""


@dataclass
class Setting:
    """Where submissions run: the student edition they run against, built once,
    and whether the kernel is sandboxed (and if not, why)."""
    work: Path                  # the grader's private temporary folder
    book: Path                  # the student edition
    sandboxed: bool
    why_not: str = ""
    hide: list[Path] = field(default_factory=list)
    _count: int = 0

    @classmethod
    def create(cls, hide=(), use_sandbox: bool = True) -> "Setting":
        ok, why = sandbox.available() if use_sandbox else (False, "turned off (--no-sandbox)")
        hidden = [Path(h).resolve() for h in (ROOT, Path.home(), *hide)]
        if use_sandbox and ok:
            try:        # a folder to hide inside what the sandbox mounts: refuse now, not per kernel
                sandbox.sandbox_argv(Path("/nonexistent"), Path("/nonexistent"), hidden)
            except ValueError as err:
                ok, why = False, str(err)
        if use_sandbox and not ok:
            raise SandboxUnavailable(
                f"the students' kernels cannot be sandboxed here: {why}. Submissions are "
                "untrusted code, so nothing was run. Grade on Linux with bubblewrap "
                "(Debian: apt-get install bubblewrap); for notebooks you trust, "
                "--no-sandbox (make grade NO_SANDBOX=1) runs them without it")
        work = Path(tempfile.mkdtemp(prefix="book-grader-"))
        book = work / "book"
        edition.build(book, work / "book.zip")
        return cls(work, book, ok, why, hidden)

    @property
    def description(self) -> str:
        return "bubblewrap" if self.sandboxed else f"none: {self.why_not}"

    def kernel(self, kernel_name: str = "python3", limits: "Limits" = Limits()):
        """(kernel manager, folder the notebook runs in, the check helper package's folder inside).

        ``kernel_name``: the kernel the instructor's notebook names, used without the
        sandbox (whose own network namespace already has only a loopback interface).
        ``limits``: the sandboxed kernel's memory and /tmp."""
        self._count += 1
        if self.sandboxed:
            # Each kernel gets its own folder for its connection file and sockets
            # (ZeroMQ over Unix sockets: the sandbox has no network at all).
            runtime, kernels = self.work / f"runtime-{self._count}", self.work / f"kernels-{self._count}"
            runtime.mkdir()
            argv = sandbox.sandbox_argv(self.book, runtime, self.hide,
                                        tmp_bytes=limits.tmp_bytes)
            sandbox.write_kernel_spec(kernels, sandbox.limited(
                argv, memory_bytes=limits.memory_bytes, file_bytes=limits.tmp_bytes))
            km = sandbox.kernel_manager(kernels, runtime, str(self._count), sandbox.KERNEL_NAME)
            return km, self.book / "notebooks", sandbox.BOOK_INSIDE / "notebooks" / "bookutils"
        copy = sandbox.unsandboxed_copy(self.book, self.work / f"run-{self._count}")
        if kernel_name not in UNSANDBOXED_KERNELS:
            raise ValueError(f"unknown kernel {kernel_name!r} (known: {', '.join(UNSANDBOXED_KERNELS)})")
        return AsyncKernelManager(kernel_name=kernel_name), copy / "notebooks", copy / "notebooks" / "bookutils"

    def cleanup(self) -> None:
        """Remove what the last kernel was given (its runtime folder, its copy)."""
        for pattern in (f"runtime-{self._count}", f"kernels-{self._count}", f"run-{self._count}"):
            shutil.rmtree(self.work / pattern, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def helper_modules(package: Path) -> list[str]:
    """The check helper package's modules that its ``__init__`` imports
    (``from .x import ...``), each after the modules it imports itself: the order
    in which ``fresh_helper.py`` runs them. Read here, on the grader's side, with
    ``ast``."""
    def relative_imports(path: Path) -> list[str]:
        names = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                # "from .x import y" needs module x; "from . import x" module x too
                names += [node.module] if node.module else [alias.name for alias in node.names]
        return [name for name in names if (package / f"{name}.py").is_file()]

    order: list[str] = []

    def visit(name: str, seen: tuple = ()) -> None:
        if name in order:
            return
        if name in seen:
            raise ValueError(f"the check helper's modules import each other in a cycle: {seen + (name,)}")
        for needed in relative_imports(package / f"{name}.py"):
            visit(needed, seen + (name,))
        order.append(name)

    for name in relative_imports(package / "__init__.py"):
        visit(name)
    return order


def fresh_helper(folder: Path, modules: list[str]) -> str:
    """The code put in front of a check cell: the check helper package in `folder`
    (as the kernel sees it), its `modules` run afresh."""
    return (f"_grader_folder, _grader_modules = {str(folder)!r}, {list(modules)!r}\n"
            + FRESH_HELPER.read_text(encoding="utf-8"))


class GradingClient(NotebookClient):
    """nbclient, with the output of a notebook capped at ``limits.output_bytes`` and
    the execution status of every cell recorded."""

    def __init__(self, nb, limits: Limits, **kwargs):
        super().__init__(nb, on_cell_executed=self._record, store_widget_state=False, **kwargs)
        self.limits = limits
        self.statuses: dict[str, str] = {}
        self.interrupted: set[int] = set()
        self.output_bytes = 0
        self.capped = False

    def _record(self, cell, cell_index, execute_reply):
        self.statuses[cell.get("id", str(cell_index))] = execute_reply["content"].get("status", "")

    async def _async_handle_timeout(self, timeout, cell=None):
        """A cell ran past its limit: interrupt it (a Python loop stops, the cell
        fails with KeyboardInterrupt and the notebook goes on); if the kernel has
        not answered within a few seconds (it ignores SIGINT, or loops in C code),
        raise CellTimeoutError, and ``run_notebook`` kills the kernel."""
        key = id(cell)
        if key in self.interrupted:  # interrupted before, and still no reply: no second chance
            raise CellTimeoutError.error_from_timeout_and_cell("the kernel ignored the interrupt", timeout, cell)
        self.interrupted.add(key)
        await ensure_async(self.km.interrupt_kernel())
        for _ in range(int(self.limits.interrupt_grace_s * 10)):
            if await ensure_async(self.kc.shell_channel.msg_ready()):
                return None          # a reply is waiting (if it is not this cell's, the next timeout ends it)
            await asyncio.sleep(0.1)
        raise CellTimeoutError.error_from_timeout_and_cell("the kernel ignored the interrupt", timeout, cell)

    def output(self, outs, msg, display_id, cell_index):
        self.output_bytes += len(json.dumps(msg.get("content", {})))
        if msg["msg_type"] == "error":     # errors are kept, shortened: they give the reasons
            content = msg["content"]
            content["evalue"] = str(content.get("evalue", ""))[:1000]
            content["traceback"] = [str(line)[:1000] for line in content.get("traceback", [])[-20:]]
        elif self.output_bytes > self.limits.output_bytes:
            if not self.capped:
                self.capped = True
                outs.append(nbformat.v4.new_output(
                    "stream", name="stderr", text=f"[grader: output capped at {self.limits.output_bytes:,} bytes]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)


def run_notebook(nb, setting: Setting, limits: Limits):
    """Run ``nb`` in a fresh (sandboxed) kernel, each check cell after the fresh
    check helper; returns (client, why it stopped or None, processes left over).
    The kernel and everything it started end here, whatever happened."""
    km, cwd, helper = setting.kernel(nb.metadata.get("kernelspec", {}).get("name", "python3"),
                                     limits)
    prefix = fresh_helper(helper, helper_modules(NOTEBOOKS / "bookutils"))
    for cell in nb.cells:
        if cell.cell_type == "code" and "check" in tags(cell):
            cell.source = prefix + cell.source
    deadline = time.monotonic() + limits.notebook_s

    def before_each_cell(cell, cell_index):
        if time.monotonic() > deadline:
            raise NotebookTimeLimit

    def cell_timeout(cell):
        return max(1, min(limits.cell_s, int(deadline - time.monotonic()) + 1))

    client = GradingClient(nb, limits, km=km, timeout_func=cell_timeout, allow_errors=True,
                           interrupt_on_timeout=True, record_timing=False,
                           on_cell_start=before_each_cell, resources={"metadata": {"path": str(cwd)}})
    stopped, left = None, []
    try:
        # The kernel's own stdout and stderr go nowhere: only its messages reach the grader.
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except NotebookTimeLimit:
        stopped = f"time limit: the notebook ran longer than {limits.notebook_s} s"
    except CellTimeoutError:
        limit = (f"the notebook ran longer than {limits.notebook_s} s" if time.monotonic() >= deadline
                 else f"a cell ran longer than {limits.cell_s} s")
        stopped = f"time limit: {limit} and ignored the interrupt, so the kernel was stopped"
    except DeadKernelError:
        stopped = "the kernel died"
    finally:
        if client.kc is not None:
            client.kc.stop_channels()   # nbclient leaves a kernel manager it was given running
        pid = getattr(km.provisioner, "pid", None) if km.has_kernel else None
        tree = sandbox.process_tree(pid) if pid else []
        try:
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        finally:
            # In the sandbox, the end of its PID namespace ends everything in it;
            # this catches what an unsandboxed kernel left (at the moment it ended).
            left = sandbox.kill_survivors(tree)
            setting.cleanup()
    return client, stopped, left
