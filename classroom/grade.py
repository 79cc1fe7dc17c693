"""Grade a class's submitted notebooks.

    python classroom/grade.py SUBMISSIONS [--timeout 120] [--notebook-timeout 1200] [--csv grades.csv]

SUBMISSIONS holds one folder per student, each with the chapter notebooks the
student hands in, named as in the book (for example alice/00_pipeline_basics.ipynb).

Each submission is graded in a fresh kernel. The grader takes the instructor's
notebook, puts the student's code between each exercise's solution markers in place
of the solution, and runs it with the instructor's check cells: checks are never
taken from the submission, so a deleted or edited check changes nothing. A cell
that runs longer than --timeout seconds is interrupted; once a notebook has run for
--notebook-timeout seconds, its remaining cells are not started. An exercise scores 1 if its
check passes, else 0 with the reason. A broken file (empty, not JSON, not a
notebook) scores 0 everywhere, with the reason; nothing stops the run.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edition import NOTEBOOKS, exercises, tags  # noqa: E402


class NotebookTimeLimit(Exception):
    """The notebook as a whole ran out of time."""


@dataclass
class Result:
    student: str
    chapter: str
    label: str
    score: int
    reason: str


def load_submission(path: Path):
    """(notebook, None) or (None, reason)."""
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


def grade_file(student: str, path: Path, timeout: int, notebook_timeout: int = 1200) -> list[Result]:
    chapter = path.stem
    instructor_path = NOTEBOOKS / path.name
    instructor = nbformat.read(instructor_path, as_version=4)
    found = exercises(instructor)
    submission, problem = load_submission(path)
    if problem:
        return [Result(student, chapter, e.label, 0, problem) for e in found]
    nb, notes = grading_notebook(instructor, submission, found)
    deadline = time.monotonic() + notebook_timeout

    def before_each_cell(cell, cell_index):
        if time.monotonic() > deadline:
            raise NotebookTimeLimit

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            interrupt_on_timeout=True, record_timing=False,
                            on_cell_start=before_each_cell,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    stopped = None
    try:
        client.execute()
    except NotebookTimeLimit:
        stopped = f"time limit: the notebook ran longer than {notebook_timeout} s"
    except CellTimeoutError:
        stopped = f"time limit: a cell ran longer than {timeout} s"
    except DeadKernelError:
        stopped = "the kernel died"
    by_id = {cell.id: cell for cell in nb.cells}
    results = []
    for exercise in found:
        check = by_id[exercise.check_id]
        solution = by_id[exercise.solution_ids[0]]
        if exercise.label in notes:
            reason, score = notes[exercise.label], 0
        elif check.get("execution_count") is None:
            reason, score = stopped or "not run", 0
        elif error_of(check) is None:
            reason, score = "correct", 1
        else:
            solution_error = error_of(solution)
            if solution_error and solution_error.startswith("KeyboardInterrupt"):
                reason = f"time limit: the answer ran longer than {timeout} s and was interrupted"
            elif solution_error and solution_error.startswith(("SyntaxError", "IndentationError")):
                reason = f"syntax error in the answer ({solution_error.splitlines()[0][:120]})"
            elif solution_error:
                reason = f"the answer raised {solution_error.splitlines()[0][:120]}"
            else:
                reason = error_of(check).replace("ExerciseNotDone: ", "").splitlines()[0][:160]
            score = 0
        results.append(Result(student, chapter, exercise.label, score, reason))
    return results


def grade(submissions: Path, timeout: int = 120, notebook_timeout: int = 1200) -> list[Result]:
    results = []
    folders = sorted(p for p in submissions.iterdir() if p.is_dir())
    chapters = sorted({path.name for folder in folders for path in folder.glob("*.ipynb")
                       if (NOTEBOOKS / path.name).exists()})
    for folder in folders:
        for name in chapters:
            path = folder / name
            if not path.exists():
                instructor = nbformat.read(NOTEBOOKS / name, as_version=4)
                results.extend(Result(folder.name, path.stem, e.label, 0, "not submitted")
                               for e in exercises(instructor))
                continue
            print(f"grading {folder.name}/{path.name}", file=sys.stderr, flush=True)
            try:
                results.extend(grade_file(folder.name, path, timeout, notebook_timeout))
            except Exception as err:  # the grader itself must never stop the run
                instructor = nbformat.read(NOTEBOOKS / path.name, as_version=4)
                results.extend(Result(folder.name, path.stem, e.label, 0, f"could not grade: {err}")
                               for e in exercises(instructor))
    return results


def table(results: list[Result]):
    """Rows, one per student: scores per exercise, total, and the reasons."""
    columns = list(dict.fromkeys((r.chapter, r.label) for r in sorted(results, key=lambda r: r.chapter)))
    rows = []
    for student in sorted({r.student for r in results}):
        mine = {(r.chapter, r.label): r for r in results if r.student == student}
        row = {"student": student}
        for key in columns:
            row[f"{key[0][:2]}:{key[1]}"] = mine[key].score if key in mine else 0
        row["total"] = sum(r.score for r in mine.values())
        row["out_of"] = len(columns)
        row["notes"] = "; ".join(f"{k[1]}: {mine[k].reason}" for k in columns
                                 if k in mine and mine[k].score == 0) or ""
        rows.append(row)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    parser.add_argument("--notebook-timeout", type=int, default=1200,
                        help="seconds per notebook (default 1200)")
    parser.add_argument("--csv", type=Path, default=Path("grades.csv"))
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder of student folders")
    rows = table(grade(args.submissions, args.timeout, args.notebook_timeout))
    if not rows:
        print("no submissions found", file=sys.stderr)
        return 1
    with open(args.csv, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    score_cols = [c for c in rows[0] if ":" in c]
    widths = {c: max(len(c), 1) for c in score_cols}
    print("| student | " + " | ".join(score_cols) + " | total |")
    print("| --- | " + " | ".join("---" for _ in score_cols) + " | --- |")
    for row in rows:
        print(f"| {row['student']} | " + " | ".join(str(row[c]).center(widths[c]) for c in score_cols)
              + f" | {row['total']}/{row['out_of']} |")
    print()
    for row in rows:
        if row["notes"]:
            print(f"{row['student']}: {row['notes']}")
    print(f"\nwrote {args.csv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
