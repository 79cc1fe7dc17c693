"""The student edition and the exercises' wrong answers, run inside nbval's own
execution of each chapter.

A chapter's student edition is the instructor's notebook with each exercise's
solution replaced by a stub (``classroom/edition.py``). Every cell outside the
exercises is identical in both (``tests/test_classroom.py`` checks it, outputs
included), and the exercises come after every other code cell (checked here).
So the student edition's run is nbval's run up to the first exercise, followed
by the student's exercise section: stubs and checks.

This plugin adds one test item to each chapter that nbval collects, placed just
before the first solution cell. It runs the student's exercise section, cell
by cell, in nbval's kernel, which at that point holds exactly the state a
student's fresh kernel would: every stub must run without an error, and every
check must fail with ``ExerciseNotDone`` naming its exercise. Then nbval goes
on with the instructor's solutions and checks, which reassign every name the
stubs set. One execution of each chapter thus serves both the strict output
comparison and the student edition, instead of running every chapter twice.

The same execution serves the exercises' mutation tests. After the chapter's
last cell, a "wrong answers: <label>" item for each exercise runs the exercise's
own check against its stub and against each plausible wrong answer kept in
``tests/exercise_mutants/<label>.py`` (at least two): each must fail with
``ExerciseNotDone``; other right answers kept there (``# --- right: <name>``)
must pass. nbval has run the solution and its check before, and compared the
check's output with the stored "correct". The wrong answers run last because they
may draw random numbers (a model's initial weights), which would change what later
cells print. So for every exercise: the stub fails,
the wrong answers fail, the solution passes, from one run of the notebook. Each
kept answer runs on the names the chapter left: the kernel's global names are
saved before it and restored after its check, so that an answer that rebinds a
chapter name (which its check must catch) cannot change the next one's verdict.

The plugin is loaded by ``tests/conftest.py``: a pytest run that names only
notebooks runs nbval alone; name a file of ``tests/`` too (README, "Writing a
chapter").
"""
from __future__ import annotations

import functools
import re
import time
from pathlib import Path
from queue import Empty

import nbformat
import pytest

import convention
import edition

ROOT = Path(__file__).resolve().parent.parent

CELL_TIMEOUT_S = 600


def run_source(kernel, source: str, timeout: float = CELL_TIMEOUT_S) -> list[dict]:
    """Execute ``source`` in an nbval ``RunningKernel``; return its outputs
    (``{"type": ..., "ename": ..., "evalue": ..., "text": ...}``)."""
    msg_id = kernel.execute_cell_input(source, allow_stdin=False)
    kernel.await_reply(msg_id, timeout=timeout)
    outputs = []
    while True:
        try:
            msg = kernel.get_message("iopub", timeout=timeout)
        except Empty:
            raise TimeoutError("no output from the kernel") from None
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            return outputs
        if kind == "error":
            outputs.append({"type": "error", "ename": content["ename"], "evalue": content["evalue"]})
        elif kind == "stream":
            outputs.append({"type": "stream", "text": content["text"]})


MUTANTS = Path(__file__).resolve().parent / "exercise_mutants"
VARIANT = re.compile(r"^# --- (?P<kind>mistake|right): (?P<name>.+)$", re.M)


def mutants(label: str, kind: str = "mistake") -> dict[str, str]:
    """The answers kept for an exercise in ``tests/exercise_mutants/<label>.py``:
    each follows a line ``# --- mistake: <name>`` (a wrong answer, which the check
    must reject) or ``# --- right: <name>`` (another right answer, which it must
    accept)."""
    path = MUTANTS / f"{label}.py"
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    marks = list(VARIANT.finditer(text))
    names = [m.group("name").strip() for m in marks]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:       # a dictionary would keep only the last of them: the others never ran
        raise ValueError(f"{path.name}: two kept answers share a name: {twice}")
    return {name: text[m.end():(marks[i + 1].start() if i + 1 < len(marks) else len(text))].strip()
            for i, (name, m) in enumerate(zip(names, marks)) if m.group("kind") == kind}


# Each kept answer runs on the names the chapter left, not on those an earlier answer
# rebound (a wrong answer may rebind a chapter name, say `val_idx`, which the check
# must catch): the kernel's global names are saved before it and restored after its
# check. (Objects changed in place are not restored.)
SAVE_NAMES = "__book_saved_names = dict(globals())"
RESTORE_NAMES = ("(lambda names, saved: (names.clear(), names.update(saved)))"
                 "(globals(), globals().pop('__book_saved_names'))")


def answer_then_check(kernel, exercise, answer: str) -> tuple[list[dict], list[dict]]:
    """The outputs of an answer and of the exercise's check after it, with the
    kernel's names restored afterwards."""
    run_source(kernel, SAVE_NAMES)
    try:
        return run_source(kernel, answer), run_source(kernel, exercise.check_source)
    finally:
        run_source(kernel, RESTORE_NAMES)


def assert_fails_clearly(kernel, exercise, answer: str, what: str) -> None:
    """Run an answer, then the exercise's own check: the answer must run, and the
    check must fail with ExerciseNotDone naming the exercise."""
    answered, checked = answer_then_check(kernel, exercise, answer)
    errors = [o for o in answered if o["type"] == "error"]
    assert not errors, f"{exercise.label}, {what}: the answer itself raised {errors[0]['ename']}: {errors[0]['evalue']}"
    errors = [o for o in checked if o["type"] == "error"]
    assert errors, f"{exercise.label}: the check passed {what}"
    assert errors[0]["ename"] == "ExerciseNotDone", \
        f"{exercise.label}, {what}: {errors[0]['ename']}: {errors[0]['evalue']}"
    title = convention.check_title(exercise.check_source)
    assert f"Exercise “{title}”" in errors[0]["evalue"], errors[0]["evalue"]


class MutantItem(pytest.Item):
    """An exercise's check against its stub and its kept answers, in nbval's kernel
    after the chapter's last cell (nbval has checked that the solution passes: the
    check cell's stored output says "correct")."""

    def __init__(self, *, exercise, stub, **kwargs):
        super().__init__(**kwargs)
        self.exercise, self.stub = exercise, stub

    def runtest(self):
        kernel = self.parent.kernel
        if kernel is None or not kernel.is_alive():
            raise RuntimeError("nbval's kernel is not running")
        wrong = mutants(self.exercise.label)
        assert len(wrong) >= 2, (f"{self.exercise.label}: keep at least two plausible wrong answers in "
                                 f"tests/exercise_mutants/{self.exercise.label}.py")
        # The chapter's objects stay alive (models, datasets): keep the garbage collector
        # from walking them again on every collection the answers' many small objects cause.
        run_source(kernel, "import gc as __book_gc; __book_gc.freeze(); del __book_gc")
        assert_fails_clearly(kernel, self.exercise, self.stub, "on the stub")
        # every kept answer is tried, and every one the check gets wrong is reported;
        # each answer's seconds (answer and check) go to the phase's slowest answers
        problems = []
        for name, answer in wrong.items():
            started = time.perf_counter()
            try:
                assert_fails_clearly(kernel, self.exercise, answer,
                                     f"on the wrong answer {name!r}")
            except AssertionError as err:
                problems.append(str(err))
            self.user_properties.append(("answer seconds", (name, time.perf_counter() - started)))
        for name, answer in mutants(self.exercise.label, "right").items():
            started = time.perf_counter()
            answered, checked = answer_then_check(kernel, self.exercise, answer)
            self.user_properties.append(("answer seconds", (name, time.perf_counter() - started)))
            errors = [o for o in answered + checked if o["type"] == "error"]
            if errors:
                problems.append(f"{self.exercise.label}: the right answer {name!r} failed: "
                                f"{errors[0]['ename']}: {errors[0]['evalue']}")
        assert not problems, "\n".join(problems)

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::{self.name}"


class StudentEditionItem(pytest.Item):
    """The student's exercise section of one chapter, in nbval's kernel."""

    def __init__(self, *, student_cells, **kwargs):
        super().__init__(**kwargs)
        self.student_cells = student_cells

    def runtest(self):
        kernel = self.parent.kernel
        if kernel is None or not kernel.is_alive():
            raise RuntimeError("nbval's kernel is not running")
        checks = 0
        for cell, exercise, role in self.student_cells:
            outputs = run_source(kernel, cell.source)
            errors = [o for o in outputs if o["type"] == "error"]
            if role == "stub":
                assert not errors, (f"{exercise.label}: the stub raised "
                                    f"{errors[0]['ename']}: {errors[0]['evalue']}")
                continue
            title = convention.check_title(exercise.check_source)
            assert errors, f"{exercise.label}: the check passed on the stub"
            assert errors[0]["ename"] == "ExerciseNotDone", \
                f"{exercise.label}: {errors[0]['ename']}: {errors[0]['evalue']}"
            assert f"Exercise “{title}”" in errors[0]["evalue"], errors[0]["evalue"]
            checks += 1
        assert checks >= 3, f"only {checks} exercises"

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::student edition"


@functools.lru_cache(maxsize=None)
def student_section(path: Path):
    """(cell id of the first solution, [(student cell, exercise, role), ...]).

    Raises ``convention.ConventionError`` (a ValueError) if a code cell that is
    not part of an exercise follows the first exercise (the convention's own
    rule): then the student edition's run would differ from nbval's before the
    exercises, and this plugin could not stand in for it."""
    instructor = nbformat.read(path, as_version=4)
    found = convention.exercises(instructor)
    first_solution = found[0].solution_ids[0]
    student = edition.student_notebook(path)
    by_id = {c.id: c for c in student.cells}
    cells = []
    for exercise in found:
        cells.append((by_id[exercise.solution_ids[0]], exercise, "stub"))
        cells.append((by_id[exercise.check_id], exercise, "check"))
    return first_solution, cells


@functools.lru_cache(maxsize=None)
def exercise_at(path: Path) -> dict:
    """{first solution cell id: (exercise, its stub source)} of a chapter."""
    student = {c.id: c for c in edition.student_notebook(path).cells}
    return {e.solution_ids[0]: (e, student[e.solution_ids[0]].source)
            for e in convention.exercises(nbformat.read(path, as_version=4))}


def pytest_collection_modifyitems(session, config, items):
    """Before a chapter's first solution: the student edition's exercise section.
    After the chapter's last cell: each exercise's check against its stub and its
    kept answers (after, so that the wrong answers, which may draw random numbers,
    cannot change the outputs nbval compares)."""
    if not config.getoption("nbval", default=False):
        return
    position = 0
    while position < len(items):
        item = items[position]
        path = Path(str(item.path))
        if (getattr(item, "cell", None) is None or path.parent != ROOT / "notebooks"
                or not re.match(r"\d\d_.*\.ipynb$", path.name)):      # chapters only
            position += 1
            continue
        end = position
        while end < len(items) and items[end].parent is item.parent:
            end += 1
        first_solution, cells = student_section(path)
        for at in range(position, end):
            if items[at].cell.get("id") == first_solution:
                items.insert(at, StudentEditionItem.from_parent(item.parent, name="student edition",
                                                                student_cells=cells))
                end += 1
                break
        wrong = [MutantItem.from_parent(item.parent, name=f"wrong answers: {exercise.label}",
                                        exercise=exercise, stub=stub)
                 for exercise, stub in exercise_at(path).values()]
        items[end:end] = wrong
        position = end + len(wrong)
