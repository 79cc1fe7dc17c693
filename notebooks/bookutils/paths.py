"""Where the book's files are: the repository, the shipped data, scratch
directories that vanish when the Python process exits."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"


def data_path(name: str) -> Path:
    """Path of a file shipped in ``data/``; a clear error if it is missing."""
    path = DATA_DIR / name
    if not path.is_file():
        shipped = sorted(p.name
                         for p in DATA_DIR.iterdir()) if DATA_DIR.is_dir() else []
        raise FileNotFoundError(
            f"data file {name!r} not found in {DATA_DIR.name}/ "
            f"(shipped: {', '.join(shipped) or 'nothing'}); "
            "see data/README.md for how to regenerate it")
    return path


_SCRATCH: list[Path] = []
# Every process's scratch directories sit in a folder named by its process id, under
# one folder per user: a kernel stopped with SIGKILL (as a test runner stops it)
# skips the removal at exit, and the next process that makes a scratch directory
# removes the folders of processes that no longer run.
SCRATCH_ROOT = Path(tempfile.gettempdir()) / f"tfdata-book-scratch-{os.getuid()}"


def scratch_dir(prefix: str = "tfdata-book") -> Path:
    """A new temporary directory, removed when the Python process exits (or, if it
    is killed, by the next process that makes one).

    Notebooks write files only here, never into ``data/``."""
    mine = SCRATCH_ROOT / str(os.getpid())
    if not mine.is_dir():
        _remove_stale_scratch()
        mine.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=mine))
    _SCRATCH.append(path)
    return path


def _remove_stale_scratch() -> None:
    import psutil

    for folder in SCRATCH_ROOT.glob("*"):
        if folder.name.isdigit() and not psutil.pid_exists(int(folder.name)):
            shutil.rmtree(folder, ignore_errors=True)


@atexit.register
def _remove_scratch() -> None:
    for path in _SCRATCH:
        shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(SCRATCH_ROOT / str(os.getpid()), ignore_errors=True)

