"""Shared test fixtures: the repository paths and the site built once per test
session; the check that no book process outlives the tests."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

# The student edition and the exercises' wrong answers run inside nbval's execution
# of each chapter (see the module).
from student_edition_plugin import MutantItem, pytest_collection_modifyitems as add_edition_items

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"   # on sys.path through pytest.ini's pythonpath


def chapter_notebooks():
    """The chapters, NN_topic.ipynb: each ends with exercises, and the student
    edition carries them."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def book_notebooks():
    """Every notebook of the book: the chapters and the appendices
    (appendix_topic.ipynb), which have no exercises."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="session")
def root():
    return ROOT


def toc_files():
    """The pages of _toc.yml, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files.extend(section["file"] for section in chapter.get("sections", []))
    return files


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Build the site from the stored outputs with -n -W; (html dir, build log).

    Built once per test session: under pytest-xdist the workers share the
    session's temporary folder (the parent of each worker's own), and a file lock
    lets the first worker that needs the site build it while the other waits and
    reuses it, with the same log and the same verdict."""
    import fcntl
    import json

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent           # this session's folder, not an earlier session's
    out = shared / "site"
    record = shared / "site-build.json"
    with open(shared / "site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            jupyter_book = Path(sys.executable).with_name("jupyter-book")
            result = subprocess.run(
                [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
                capture_output=True, text=True, timeout=600)
            partial = record.with_suffix(".partial")
            partial.write_text(json.dumps({"returncode": result.returncode,
                                           "log": result.stdout + result.stderr}), encoding="utf-8")
            os.replace(partial, record)
        built = json.loads(record.read_text(encoding="utf-8"))
    assert built["returncode"] == 0, f"jupyter-book build failed:\n{built['log'][-4000:]}"
    return out / "_build" / "html", built["log"]


# How long each test file took in the last run (seconds, written by the run itself
# at its end), and the copy kept with the repository for a fresh clone.
RECORDED_DURATIONS = ROOT / "_build" / "test-durations.json"
KEPT_DURATIONS = ROOT / "tests" / "durations.json"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "needs_free_cores: its timing claims need a core free when a thread wakes "
        "(prefetch's overlap, a parallel map), so `make test` runs it alone, first; "
        "a notebook says so in its metadata (book.needs_free_cores)")
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(FileDurations(), "book-file-durations")
    if os.environ.get(FREE_CORES_DONE_ENV):
        config.pluginmanager.register(FreeCoresDone(os.environ[FREE_CORES_DONE_ENV]),
                                      "book-free-cores-done")


def needs_free_cores(path: Path) -> bool:
    """A notebook needs free cores if its metadata says so: the one place it is stated."""
    metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    return bool(metadata.get("book", {}).get("needs_free_cores"))


def durations() -> dict[str, float]:
    """Seconds per test file: from the last run on this machine, else the kept copy."""
    for path in (RECORDED_DURATIONS, KEPT_DURATIONS):
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    return {}


def pytest_collection_modifyitems(session, config, items):
    add_edition_items(session, config, items)
    marked: dict[Path, bool] = {}
    for item in items:
        path = Path(str(item.path))
        if path.suffix == ".ipynb":
            if path not in marked:
                marked[path] = needs_free_cores(path)
            if marked[path]:
                item.add_marker(pytest.mark.needs_free_cores)
    longest_first(items, durations())
    # The marked notebooks last: their wrong answers, which end them, are then the
    # last items of the phase that runs alone (see FREE_CORES_DONE_ENV).
    items.sort(key=lambda item: Path(str(item.path)).suffix == ".ipynb"
               and item.get_closest_marker("needs_free_cores") is not None)


# `make test` runs what needs free cores first, alone, and starts the rest, two at a
# time, when the only items left are exercises' wrong answers: the checks they run
# are made to hold on a learner's busy machine (timed interleaved, settled), and they
# mostly wait. This variable names the file that the alone phase creates then.
FREE_CORES_DONE_ENV = "BOOK_FREE_CORES_DONE"


class FreeCoresDone:
    """Creates the file FREE_CORES_DONE_ENV names before the first item after which
    only wrong answers are left. (A plugin, registered in pytest_configure: a hook of
    this conftest module itself would see only the items under tests/.)"""

    def __init__(self, done: str):
        self.done = Path(done)

    def pytest_runtest_setup(self, item):
        if self.done.exists():
            return
        items = item.session.items
        if all(isinstance(rest, MutantItem) for rest in items[items.index(item):]):
            self.done.touch()


def relative(item) -> str:
    return Path(str(item.path)).resolve().relative_to(ROOT).as_posix()


def longest_first(items, seconds: dict[str, float]):
    """Order the test files by how long each took last time, longest first, keeping
    each file's own order. pytest-xdist (``--dist loadfile``, with
    ``--no-loadscope-reorder``) hands the files to its workers in this order, so no
    long file starts last while the other worker has nothing left to do. A file
    never timed goes first: it may be long."""
    items.sort(key=lambda item: -seconds.get(relative(item), float("inf")))


class FileDurations:
    """Each test file's time (set-up, call and tear-down of every item), added up
    where the reports arrive (xdist's controller, or the only process), and merged
    into the recorded times at the end (files not run keep theirs)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.answers: list[tuple[float, str]] = []

    def pytest_runtest_logreport(self, report):
        path = report.nodeid.split("::")[0]
        self.seconds[path] = self.seconds.get(path, 0.0) + report.duration
        for key, value in report.user_properties if report.when == "call" else ():
            if key == "answer seconds":     # tests/student_edition_plugin.py
                name, seconds = value
                exercise = report.nodeid.split("::")[-1].removeprefix("wrong answers: ")
                self.answers.append((seconds, f"{exercise}: {name}"))

    def pytest_terminal_summary(self, terminalreporter):
        """The slowest kept answers of the exercises (each with its check), after
        pytest's own --durations: a wrong answer that trains a model costs like a cell."""
        if self.answers:
            terminalreporter.section("slowest 10 kept answers (answer and its check)")
            for seconds, what in sorted(self.answers, reverse=True)[:10]:
                terminalreporter.write_line(f"{seconds:6.2f}s {what}")

    def pytest_sessionfinish(self, session):
        import fcntl

        if not self.seconds:
            return
        RECORDED_DURATIONS.parent.mkdir(exist_ok=True)
        # the two phases of `make test` end at about the same time: one merges at once
        with open(RECORDED_DURATIONS.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            recorded = (json.loads(RECORDED_DURATIONS.read_text(encoding="utf-8"))
                        if RECORDED_DURATIONS.is_file() else {})
            recorded.update({path: round(seconds, 1) for path, seconds in self.seconds.items()})
            partial = RECORDED_DURATIONS.with_suffix(".part")
            partial.write_text(json.dumps(dict(sorted(recorded.items())), indent=1) + "\n",
                               encoding="utf-8")
            os.replace(partial, RECORDED_DURATIONS)


def pytest_sessionfinish(session, exitstatus):
    """No process that the notebooks or the tests started with ``ProcessGroup``
    (tf.data servers, training workers) may outlive the tests. Left over are
    those started by this pytest process or its descendants, and orphans, whose
    starter is gone; the processes of a notebook running elsewhere (say, in
    JupyterLab) are left alone. Under pytest-xdist the check runs once, in the
    controller, after every worker has finished."""
    import psutil
    import bookutils

    if hasattr(session.config, "workerinput"):
        return

    ours = {os.getpid(), *(child.pid for child in psutil.Process().children(recursive=True))}
    left = bookutils.leftover_book_processes(ours)
    if left:
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        print(f"\nERROR: {len(left)} process(es) started by the notebooks or tests were still "
              f"running after the tests (killed now): pids {left}")
        session.exitstatus = 1
