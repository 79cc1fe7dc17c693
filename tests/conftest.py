"""Shared test fixtures: the repository paths, the helper module on sys.path, and
the site built once per test session."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

# The student edition and the exercises' wrong answers run inside nbval's execution
# of each chapter (see the module).
from student_edition_plugin import pytest_collection_modifyitems  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
if str(NOTEBOOKS) not in sys.path:
    sys.path.insert(0, str(NOTEBOOKS))


def chapter_notebooks():
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb"))


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
    """Build the site from the stored outputs with -n -W; (html dir, build log)."""
    out = tmp_path_factory.mktemp("site")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"jupyter-book build failed:\n{log[-4000:]}"
    return out / "_build" / "html", log


def pytest_sessionfinish(session, exitstatus):
    """No process started from notebooks/cluster/ may outlive the tests (the
    notebooks and the tests start tf.data servers and training workers).
    Under pytest-xdist the check runs once, in the controller, after every
    worker has finished (a worker would see the others' live processes)."""
    import bookutils

    if hasattr(session.config, "workerinput"):
        return

    left = bookutils.book_processes()
    if left:
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        print(f"\nERROR: {len(left)} process(es) from notebooks/cluster/ were still running "
              f"after the tests (killed now): pids {left}")
        session.exitstatus = 1
