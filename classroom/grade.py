"""Grade a class's submitted notebooks.

    python classroom/grade.py SUBMISSIONS [--timeout 120] [--notebook-timeout 1200] [--csv grades.csv]

SUBMISSIONS holds one folder per student, each with the chapter notebooks the
student hands in, named as in the book (for example alice/00_pipeline_basics.ipynb;
"00_Pipeline_Basics (1).ipynb" or a notebook one folder deeper is matched too, and
the match is reported).

Submissions are untrusted code. Each one runs in a fresh kernel, in a bubblewrap
sandbox (``sandbox.py``): a private PID namespace, a read-only file system with one
private writable /tmp, a read-only student edition to run against, and the
instructor's tree, the other submissions and the grader's output hidden. Where the
sandbox cannot start (no bubblewrap, not Linux), the grader stops with exit status 2
and the reason before it runs anything; --no-sandbox runs kernels without it, for
notebooks the instructor trusts.
The grader takes the instructor's notebook, puts the student's code between each
exercise's solution markers in place of the solution, and runs it with the
instructor's check cells: checks are never taken from the submission. Each check
loads the check helper afresh from the read-only edition, and an exercise scores 1
only if its check cell's execution status is "ok" (printed text counts for nothing).
A cell that runs longer than --timeout seconds, or past the notebook's
--notebook-timeout, ends the kernel and everything it started; output is capped.
An exercise scores 1 if its check passes, else 0 with the reason. A broken file
(empty, not JSON, not a notebook) scores 0 everywhere, with the reason; once
grading has started nothing stops the run, and grades.csv is always written. Code that touches the checking
machinery, IPython, builtins, modules or signals is listed per student ("flags")
for the instructor to look at.
"""
from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

import edition  # noqa: E402
import sandbox  # noqa: E402
from convention import exercises, tags  # noqa: E402
from edition import NOTEBOOKS, ROOT  # noqa: E402

OUTPUT_CAP = 2_000_000      # bytes of output kept per notebook
MAX_NOTEBOOK_BYTES = 20_000_000   # a larger submitted file is not read
INTERRUPT_GRACE_S = 5       # after an interrupt, seconds before the kernel is killed
# Kernels a notebook may name when it runs unsandboxed (--no-sandbox): the usual one,
# and "Python 3 (loopback only)" (notebooks/bookutils/loopback_kernel.py, which
# `make grade` installs) for the chapter whose servers must stay off the network.
UNSANDBOXED_KERNELS = ("python3", "book-loopback")


class NotebookTimeLimit(Exception):
    """The notebook as a whole ran out of time."""


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start here, and running untrusted code without it was
    not asked for (--no-sandbox)."""


@dataclass
class Result:
    student: str
    chapter: str
    label: str
    score: int
    reason: str


@dataclass
class Setting:
    """Where and how submissions run: the student edition they run against, and
    whether the kernel is sandboxed (and if not, why)."""
    work: Path                  # the grader's private temporary folder
    book: Path                  # the student edition, built once
    sandboxed: bool
    why_not: str = ""
    hide: list[Path] = field(default_factory=list)
    interrupt_grace_s: float = INTERRUPT_GRACE_S
    _count: int = 0

    @classmethod
    def create(cls, hide=(), use_sandbox: bool = True,
               interrupt_grace_s: float = INTERRUPT_GRACE_S) -> "Setting":
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
        setting = cls(work, book, ok, why, hidden, interrupt_grace_s=interrupt_grace_s)
        return setting

    @property
    def description(self) -> str:
        return "bubblewrap" if self.sandboxed else f"none: {self.why_not}"

    def kernel(self, kernel_name: str = "python3"):
        """(kernel manager, folder the notebook runs in, the check helper package's folder inside).

        ``kernel_name``: the kernel the instructor's notebook names, used without the
        sandbox (whose own network namespace already has only a loopback interface)."""
        self._count += 1
        if self.sandboxed:
            # Each kernel gets its own folder for its connection file and sockets
            # (ZeroMQ over Unix sockets: the sandbox has no network at all).
            runtime, kernels = self.work / f"runtime-{self._count}", self.work / f"kernels-{self._count}"
            runtime.mkdir()
            sandbox.write_kernel_spec(kernels, sandbox.sandbox_argv(self.book, runtime, self.hide))
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


def load_submission(path: Path):
    """(notebook, None) or (None, reason)."""
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return None, f"file too large ({path.stat().st_size:,} bytes; the limit is {MAX_NOTEBOOK_BYTES:,})"
    raw = path.read_bytes()
    if not raw.strip():
        return None, "empty file"
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return None, f"not a valid notebook: the file is not JSON ({err.__class__.__name__})"
    if not isinstance(data, dict) or "cells" not in data:
        return None, "not a valid notebook: no cells"
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # nbformat raises several kinds
        return None, f"not a valid notebook ({err.__class__.__name__})"
    return nb, None


def student_code(submission, exercise) -> list[str] | None:
    """The student's code cells between the exercise's solution markers."""
    ids = [cell.get("id") for cell in submission.cells]
    if exercise.start_id not in ids or exercise.end_id not in ids:
        return None
    start, end = ids.index(exercise.start_id), ids.index(exercise.end_id)
    return [cell.source for cell in submission.cells[start + 1:end]
            if cell.cell_type == "code" and "check" not in tags(cell)]


def grading_notebook(instructor, submission, found):
    """The instructor's notebook with the students' answers in place of the solutions."""
    nb = nbformat.from_dict(json.loads(json.dumps(instructor)))
    notes = {}
    by_id = {cell.id: cell for cell in nb.cells}
    for exercise in found:
        code = student_code(submission, exercise)
        if code is None:
            notes[exercise.label] = "the exercise's cells were deleted"
            code = []
        first, *rest = exercise.solution_ids
        by_id[first].source = "\n\n".join(code) if code else "pass"
        by_id[first].metadata["tags"] = ["solution", "raises-exception"]
        nb.cells = [c for c in nb.cells if c.id not in rest]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb, notes


def error_of(cell) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output['ename']}: {output['evalue']}".strip()
    return None


def helper_modules(package: Path) -> list[str]:
    """The check helper package's modules that its ``__init__`` imports
    (``from .x import ...``), each after the modules it imports itself: the order
    in which ``FRESH_HELPER`` runs them. Read here, on the grader's side, with
    ``ast``."""
    def relative_imports(path: Path) -> list[str]:
        return [node.module for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module]

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


# Put in front of every check cell. The check helper package is run afresh from the
# read-only edition: each module's source is read and compiled here, and each module
# is put into sys.modules (under its own name, replacing whatever is there) before
# anything imports it, so that the package's relative imports find these modules
# and never ask the kernel's import system (finders, path hooks, caches, .pyc files),
# which the student's code may have changed.
FRESH_HELPER = """import sys as _grader_sys, types as _grader_types
def _grader_module(name, path, folder=None):
    module = _grader_types.ModuleType(name)
    module.__file__, module.__package__ = path, "bookutils"
    if folder:
        module.__path__ = [folder]
    _grader_sys.modules[name] = module
    with open(path, encoding="utf-8") as source:
        return module, compile(source.read(), path, "exec")
_grader_code = [_grader_module("bookutils." + name, {folder!r} + "/" + name + ".py") for name in {modules!r}]
_grader_code.append(_grader_module("bookutils", {folder!r} + "/__init__.py", {folder!r}))
for _grader_part, _grader_compiled in _grader_code:
    exec(_grader_compiled, _grader_part.__dict__)
bookutils = _grader_part
del _grader_sys, _grader_types, _grader_module, _grader_code, _grader_part, _grader_compiled
"""


class GradingClient(NotebookClient):
    """nbclient, with the output of a notebook capped at ``OUTPUT_CAP`` bytes and
    the execution status of every cell recorded."""

    def __init__(self, nb, interrupt_grace_s: float = INTERRUPT_GRACE_S, **kwargs):
        super().__init__(nb, on_cell_executed=self._record, store_widget_state=False, **kwargs)
        self.interrupt_grace_s = interrupt_grace_s
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
        from nbclient.util import ensure_async
        import asyncio

        key = id(cell)
        if key in self.interrupted:  # interrupted before, and still no reply: no second chance
            raise CellTimeoutError.error_from_timeout_and_cell("the kernel ignored the interrupt", timeout, cell)
        self.interrupted.add(key)
        await ensure_async(self.km.interrupt_kernel())
        for _ in range(int(self.interrupt_grace_s * 10)):
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
        else:
            if self.output_bytes > OUTPUT_CAP:
                if not self.capped:
                    self.capped = True
                    outs.append(nbformat.v4.new_output(
                        "stream", name="stderr", text=f"[grader: output capped at {OUTPUT_CAP:,} bytes]\n"))
                return None
        return super().output(outs, msg, display_id, cell_index)


def run_notebook(nb, setting: Setting, timeout: int, notebook_timeout: int):
    """Run ``nb`` in a fresh (sandboxed) kernel; returns (client, why it stopped or None,
    processes left over). The kernel and everything it started end here, whatever
    happened."""
    km, cwd, helper = setting.kernel(nb.metadata.get("kernelspec", {}).get("name", "python3"))
    modules = helper_modules(NOTEBOOKS / "bookutils")
    for cell in nb.cells:
        if cell.cell_type == "code" and "check" in tags(cell):
            cell.source = FRESH_HELPER.format(folder=str(helper), modules=modules) + cell.source
    deadline = time.monotonic() + notebook_timeout

    def before_each_cell(cell, cell_index):
        if time.monotonic() > deadline:
            raise NotebookTimeLimit

    def cell_timeout(cell):
        return max(1, min(timeout, int(deadline - time.monotonic()) + 1))

    client = GradingClient(nb, interrupt_grace_s=setting.interrupt_grace_s, km=km,
                           timeout_func=cell_timeout, allow_errors=True,
                           interrupt_on_timeout=True, record_timing=False,
                           on_cell_start=before_each_cell, resources={"metadata": {"path": str(cwd)}})
    stopped, left = None, []
    try:
        # The kernel's own stdout and stderr go nowhere: only its messages reach the grader.
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except NotebookTimeLimit:
        stopped = f"time limit: the notebook ran longer than {notebook_timeout} s"
    except CellTimeoutError:
        limit = (f"the notebook ran longer than {notebook_timeout} s" if time.monotonic() >= deadline
                 else f"a cell ran longer than {timeout} s")
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


def grade_file(student: str, path: Path, timeout: int, notebook_timeout: int = 1200,
               setting: Setting | None = None, chapter_file: str | None = None) -> list[Result]:
    """Grade one submitted notebook (``chapter_file``: the chapter it was matched
    to, when its own name differs)."""
    name = chapter_file or path.name
    chapter = Path(name).stem
    instructor = nbformat.read(NOTEBOOKS / name, as_version=4)
    found = exercises(instructor)
    submission, problem = load_submission(path)
    if problem:
        return [Result(student, chapter, e.label, 0, problem) for e in found]
    nb, notes = grading_notebook(instructor, submission, found)
    own = setting is None
    setting = setting or Setting.create()
    try:
        client, stopped, left = run_notebook(nb, setting, timeout, notebook_timeout)
    finally:
        if own:
            setting.close()
    by_id = {cell.id: cell for cell in nb.cells}
    results = []
    for exercise in found:
        check = by_id[exercise.check_id]
        solution = by_id[exercise.solution_ids[0]]
        status = client.statuses.get(exercise.check_id)
        if exercise.label in notes:
            reason, score = notes[exercise.label], 0
        elif status is None:
            reason, score = stopped or "not run", 0
        elif status == "ok":
            reason, score = "correct", 1
        else:
            solution_error = error_of(solution)
            if solution_error and solution_error.startswith("KeyboardInterrupt"):
                reason = f"time limit: the answer ran longer than {timeout} s and was interrupted"
            elif solution_error and solution_error.startswith(("SyntaxError", "IndentationError")):
                reason = f"syntax error in the answer ({solution_error.splitlines()[0][:120]})"
            elif solution_error:
                reason = f"the answer raised {solution_error.splitlines()[0][:120]}"
            elif error_of(check):
                reason = error_of(check).replace("ExerciseNotDone: ", "").splitlines()[0][:160]
            else:
                reason = "the check failed (its error was not displayed)"
            score = 0
        results.append(Result(student, chapter, exercise.label, score, reason))
    if left:
        results.append(Result(student, chapter, "", 0, f"{len(left)} process(es) outlived the kernel "
                                                          "and were killed"))
    return results


SUSPICIOUS = {
    "the check helper": r"\bExerciseNotDone\b|\bbookutils\s*\.\s*check\b|\bcheck\s*=",
    "IPython": r"\bget_ipython\b|\bIPython\b|\bshowtraceback\b|\binput_transformers|\bevents\s*\.\s*register",
    "builtins": r"\bbuiltins\b|__builtins__",
    "modules and code": r"\bsys\s*\.\s*modules\b|\b(?:meta_path|path_hooks|path_importer_cache|pycache_prefix)\b|"
                        r"\b(?:vars|getattr)\s*\(\s*sys\b|\bimportlib\b|__import__|\bexec\s*\(|\beval\s*\(|"
                        r"\bcompile\s*\(|\bglobals\s*\(|\bcontextlib\b|\bsetattr\s*\(",
    "objects that compare equal to anything": r"def\s+__(?:eq|ne|bool|len|iter|hash)__|__eq__\s*=",
    "hooks": r"\bexcepthook\b|\bsettrace\b|\bsetprofile\b|\batexit\b|\bdisplayhook\b",
    "signals and processes": r"\bsignal\b|\bos\s*\.\s*(?:kill|killpg|fork|setsid|_exit|system|exec\w*)\b|"
                             r"\bsubprocess\b|\bmultiprocessing\b|\bctypes\b|\bos\s*\.\s*(?:popen|posix_spawn\w*)\b|"
                             r"^\s*!",
    "files": r"\bshutil\b|\bos\s*\.\s*(?:remove|unlink|rename|replace|chmod|rmdir)\b|\bopen\s*\([^)]*['\"][wax+]|\bwrite_(?:text|bytes)\b",
}


def flags(submission, found) -> list[str]:
    """What the student's own code (between the solution markers) touches that
    could subvert the grading, for the instructor to look at: reasons to read the
    code, not a verdict."""
    if submission is None:
        return []
    code = "\n".join(source for exercise in found for source in (student_code(submission, exercise) or []))
    return [what for what, pattern in SUSPICIOUS.items() if re.search(pattern, code, re.M)]


def normalized(name: str) -> str:
    stem = name[:-len(".ipynb")] if name.lower().endswith(".ipynb") else name
    stem = stem.lower().strip()
    stem = re.sub(r"^copy of\s+", "", stem)
    stem = re.sub(r"(\s*\(\d+\)|[\s_-]+copy(\s*\d+)?)+$", "", stem)
    return re.sub(r"[\s-]+", "_", stem)


def find_notebooks(folder: Path, chapters: list[str]) -> tuple[dict[str, Path], list[str]]:
    """The student's notebook for each chapter ({chapter file name: path}) and notes
    on how they were matched: exact names first, then names that differ only in
    case, spaces, a " (1)" or "copy" a download added, in the folder or one deeper."""
    notes = []
    candidates = []
    for path in (p for pattern in ("*.ipynb", "*/*.ipynb") for p in sorted(folder.glob(pattern))):
        if ".ipynb_checkpoints" in path.parts:
            continue
        if path.is_symlink() or path.parent.is_symlink():
            notes.append(f"not graded: {path.relative_to(folder)} is a symbolic link")
            continue
        if path.is_file():
            candidates.append(path)
    by_key = {normalized(c): c for c in chapters}
    found: dict[str, list[Path]] = {}
    for path in candidates:
        chapter = path.name if path.name in chapters else by_key.get(normalized(path.name))
        if chapter is None:
            notes.append(f"not graded: {path.relative_to(folder)} (no chapter of that name)")
            continue
        found.setdefault(chapter, []).append(path)
    chosen = {}
    for chapter, paths in found.items():
        exact = [p for p in paths if p.parent == folder and p.name == chapter]
        pick = exact[0] if exact else paths[0]
        chosen[chapter] = pick
        if pick.relative_to(folder).as_posix() != chapter:
            notes.append(f"graded {pick.relative_to(folder)} as {chapter}")
        if len(paths) > 1:
            others = ", ".join(str(p.relative_to(folder)) for p in paths if p != pick)
            notes.append(f"several files for {chapter}: graded {pick.relative_to(folder)}, not {others}")
    return chosen, notes


@dataclass
class Report:
    results: list[Result]
    notes: dict[str, list[str]]
    flags: dict[str, list[str]]
    sandbox: str


def grade(submissions: Path, timeout: int = 120, notebook_timeout: int = 1200,
          hide=(), use_sandbox: bool = True, interrupt_grace_s: float = INTERRUPT_GRACE_S) -> Report:
    chapters = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    folders = sorted(p for p in submissions.iterdir() if p.is_dir())
    matched = {folder.name: find_notebooks(folder, chapters) for folder in folders}
    graded_chapters = sorted({c for found, _ in matched.values() for c in found})
    setting = Setting.create(hide=[submissions, *hide], use_sandbox=use_sandbox,
                             interrupt_grace_s=interrupt_grace_s)
    print(f"sandbox: {setting.description}", file=sys.stderr, flush=True)
    report = Report([], {}, {}, setting.description)
    try:
        for folder in folders:
            found, notes = matched[folder.name]
            report.notes[folder.name] = notes
            report.flags[folder.name] = []
            for name in graded_chapters:
                instructor = nbformat.read(NOTEBOOKS / name, as_version=4)
                if name not in found:
                    report.results.extend(Result(folder.name, Path(name).stem, e.label, 0, "not submitted")
                                          for e in exercises(instructor))
                    continue
                path = found[name]
                print(f"grading {folder.name}/{path.relative_to(folder)}", file=sys.stderr, flush=True)
                try:
                    submission, _ = load_submission(path)
                    report.flags[folder.name] += [f"{Path(name).stem[:2]}: {f}"
                                                  for f in flags(submission, exercises(instructor))]
                    report.results.extend(grade_file(folder.name, path, timeout, notebook_timeout,
                                                     setting, chapter_file=name))
                except Exception as err:  # the grader itself must never stop the run
                    report.results.extend(Result(folder.name, Path(name).stem, e.label, 0, f"could not grade: {err}")
                                          for e in exercises(instructor))
    finally:
        setting.close()
    return report


ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    """Text from a submission (file names, error messages) made safe to print and
    to write as UTF-8: no terminal escape codes, no control characters, and bytes
    that are not UTF-8 shown as escapes."""
    try:   # a file name that is not UTF-8 arrives with its bytes as surrogates
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return ANSI.sub("", text)


def table(report: Report):
    """Rows, one per student: scores per exercise, total, the reasons, the notes
    on files, the flags and the sandbox."""
    results = report.results
    columns = list(dict.fromkeys((r.chapter, r.label) for r in sorted(results, key=lambda r: r.chapter)
                                 if r.label))
    rows = []
    for student in sorted({r.student for r in results} | set(report.notes)):
        mine = {(r.chapter, r.label): r for r in results if r.student == student and r.label}
        extra = [f"{r.chapter[:2]}: {r.reason}" for r in results if r.student == student and not r.label]
        row = {"student": clean(student)}
        for key in columns:
            row[f"{key[0][:2]}:{key[1]}"] = mine[key].score if key in mine else 0
        row["total"] = sum(r.score for r in mine.values())
        row["out_of"] = len(columns)
        row["notes"] = clean("; ".join([f"{k[1]}: {mine[k].reason}" for k in columns
                                  if k in mine and mine[k].score == 0] + report.notes.get(student, []) + extra))
        row["flags"] = "; ".join(report.flags.get(student, []))
        row["sandbox"] = report.sandbox
        rows.append(row)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    parser.add_argument("--notebook-timeout", type=int, default=1200,
                        help="seconds per notebook (default 1200)")
    parser.add_argument("--interrupt-grace", type=float, default=INTERRUPT_GRACE_S,
                        help="seconds a kernel gets to stop after a cell is interrupted at its "
                             f"time limit, before it is killed (default {INTERRUPT_GRACE_S})")
    parser.add_argument("--csv", type=Path, default=Path("grades.csv"))
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run kernels without the bubblewrap sandbox: only for notebooks you "
                             "trust (without it, the grader refuses to run where the sandbox "
                             "cannot start)")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder of student folders")
    csv_path = args.csv.resolve()
    if args.interrupt_grace <= 0:
        parser.error("--interrupt-grace must be positive")
    try:
        report = grade(args.submissions, args.timeout, args.notebook_timeout,
                       hide=[csv_path.parent], use_sandbox=not args.no_sandbox,
                       interrupt_grace_s=args.interrupt_grace)
    except SandboxUnavailable as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    rows = table(report)
    if not rows:
        print("no submissions found", file=sys.stderr)
        return 1
    partial = csv_path.with_name(csv_path.name + ".part")   # written whole, then renamed
    with open(partial, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    os.replace(partial, csv_path)
    score_cols = [c for c in rows[0] if ":" in c]
    widths = {c: max(len(c), 1) for c in score_cols}
    print(f"sandbox: {report.sandbox}")
    print("| student | " + " | ".join(score_cols) + " | total |")
    print("| --- | " + " | ".join("---" for _ in score_cols) + " | --- |")
    for row in rows:
        print(f"| {row['student']} | " + " | ".join(str(row[c]).center(widths[c]) for c in score_cols)
              + f" | {row['total']}/{row['out_of']} |")
    print()
    for row in rows:
        if row["notes"]:
            print(f"{row['student']}: {row['notes']}")
    for row in rows:
        if row["flags"]:
            print(f"{row['student']} (look at the code): {row['flags']}")
    print(f"\nwrote {args.csv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
