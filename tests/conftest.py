"""Shared test fixtures: the repository paths and the site built once per test
session; the check that no book process outlives the tests."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

# The student edition and the exercises' wrong answers run inside nbval's execution
# of each chapter (see the module).
from student_edition_plugin import pytest_collection_modifyitems as add_edition_items

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


def pytest_addoption(parser):
    parser.addoption("--file-order", default="", metavar="FILES",
                     help="space-separated test files (paths relative to the repository) to "
                          "run first, in this order; the others follow in collection order")


def pytest_collection_modifyitems(session, config, items):
    add_edition_items(session, config, items)
    order_files(config.getoption("file_order").split(), items)


def order_files(first, items):
    """Put the items of the files in ``first`` ahead, file by file in that order,
    keeping each file's own order and the order of the rest. pytest collects a
    directory's files alphabetically whatever order the command line gives, and
    pytest-xdist (``--dist loadfile``) hands the files to its workers in collection
    order: ``make test`` passes the longest first (``PHASE1_ORDER``), so that no long
    file starts last while the other worker has nothing left to do."""
    if not first:
        return
    rank = {str((ROOT / name).resolve()): i for i, name in enumerate(first)}
    items.sort(key=lambda item: rank.get(str(Path(str(item.path)).resolve()), len(rank)))


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
