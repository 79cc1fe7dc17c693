"""A class's submitted notebooks: finding each student's notebook for a chapter
(named as downloads name them), loading one without trusting it, and reading the
student's own code between an exercise's solution markers. Nothing here runs code."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from convention import tags

MAX_NOTEBOOK_BYTES = 20_000_000   # a larger submitted file is not read


def load_submission(path: Path):
    """(notebook, None) or (None, the reason it cannot be graded)."""
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
    """The student's code cells between the exercise's solution markers (None if
    the markers were deleted); check cells the student copied in are left out."""
    ids = [cell.get("id") for cell in submission.cells]
    if exercise.start_id not in ids or exercise.end_id not in ids:
        return None
    start, end = ids.index(exercise.start_id), ids.index(exercise.end_id)
    return [cell.source for cell in submission.cells[start + 1:end]
            if cell.cell_type == "code" and "check" not in tags(cell)]


def normalized(name: str) -> str:
    """A notebook's name as a chapter's: case, spaces, " (1)", "Copy of" and
    "- Copy" (what downloads and file managers add) taken away."""
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
