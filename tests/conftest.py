"""Shared test fixtures: the repository paths and the helper module on sys.path."""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
if str(NOTEBOOKS) not in sys.path:
    sys.path.insert(0, str(NOTEBOOKS))


def chapter_notebooks():
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="session")
def root():
    return ROOT
