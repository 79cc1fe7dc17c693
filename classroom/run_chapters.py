"""Execute the book's notebooks in place, and keep the teaching page's table of
chapters (title, run time, exercises) generated from that run, never typed.

``make notebooks`` runs this: each notebook is executed top to bottom in a fresh
kernel (nbconvert's ``ExecutePreprocessor``, the kernel its metadata names, as
``jupyter nbconvert --execute`` does), its wall time is recorded in
``book/_generated/run-times.json``, and ``book/_generated/chapters.md`` is written
from the notebooks (their titles, and their exercises read by ``convention.py``)
and those times; the teaching page includes it.

    .venv/bin/python classroom/run_chapters.py                 # every notebook
    .venv/bin/python classroom/run_chapters.py 04_timing_prefetch   # one; the others keep their time
    .venv/bin/python classroom/run_chapters.py --table-only    # rewrite the table only
"""
from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import nbformat

from convention import exercises

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
GENERATED = ROOT / "book" / "_generated"
TIMES = GENERATED / "run-times.json"
TABLE = GENERATED / "chapters.md"


def chapters() -> list[Path]:
    """The chapters, in reading order (file stems 00_, 01_, ...; the site numbers them from 1)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def notebooks() -> list[Path]:
    return chapters() + sorted(NOTEBOOKS.glob("appendix_*.ipynb"))


def title(nb) -> str:
    first = next(cell for cell in nb.cells if cell.cell_type == "markdown")
    match = re.match(r"#\s+(.+)", first.source.strip())
    if not match:
        raise ValueError("a chapter starts with a Markdown cell '# Title'")
    return match.group(1).strip()


def execute(path: Path, timeout: int = 600) -> float:
    """Execute `path` in place in a fresh kernel; its wall time in seconds."""
    from nbconvert.preprocessors import ExecutePreprocessor

    nb = nbformat.read(path, as_version=4)
    runner = ExecutePreprocessor(timeout=timeout, record_timing=False)
    start = time.perf_counter()
    runner.preprocess(nb, {"metadata": {"path": str(path.parent)}})
    seconds = time.perf_counter() - start
    nbformat.write(nb, path)
    return seconds


def table(times: dict[str, float]) -> str:
    """The teaching page's table: one row per chapter."""
    rows = ["| chapter | run time | exercises |", "| --- | --- | --- |"]
    for number, path in enumerate(chapters(), start=1):
        nb = nbformat.read(path, as_version=4)
        if path.stem not in times:
            raise KeyError(f"no run time recorded for {path.stem}: run classroom/run_chapters.py {path.stem}")
        names = "; ".join(e.title for e in exercises(nb))
        rows.append(f"| {number}. {title(nb)} (`{path.stem}`) | {times[path.stem]:.0f} s | {names} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stems", nargs="*", help="notebooks to execute (file stems); default: all")
    parser.add_argument("--table-only", action="store_true", help="write the table from the recorded times")
    args = parser.parse_args(argv)
    GENERATED.mkdir(parents=True, exist_ok=True)
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    if not args.table_only:
        chosen = [p for p in notebooks() if not args.stems or p.stem in args.stems]
        unknown = set(args.stems) - {p.stem for p in chosen}
        if unknown:
            parser.error(f"no such notebook: {', '.join(sorted(unknown))}")
        for path in chosen:
            print(f"executing {path.relative_to(ROOT)}", flush=True)
            times[path.stem] = round(execute(path), 1)
            TIMES.write_text(json.dumps(dict(sorted(times.items())), indent=1) + "\n")
    TABLE.write_text(table(times))
    print(f"wrote {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
