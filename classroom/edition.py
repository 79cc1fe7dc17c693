"""The student edition: each exercise's solution replaced by a stub.

The exercises are found by ``convention.py``, the one parser of the exercise
convention (the grader and the hygiene test use it too). The student edition
is made with nbconvert's preprocessor API (nbformat reads and writes the files; Python's ``ast`` finds the names a check
needs): nbconvert is already part of the book's toolchain, and its preprocessors
are the documented way to transform notebooks, with no new dependency.
"""
from __future__ import annotations

import ast
import shutil
import zipfile
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import Preprocessor

import commonmark
from convention import Exercise, check_title, exercises, tags

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def needed_names(solution_source: str, check_source: str) -> list[str]:
    """Names the solution assigns at top level and the check reads."""
    assigned = []
    for node in ast.parse(solution_source).body:
        targets = []
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            assigned.append(node.name)
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and sub.id not in assigned:
                    assigned.append(sub.id)
    used = {n.id for n in ast.walk(ast.parse(check_source))
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return [name for name in assigned if name in used]


def stub_source(exercise: Exercise) -> str:
    names = needed_names(exercise.solution_source, exercise.check_source)
    title = check_title(exercise.check_source) or exercise.title
    lines = [f"# Exercise “{title}”: your code here.",
             "# Replace the lines below with your answer, then run the check cell."]
    lines += [f"{name} = None" for name in names]
    return "\n".join(lines)


def the_book() -> commonmark.Book:
    """Every notebook's section targets and title; the chapters are in the edition."""
    book = commonmark.Book()
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        book.add(path.stem, nbformat.read(path, as_version=4), included=path.name[:2].isdigit())
    return book


class StudentEdition(Preprocessor):
    """Replace each exercise's solution with a stub that sets the names its check
    needs to None; clear the solution outputs; let a check's failure not stop
    "Run all" (tag raises-exception); write the Markdown in plain CommonMark
    (``commonmark.py``: the edition is read in front ends without MyST). The code
    cells outside the exercises, and their outputs, are kept as they are."""

    def preprocess(self, nb, resources):
        found = exercises(nb)             # read from the MyST, before it is rewritten
        glued = commonmark.glued_values(nb)
        book, stem = resources["book"], resources["stem"]
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                cell.source = commonmark.to_commonmark(cell.source, glued, book, f"{stem}, cell {index}")
        by_id = {cell.id: cell for cell in nb.cells}
        for exercise in found:
            first, *rest = exercise.solution_ids
            stub = by_id[first]
            stub.source = stub_source(exercise)
            stub.outputs, stub.execution_count = [], None
            nb.cells = [c for c in nb.cells if c.id not in rest]
            check = by_id[exercise.check_id]
            check.outputs, check.execution_count = [], None
            check.metadata["tags"] = sorted(tags(check) | {"raises-exception"})
        return nb, resources


def student_notebook(path: Path, book: commonmark.Book | None = None):
    exporter = NotebookExporter()
    exporter.register_preprocessor(StudentEdition(), enabled=True)
    body, _ = exporter.from_filename(str(path), resources={"book": book or the_book(), "stem": path.stem})
    return nbformat.reads(body, as_version=4)


STUDENT_README = """# Feeding Keras with tf.data: student edition

The chapters' notebooks with the exercise solutions removed. Each exercise ends with
a check cell: run it after your answer; it prints a verdict, or says what is not
right yet. Set up once, then open the notebooks:

    python3.11 -m venv .venv
    .venv/bin/pip install -r requirements.txt
    .venv/bin/python notebooks/bookutils/loopback_kernel.py install .venv
    .venv/bin/jupyter lab notebooks/

The third line installs the kernel "Python 3 (loopback only)", in which the chapter
05_beyond_one_machine runs: the servers it starts accept anyone who can connect, so
it keeps them in a network that only this computer reaches (Linux, with bubblewrap:
apt-get install bubblewrap). The chapter says what to do where that is not possible.

Nothing is downloaded while the notebooks run: the data are in data/.
"""


def build(out: Path, zip_path: Path | None = None) -> Path:
    """Write the student edition into `out` and zip it; returns the zip's path."""
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    book = the_book()
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nbformat.write(student_notebook(path, book), out / "notebooks" / path.name)
    # The modules the chapters import from notebooks/ (the helper package, the
    # chapters' own modules such as determinism.py and timing_pipelines.py).
    shutil.copytree(NOTEBOOKS / "bookutils", out / "notebooks" / "bookutils",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for module in sorted(NOTEBOOKS.glob("*.py")):
        shutil.copy2(module, out / "notebooks" / module.name)
    # The scripts that the "Beyond one machine" chapter starts as separate processes.
    shutil.copytree(NOTEBOOKS / "cluster", out / "notebooks" / "cluster",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", out / "data",
                    ignore=shutil.ignore_patterns("make_data.py", "requirements.txt", "__pycache__"))
    if (ROOT / "benchmarks" / "tfdata_bench.py").exists():
        (out / "benchmarks").mkdir()
        shutil.copy2(ROOT / "benchmarks" / "tfdata_bench.py", out / "benchmarks" / "tfdata_bench.py")
    shutil.copy2(ROOT / "requirements.txt", out / "requirements.txt")
    shutil.copy2(ROOT / "requirements-xprof.txt", out / "requirements-xprof.txt")   # the timing chapter reads it
    (out / "README.md").write_text(STUDENT_README, encoding="utf-8")
    zip_path = zip_path or out.with_suffix(".zip")
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(out.rglob("*")):
            if file.is_file():
                info = zipfile.ZipInfo(str(Path("student-edition") / file.relative_to(out)),
                                       date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, file.read_bytes())
    return zip_path


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Write the student edition.")
    parser.add_argument("--out", default=str(ROOT / "_build" / "student"))
    args = parser.parse_args(argv)
    zip_path = build(Path(args.out))
    print(f"student edition: {args.out}/ and {zip_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
