"""Grade a class's submitted notebooks.

    python classroom/grade.py SUBMISSIONS [--timeout S] [--notebook-timeout S] [--csv grades.csv]

SUBMISSIONS holds one folder per student, each with the chapter notebooks the
student hands in, named as in the book (for example alice/00_pipeline_basics.ipynb;
"00_Pipeline_Basics (1).ipynb" or a notebook one folder deeper is matched too, and
the match is reported).

Submissions are untrusted code. Each one runs in a fresh kernel, in a bubblewrap
sandbox (``sandbox.py``): a private PID namespace, a read-only file system with one
private writable /tmp, a read-only student edition to run against, and the
instructor's tree, the other submissions and the grader's output hidden. Where the
sandbox cannot start (no bubblewrap, not Linux), the grader stops with exit status 2
and the reason before it runs anything; --no-sandbox runs kernels without it, for
notebooks the instructor trusts.
The grader takes the instructor's notebook, puts the student's code between each
exercise's solution markers in place of the solution, and runs it with the
instructor's check cells: checks are never taken from the submission. Each check
loads the check helper afresh from the read-only edition, and an exercise scores 1
only if its check cell's execution status is "ok" (printed text counts for nothing).
A cell that runs longer than --timeout seconds, or past the notebook's
--notebook-timeout, ends the kernel and everything it started; output is capped.
An exercise scores 1 if its check passes, else 0 with the reason. A broken file
(empty, not JSON, not a notebook) scores 0 everywhere, with the reason; once
grading has started nothing stops the run, and grades.csv is always written. Code that touches the checking
machinery, IPython, builtins, modules or signals is listed per student ("flags")
for the instructor to look at.

The grader has three parts: ``submissions.py`` finds, matches and loads the files
(nothing runs there), ``kernel.py`` runs one notebook in a sandboxed kernel within
its ``Limits``, and this file turns check cells' statuses into scores, the table
and the command line.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from convention import exercises
from edition import NOTEBOOKS
from kernel import Limits, SandboxUnavailable, Setting, run_notebook
from submissions import find_notebooks, load_submission, student_code


@dataclass
class Result:
    student: str
    chapter: str
    label: str
    score: int
    reason: str


@dataclass
class Chapter:
    """An instructor's notebook and its exercises, read once per grading run."""
    name: str                   # its file name, e.g. 00_pipeline_basics.ipynb
    notebook: nbformat.NotebookNode
    exercises: list

    @classmethod
    def read(cls, name: str) -> "Chapter":
        notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        return cls(name, notebook, exercises(notebook))

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    def zeros(self, student: str, reason: str) -> list[Result]:
        return [Result(student, self.stem, e.label, 0, reason) for e in self.exercises]

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


def grade_file(student: str, path: Path, limits: Limits, setting: Setting,
               chapter: Chapter | None = None, loaded=None) -> list[Result]:
    """Grade one submitted notebook against `chapter` (default: the chapter of the
    file's name); `loaded`: the submission as ``load_submission`` returned it, when
    the caller has loaded it already."""
    chapter = chapter or Chapter.read(path.name)
    submission, problem = loaded or load_submission(path)
    if problem:
        return chapter.zeros(student, problem)
    nb, notes = grading_notebook(chapter.notebook, submission, chapter.exercises)
    client, stopped, left = run_notebook(nb, setting, limits)
    by_id = {cell.id: cell for cell in nb.cells}
    results = []
    for exercise in chapter.exercises:
        check = by_id[exercise.check_id]
        solution = by_id[exercise.solution_ids[0]]
        status = client.statuses.get(exercise.check_id)
        if exercise.label in notes:
            reason, score = notes[exercise.label], 0
        elif status is None:
            reason, score = stopped or "not run", 0
        elif status == "ok":
            reason, score = "correct", 1
        else:
            solution_error = error_of(solution)
            if solution_error and solution_error.startswith("KeyboardInterrupt"):
                reason = f"time limit: the answer ran longer than {limits.cell_s} s and was interrupted"
            elif solution_error and solution_error.startswith(("SyntaxError", "IndentationError")):
                reason = f"syntax error in the answer ({solution_error.splitlines()[0][:120]})"
            elif solution_error:
                reason = f"the answer raised {solution_error.splitlines()[0][:120]}"
            elif error_of(check):
                reason = error_of(check).replace("ExerciseNotDone: ", "").splitlines()[0][:160]
            else:
                reason = "the check failed (its error was not displayed)"
            score = 0
        results.append(Result(student, chapter.stem, exercise.label, score, reason))
    if left:
        results.append(Result(student, chapter.stem, "", 0, f"{len(left)} process(es) outlived the kernel "
                                                              "and were killed"))
    return results


SUSPICIOUS = {
    "the check helper": r"\bExerciseNotDone\b|\bbookutils\s*\.\s*check\b|\bcheck\s*=",
    "IPython": r"\bget_ipython\b|\bIPython\b|\bshowtraceback\b|\binput_transformers|\bevents\s*\.\s*register",
    "builtins": r"\bbuiltins\b|__builtins__",
    "modules and code": r"\bsys\s*\.\s*modules\b|\b(?:meta_path|path_hooks|path_importer_cache|pycache_prefix)\b|"
                        r"\b(?:vars|getattr)\s*\(\s*sys\b|\bimportlib\b|__import__|\bexec\s*\(|\beval\s*\(|"
                        r"\bcompile\s*\(|\bglobals\s*\(|\bcontextlib\b|\bsetattr\s*\(",
    "objects that compare equal to anything": r"def\s+__(?:eq|ne|bool|len|iter|hash)__|__eq__\s*=",
    "hooks": r"\bexcepthook\b|\bsettrace\b|\bsetprofile\b|\batexit\b|\bdisplayhook\b",
    "signals and processes": r"\bsignal\b|\bos\s*\.\s*(?:kill|killpg|fork|setsid|_exit|system|exec\w*)\b|"
                             r"\bsubprocess\b|\bmultiprocessing\b|\bctypes\b|\bos\s*\.\s*(?:popen|posix_spawn\w*)\b|"
                             r"^\s*!",
    "files": r"\bshutil\b|\bos\s*\.\s*(?:remove|unlink|rename|replace|chmod|rmdir)\b|\bopen\s*\([^)]*['\"][wax+]|\bwrite_(?:text|bytes)\b",
}


def flags(submission, found) -> list[str]:
    """What the student's own code (between the solution markers) touches that
    could subvert the grading, for the instructor to look at: reasons to read the
    code, not a verdict."""
    if submission is None:
        return []
    code = "\n".join(source for exercise in found for source in (student_code(submission, exercise) or []))
    return [what for what, pattern in SUSPICIOUS.items() if re.search(pattern, code, re.M)]


@dataclass
class Report:
    results: list[Result]
    notes: dict[str, list[str]]
    flags: dict[str, list[str]]
    sandbox: str


def grade(submissions: Path, limits: Limits = Limits(), hide=(), use_sandbox: bool = True) -> Report:
    """Grade every student folder in `submissions`: each instructor's notebook is
    read once, each submitted file loaded once."""
    names = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    folders = sorted(p for p in submissions.iterdir() if p.is_dir())
    matched = {folder.name: find_notebooks(folder, names) for folder in folders}
    chapters = [Chapter.read(name) for name in sorted({c for found, _ in matched.values() for c in found})]
    setting = Setting.create(hide=[submissions, *hide], use_sandbox=use_sandbox)
    print(f"sandbox: {setting.description}", file=sys.stderr, flush=True)
    report = Report([], {}, {}, setting.description)
    try:
        for folder in folders:
            found, notes = matched[folder.name]
            report.notes[folder.name] = notes
            report.flags[folder.name] = []
            for chapter in chapters:
                if chapter.name not in found:
                    report.results.extend(chapter.zeros(folder.name, "not submitted"))
                    continue
                path = found[chapter.name]
                print(f"grading {folder.name}/{path.relative_to(folder)}", file=sys.stderr, flush=True)
                try:
                    loaded = load_submission(path)
                    report.flags[folder.name] += [f"{chapter.stem[:2]}: {f}"
                                                  for f in flags(loaded[0], chapter.exercises)]
                    report.results.extend(grade_file(folder.name, path, limits, setting, chapter, loaded))
                except Exception as err:  # the grader itself must never stop the run
                    report.results.extend(chapter.zeros(folder.name, f"could not grade: {err}"))
    finally:
        setting.close()
    return report


ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    """Text from a submission (file names, error messages) made safe to print and
    to write as UTF-8: no terminal escape codes, no control characters, and bytes
    that are not UTF-8 shown as escapes."""
    try:   # a file name that is not UTF-8 arrives with its bytes as surrogates
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return ANSI.sub("", text)


def table(report: Report):
    """Rows, one per student: scores per exercise, total, the reasons, the notes
    on files, the flags and the sandbox."""
    results = report.results
    columns = list(dict.fromkeys((r.chapter, r.label) for r in sorted(results, key=lambda r: r.chapter)
                                 if r.label))
    rows = []
    for student in sorted({r.student for r in results} | set(report.notes)):
        mine = {(r.chapter, r.label): r for r in results if r.student == student and r.label}
        extra = [f"{r.chapter[:2]}: {r.reason}" for r in results if r.student == student and not r.label]
        row = {"student": clean(student)}
        for key in columns:
            row[f"{key[0][:2]}:{key[1]}"] = mine[key].score if key in mine else 0
        row["total"] = sum(r.score for r in mine.values())
        row["out_of"] = len(columns)
        row["notes"] = clean("; ".join([f"{k[1]}: {mine[k].reason}" for k in columns
                                  if k in mine and mine[k].score == 0] + report.notes.get(student, []) + extra))
        row["flags"] = "; ".join(report.flags.get(student, []))
        row["sandbox"] = report.sandbox
        rows.append(row)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--timeout", type=int, default=Limits.cell_s,
                        help=f"seconds per cell (default {Limits.cell_s})")
    parser.add_argument("--notebook-timeout", type=int, default=Limits.notebook_s,
                        help=f"seconds per notebook (default {Limits.notebook_s})")
    parser.add_argument("--interrupt-grace", type=float, default=Limits.interrupt_grace_s,
                        help="seconds a kernel gets to stop after a cell is interrupted at its "
                             f"time limit, before it is killed (default {Limits.interrupt_grace_s:g})")
    parser.add_argument("--csv", type=Path, default=Path("grades.csv"))
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run kernels without the bubblewrap sandbox: only for notebooks you "
                             "trust (without it, the grader refuses to run where the sandbox "
                             "cannot start)")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder of student folders")
    csv_path = args.csv.resolve()
    if args.interrupt_grace <= 0:
        parser.error("--interrupt-grace must be positive")
    try:
        limits = Limits(cell_s=args.timeout, notebook_s=args.notebook_timeout,
                        interrupt_grace_s=args.interrupt_grace)
        report = grade(args.submissions, limits, hide=[csv_path.parent], use_sandbox=not args.no_sandbox)
    except SandboxUnavailable as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    rows = table(report)
    if not rows:
        print("no submissions found", file=sys.stderr)
        return 1
    partial = csv_path.with_name(csv_path.name + ".part")   # written whole, then renamed
    with open(partial, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    os.replace(partial, csv_path)
    score_cols = [c for c in rows[0] if ":" in c]
    widths = {c: max(len(c), 1) for c in score_cols}
    print(f"sandbox: {report.sandbox}")
    print("| student | " + " | ".join(score_cols) + " | total |")
    print("| --- | " + " | ".join("---" for _ in score_cols) + " | --- |")
    for row in rows:
        print(f"| {row['student']} | " + " | ".join(str(row[c]).center(widths[c]) for c in score_cols)
              + f" | {row['total']}/{row['out_of']} |")
    print()
    for row in rows:
        if row["notes"]:
            print(f"{row['student']}: {row['notes']}")
    for row in rows:
        if row["flags"]:
            print(f"{row['student']} (look at the code): {row['flags']}")
    print(f"\nwrote {args.csv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
