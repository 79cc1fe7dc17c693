"""Where the book's files are: the repository, the shipped data, scratch
directories that vanish when the Python process exits."""
from __future__ import annotations

import atexit
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

