"""Shared by the grader's tests (tests/test_classroom.py, tests/test_grader.py):
a submission made from the student edition, the CLI run as an instructor runs
it, and what the run must leave untouched."""
import copy
import csv
import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil

import convention
from conftest import NOTEBOOKS, ROOT

CHAPTER = "00_pipeline_basics.ipynb"
# The fixture classes' time limit per cell. The chapter's slowest cell (its imports)
# takes about 3 s alone; the endless wait and the hanging regular expression of the
# fixtures each cost the whole limit (the expression on a core), so it is kept short,
# but not shorter: beside the other pytest worker and a busy process the import cell
# takes longer.
CELL_TIMEOUT = 10
# After a cell is interrupted at its limit, the seconds a kernel gets to answer before
# it is killed (the grader's default is 5). Only the kernel that ignores interrupts
# waits it out; a Python loop answers the interrupt in milliseconds.
INTERRUPT_GRACE = 2


def put_back(student_nb, instructor_nb, answers=None):
    """The student notebook with the instructor's solutions, or `answers` by label."""
    nb = copy.deepcopy(student_nb)
    by_id = {c.id: c for c in nb.cells}
    for exercise in convention.exercises(instructor_nb):
        source = (answers or {}).get(exercise.label, exercise.solution_source)
        by_id[exercise.solution_ids[0]].source = source
    return nb


def tree_digest(*folders, skip=()):
    """{relative path: sha256} of every file under the folders (no caches)."""
    digest = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path not in skip:
                digest[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


MARK = "600.4242"   # the argument of the `sleep` that a hostile submission leaves behind


def survivors():
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if MARK in " ".join(proc.info["cmdline"] or []):
                found.append(proc.pid)
        except psutil.Error:
            pass
    return found


HOST_SOCKET = Path("/run") / f"tfdata-book-grader-test-{os.getpid()}.sock"


def submitter(root: Path):
    """submit(student, notebook or raw bytes, file name): hands in one file."""
    import nbformat

    def submit(name, nb=None, raw=None, file=CHAPTER):
        path = root / name / file
        path.parent.mkdir(parents=True, exist_ok=True)
        if raw is not None:
            path.write_bytes(raw)
        else:
            nbformat.write(nb, path)
    return submit


def scores(row, labels):
    return [int(row[f"00:{label}"]) for label in labels]


def run_grader(root: Path, timeout: int = CELL_TIMEOUT, notebook_timeout: int = 180) -> dict:
    """Grade the class in `root` with the CLI, watching what it must not do: change
    a file of the book or of the submissions, let a kernel reach a Unix socket of
    the host or write into the grader's output, leave a process running.
    Returns the CSV rows by student, stdout, the files changed, the processes left
    and the seconds the run took."""
    csv_path = root / "grades.csv"
    guarded = [ROOT / "notebooks", ROOT / "data", ROOT / "classroom", ROOT / "tests", root]
    before = tree_digest(*guarded, skip={csv_path})
    listener = None
    if HOST_SOCKET.parent.is_dir() and os.access(HOST_SOCKET.parent, os.W_OK):
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(HOST_SOCKET))
        listener.listen(5)
        listener.setblocking(False)
    home_file_before = (Path.home() / "oscar.txt").exists()
    started = time.monotonic()
    try:
        run = subprocess.run([sys.executable, str(ROOT / "classroom" / "grade.py"), str(root),
                              "--timeout", str(timeout), "--notebook-timeout", str(notebook_timeout),
                              "--interrupt-grace", str(INTERRUPT_GRACE),
                              "--csv", str(csv_path)], capture_output=True, text=True, timeout=900)
    finally:
        reached = []
        if listener is not None:
            try:
                reached.append(listener.accept())
            except BlockingIOError:
                pass
            listener.close()
            HOST_SOCKET.unlink()
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stderr[-3000:]
    assert not reached, "a submission reached a Unix socket of the host"
    assert "FORGED" not in run.stdout + run.stderr, "a kernel wrote into the grader's output"
    time.sleep(1)
    after = tree_digest(*guarded, skip={csv_path})
    assert home_file_before or not (Path.home() / "oscar.txt").exists(), "a submission wrote into the home folder"
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    return {"rows": rows, "stdout": run.stdout, "changed": sorted(set(before.items()) ^ set(after.items())),
            "left": survivors(), "seconds": seconds}


def write_class(student_dir, root):
    """Write a class of honest and broken submissions into `root`; returns the
    exercise labels."""
    import nbformat

    instructor = nbformat.read(NOTEBOOKS / CHAPTER, as_version=4)
    student = nbformat.read(student_dir / "notebooks" / CHAPTER, as_version=4)
    labels = [e.label for e in convention.exercises(instructor)]
    submit = submitter(root)

    submit("ada_correct", put_back(student, instructor))
    # Handed in as a browser names a second download, one folder deeper. (Each graded
    # notebook costs a kernel running the whole chapter, ~13 s: the cases share students.)
    submit("cy_broken_answers", put_back(student, instructor, {
        labels[0]: "even_squares = tf.data.Dataset.range(10).map(lambda x: x * x\n",      # syntax error
        labels[1]: "batch_counts = 1 / 0",                                                # exception
        # A cell that never ends: it waits rather than spins, since the interrupt
        # path is the same and a spinning loop would take a core from the other tests
        # for the whole limit (trudy_hangs spins, in C, ignoring interrupts).
        labels[2]: "import time\ntime.sleep(10 ** 6)",                                  # never ends
    }), file="homework/00_Pipeline_Basics (1).ipynb")
    tampered = put_back(student, instructor, {
        labels[0]: "even_squares = None",
        labels[2]: "two_epochs = tf.data.Dataset.range(6).repeat(2).shuffle(12, seed=SEED)",  # a plain wrong answer
    })
    for exercise in convention.exercises(instructor):
        check = next(c for c in tampered.cells if c.id == exercise.check_id)
        if exercise.label == labels[0]:
            check.source = 'print("Exercise: correct.")'                                    # edited check
    ex1 = convention.exercises(instructor)[1]
    tampered.cells = [c for c in tampered.cells if c.id != ex1.check_id]                    # deleted check
    ex3 = convention.exercises(instructor)[3]
    tampered.cells = [c for c in tampered.cells if c.id not in (ex3.start_id, ex3.end_id, *ex3.solution_ids)]
    submit("dee_tampered", tampered)
    submit("eve_not_json", raw=b'{"cells": [ this is not json')
    submit("fay_empty", raw=b"")
    (root / "gus_nothing").mkdir()                                                      # handed in nothing
    return labels
