"""The grader treats every submission as untrusted code (classroom/grade.py,
classroom/sandbox.py). One class is graded by the CLI as an instructor runs it:
a fixture class (a correct submission, and each kind of broken one: syntax error,
exception and a cell that never ends, handed in under a download's name; a wrong answer
beside edited and deleted checks; not JSON, empty, nothing) and a hostile one (an attack of each
kind). Each submission is scored exactly as it deserves and with its reasons, the
honest student keeps her points beside the attacks, no file outside the grader's
output changes, no process survives the run, no kernel reaches the host's Unix
sockets or the grader's output, and the run ends within its limits. A student who
works against the checks inside the kernel is flagged. (One run for both: each
graded notebook runs the whole chapter in a kernel of its own.)"""
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import convention
import edition
import grade
import sandbox
from conftest import NOTEBOOKS, ROOT
from grading import (CELL_TIMEOUT, CHAPTER, HOST_SOCKET, MARK, put_back, run_grader, scores,  # noqa: E402
                     submitter, write_class)


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student") / "student"
    edition.build(out)
    return out


# A finder, put where the import system looks for the helper package's modules,
# that would hand the fresh helper a `checks` module whose check always passes.
FAKE_CHECKS_FINDER = """
import bookutils
class _Pass:
    def __enter__(self): return self
    def __exit__(self, *exc): return True
class _Loader:
    def create_module(self, spec): return None
    def exec_module(self, module):
        vars(module).update(check=lambda label: _Pass(), ExerciseNotDone=AssertionError,
                            PipelineGraph=object, pipeline_graph=lambda dataset: None)
_cache = vars(sys)["path_importer_cache"]
_real = _cache.get(bookutils.__path__[0])
class _Finder:          # as a path entry finder: (name, target); on sys.meta_path: (name, path, target)
    def find_spec(self, name, *rest):
        if name.endswith(".checks"):
            return type(sys.__spec__)(name, _Loader())
        return _real.find_spec(name, rest[-1]) if _real and len(rest) == 1 else None
_cache[bookutils.__path__[0]] = _Finder()
sys.meta_path.insert(0, _Finder())
"""


def write_hostile_class(student_dir, root):
    """Add hostile submissions to the class in `root` (whose honest student,
    ada_correct, the vandal tries to harm); returns the exercise labels."""
    instructor = nbformat.read(NOTEBOOKS / CHAPTER, as_version=4)
    student = nbformat.read(student_dir / "notebooks" / CHAPTER, as_version=4)
    labels = [e.label for e in convention.exercises(instructor)]
    csv_path = root / "grades.csv"
    submit = submitter(root)

    # Wrong answers dressed up as right ones, from inside the kernel.
    solutions = NOTEBOOKS / CHAPTER
    submit("mallory_cheats", put_back(student, instructor, {
        labels[0]: ("import contextlib\nimport bookutils, bookutils.checks\n"
                    "bookutils.check = lambda *args, **kwargs: contextlib.suppress(Exception)\n"
                    "bookutils.checks.check = bookutils.check   # the module the package takes it from\n"
                    "even_squares = None"),
        labels[1]: ("ip = get_ipython()\n"
                    "ip.showtraceback = lambda *a, **k: print('Exercise “Counting batches”: correct.')\n"
                    "batch_counts = None"),
        labels[2]: ("import json\ntry:\n"
                    f"    solved = json.load(open({str(solutions)!r}))\n"
                    "    exec(''.join(solved['cells'][0]['source']))\n"
                    "except OSError as err:\n    print('no solutions here:', err)\n"
                    "two_epochs = None"),
        labels[3]: ("import builtins, sys\nbuiltins.all = builtins.any = lambda iterable: True\n"
                    + FAKE_CHECKS_FINDER +
                    "sys.modules['bookutils'] = None\n"
                    "predicted_image_shape = (28, 28)\nprint('Exercise “Predict the spec”: correct.')"),
    }))
    # Right answers, after trying to damage everything it can reach.
    targets = [ROOT / "data" / "oscar.txt", root / "ada_correct" / CHAPTER, csv_path,
               Path.home() / "oscar.txt", NOTEBOOKS / "bookutils" / "checks.py"]
    # First it tries to take the machine's memory and to fill the sandbox's /tmp (in
    # the machine's memory too); its first answer is right only if both were refused
    # by the kernel's limits. (Without them neither harms the machine: the 12 GiB are
    # allocated, never touched; /tmp would take 0.7 GiB for a moment.)
    greedy = (
        "import numpy as np\nrefused = []\n"
        "try:\n    hoard = np.empty(12 * 2**30, dtype=np.uint8)\n"
        "except MemoryError:\n    refused.append('memory')\n"
        "try:\n    with open('/tmp/filler', 'wb') as filler:\n"
        "        for _ in range(700):\n            filler.write(bytes(2**20))\n"
        "except OSError:\n    refused.append('/tmp')\n"
        "finally:\n    import os\n    os.remove('/tmp/filler')\n"
        "assert refused == ['memory', '/tmp'], f'the kernel\\'s limits let through: {refused}'\n")
    vandal = greedy + (
        "import os, signal, subprocess\n"
        f"for target in {[str(t) for t in targets]!r}:\n"
        "    try:\n        open(target, 'w').write('oscar was here')\n"
        "    except OSError as err:\n        print('cannot write', target, type(err).__name__)\n"
        "for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
        "    if pid != os.getpid():\n"
        "        try:\n            os.kill(pid, signal.SIGKILL)\n"
        "        except OSError:\n            pass\n"
        f"subprocess.Popen(['sleep', '{MARK}'], start_new_session=True)\n"
        "import socket\n"
        "try:\n"
        f"    socket.socket(socket.AF_UNIX).connect({str(HOST_SOCKET)!r})\n"
        "except OSError as err:\n    print('no host socket', type(err).__name__)\n"
        "os.write(1, b'FORGED by oscar\\n')\nos.write(2, b'FORGED by oscar\\n')\n"
        "for _ in range(30):\n    print('x' * 100_000)\n")
    oscar = put_back(student, instructor)
    first = convention.exercises(instructor)[0].solution_ids[0]
    next(c for c in oscar.cells if c.id == first).source = (
        vandal + "\n" + convention.exercises(instructor)[0].solution_source)
    submit("oscar_vandal", oscar)
    # A cell that ignores interrupts and loops inside C code (a regular expression).
    # A link to the instructor's notebook (unzip and git keep links), and a file
    # name that is not UTF-8.
    (root / "sam_symlink").mkdir()
    (root / "sam_symlink" / CHAPTER).symlink_to(NOTEBOOKS / CHAPTER)
    (root / "zed_odd_name").mkdir()
    (root / "zed_odd_name" / os.fsdecode(b"\xff\x1b[31m.ipynb")).write_bytes(b"{}")
    submit("trudy_hangs", put_back(student, instructor, {labels[0]: (
        "import re, signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "re.match(r'(a+)+$', 'a' * 64 + 'b')\neven_squares = None")}))
    return labels


@pytest.fixture(scope="module")
def graded_class(student_dir, tmp_path_factory):
    """(labels, CSV rows by student, stdout, files changed, processes left, seconds)."""
    ok, why = sandbox.available()
    if not ok:      # the hostile class attacks this checkout: it never runs unsandboxed
        message = f"the fixture classes are graded only inside the sandbox, which cannot start here: {why}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; in CI, .ci/run installs bubblewrap")
        pytest.skip(message)
    root = tmp_path_factory.mktemp("class")
    labels = write_class(student_dir, root)
    assert write_hostile_class(student_dir, root) == labels
    run = run_grader(root)
    return labels, run["rows"], run["stdout"], run["changed"], run["left"], run["seconds"]


def test_grader_scores_the_fixture_class_exactly(graded_class):
    labels, rows, *_ = graded_class
    assert scores(rows["ada_correct"], labels) == [1, 1, 1, 1]
    assert scores(rows["cy_broken_answers"], labels) == [0, 0, 0, 1]
    assert scores(rows["dee_tampered"], labels) == [0, 1, 0, 0]
    assert scores(rows["eve_not_json"], labels) == [0, 0, 0, 0]
    assert scores(rows["fay_empty"], labels) == [0, 0, 0, 0]
    assert scores(rows["gus_nothing"], labels) == [0, 0, 0, 0]
    assert rows["ada_correct"]["total"] == "4" and rows["ada_correct"]["out_of"] == "4"


def test_grader_gives_reasons(graded_class):
    labels, rows, stdout, *_ = graded_class
    assert rows["ada_correct"]["notes"] == ""
    cy = rows["cy_broken_answers"]["notes"]
    assert f"{labels[0]}: syntax error in the answer" in cy
    assert f"{labels[1]}: the answer raised ZeroDivisionError" in cy
    assert f"{labels[2]}: time limit: the answer ran longer than {CELL_TIMEOUT} s and was interrupted" in cy
    dee = rows["dee_tampered"]["notes"]
    assert "Even squares" in dee and "deleted" in dee
    # a plain wrong answer: the check's own message, naming the exercise
    assert "Two clean epochs" in dee and "a shuffle after repeat can mix the two epochs" in dee
    assert "not a valid notebook" in rows["eve_not_json"]["notes"]
    assert "empty file" in rows["fay_empty"]["notes"]
    assert "not submitted" in rows["gus_nothing"]["notes"]
    assert "| ada_correct |" in stdout and "4/4" in stdout


def test_a_misnamed_notebook_is_found_and_the_match_reported(graded_class):
    _, rows, *_ = graded_class
    assert "graded homework/00_Pipeline_Basics (1).ipynb as 00_pipeline_basics.ipynb" in rows["cy_broken_answers"]["notes"]


def test_links_and_odd_names_are_reported_not_followed(graded_class):
    labels, rows, stdout, *_ = graded_class
    sam = rows["sam_symlink"]
    assert scores(sam, labels) == [0, 0, 0, 0]
    assert "is a symbolic link" in sam["notes"] and "not submitted" in sam["notes"]
    zed = next(row for name, row in rows.items() if name.startswith("zed"))
    assert "\\xff" in zed["notes"] and "\x1b" not in zed["notes"] + stdout


def test_flags_point_at_code_that_works_against_the_checks():
    """Code that can make a check pass without solving the exercise (it runs in the
    same kernel) is flagged for the instructor; a plain answer is not."""
    instructor = nbformat.read(NOTEBOOKS / CHAPTER, as_version=4)
    found = convention.exercises(instructor)
    label = found[1].label
    for answer, flag in [
        ("class Any:\n    def __eq__(self, other):\n        return True\nbatches_kept = Any()",
         "objects that compare equal to anything"),
        ("import contextlib\ncontextlib.contextmanager = lambda f: f", "modules and code"),
        ("g = globals()\ng['get_' + 'ipython']()", "modules and code"),
        # A finder that would hand the fresh check helper a fake submodule.
        ("import sys\nsys.meta_path.insert(0, object())", "modules and code"),
        ("import os\nos.popen('id')", "signals and processes"),
        ("!id", "signals and processes"),
        ("from pathlib import Path\nPath('x').write_text('y')", "files"),
    ]:
        nb = put_back(instructor, instructor, {label: answer})
        assert flag in grade.flags(nb, found), (answer, grade.flags(nb, found))
    assert grade.flags(put_back(instructor, instructor), found) == []


def test_cheats_inside_the_kernel_score_nothing_and_are_flagged(graded_class):
    labels, rows, stdout, *_ = graded_class
    mallory = rows["mallory_cheats"]
    assert scores(mallory, labels) == [0, 0, 0, 0], mallory["notes"]
    for what in ("the check helper", "IPython", "builtins", "modules and code"):
        assert what in mallory["flags"], (what, mallory["flags"])
    assert "mallory_cheats (look at the code)" in stdout
    assert rows["ada_correct"]["flags"] == ""


def test_a_vandal_changes_nothing_and_keeps_what_it_earned(graded_class):
    labels, rows, _, changed, left, _ = graded_class
    assert changed == [], f"files changed by the run: {changed[:6]}"
    assert left == [], f"processes outlived the grader: {left}"
    oscar = rows["oscar_vandal"]
    assert scores(oscar, labels) == [1, 1, 1, 1], oscar["notes"]
    assert "signals and processes" in oscar["flags"] and "files" in oscar["flags"]
    # and the honest students beside it keep their scores
    assert scores(rows["ada_correct"], labels) == [1, 1, 1, 1]


def test_a_kernel_that_ignores_interrupts_is_stopped_and_the_run_goes_on(graded_class):
    labels, rows, _, _, _, seconds = graded_class
    trudy = rows["trudy_hangs"]
    assert scores(trudy, labels) == [0, 0, 0, 0]
    assert "ignored the interrupt, so the kernel was stopped" in trudy["notes"]
    assert seconds < 8 * 180, "every notebook ends within its limit"


def test_the_csv_says_which_sandbox_ran_the_kernels(graded_class):
    _, rows, stdout, *_ = graded_class
    assert {row["sandbox"] for row in rows.values()} == {"bubblewrap"}
    assert "sandbox: bubblewrap" in stdout


def test_without_a_sandbox_the_grader_runs_nothing(student_dir, tmp_path):
    """Where bubblewrap cannot start (here: not on the PATH), the grader refuses, says
    why and how to go on, and runs no submission: an answer that would leave a file
    behind leaves none (unsandboxed, it would), and no CSV is written."""
    trace = tmp_path / "a kernel ran"
    instructor = nbformat.read(NOTEBOOKS / CHAPTER, as_version=4)
    student = nbformat.read(student_dir / "notebooks" / CHAPTER, as_version=4)
    label = convention.exercises(instructor)[0].label
    submit = submitter(tmp_path / "class")
    submit("ada", put_back(student, instructor, {label: f"open({str(trace)!r}, 'w').close()\neven_squares = None"}))
    empty = tmp_path / "no-programs"
    empty.mkdir()
    run = subprocess.run([sys.executable, str(ROOT / "classroom" / "grade.py"), str(tmp_path / "class"),
                          "--csv", str(tmp_path / "grades.csv")],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "PATH": str(empty)})
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert "cannot be sandboxed here: " in run.stderr
    if sys.platform.startswith("linux"):
        assert "cannot be sandboxed here: bubblewrap is not installed" in run.stderr
    assert "nothing was run" in run.stderr and "--no-sandbox" in run.stderr
    assert not trace.exists() and not (tmp_path / "grades.csv").exists()


def test_running_without_the_sandbox_is_an_explicit_choice():
    """--no-sandbox (trusted notebooks only) is the one way to run kernels unsandboxed:
    the run says so, and each kernel gets a fresh copy of the student edition, not
    the book's own folders."""
    setting = grade.Setting.create(use_sandbox=False)
    try:
        assert not setting.sandboxed and setting.description == "none: turned off (--no-sandbox)"
        _, folder, helper = setting.kernel()
        assert setting.work in folder.parents and setting.book not in folder.parents, folder
        assert (helper / "checks.py").is_file() and ROOT not in folder.parents
        # The kernel the instructor's notebook names: the loopback-only one for the
        # chapter that starts servers; no other.
        km, _, _ = setting.kernel("book-loopback")
        assert km.kernel_name == "book-loopback"
        with pytest.raises(ValueError, match="unknown kernel"):
            setting.kernel("anything-else")
    finally:
        setting.close()


def test_a_folder_to_hide_inside_what_the_sandbox_shows_stops_the_grader_first():
    """A folder that must stay hidden (the submissions, the grader's output) but lies
    inside what the sandbox mounts (here, the Python environment) is refused before
    any kernel starts, not found submission by submission."""
    if not sandbox.available()[0]:
        pytest.skip("the sandbox cannot start here")
    inside = Path(sys.prefix).resolve() / "lib"
    with pytest.raises(grade.SandboxUnavailable, match="must stay hidden"):
        grade.Setting.create(hide=[inside])


def test_the_sandbox_starts_from_a_linked_virtual_environment(tmp_path):
    """A virtual environment reached through a symbolic link (.venv -> elsewhere) is
    mounted at its real place: the kernel's interpreter is named from there, and
    the sandbox starts."""
    ok, why = sandbox.available()
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the sandbox cannot start here: {why}; in CI, .ci/run installs bubblewrap")
        pytest.skip(f"the sandbox cannot start here: {why}")
    link = tmp_path / "venv-link"
    link.symlink_to(Path(sys.prefix).resolve(), target_is_directory=True)
    python = link / Path(sys.executable).relative_to(sys.prefix)
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import sandbox; "
             "print(sandbox.kernel_python()); print(sandbox.available())")
    run = subprocess.run([str(python), "-c", probe, str(ROOT / "classroom")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    named, verdict = run.stdout.splitlines()
    assert named == str(Path(sys.prefix).resolve() / Path(sys.executable).relative_to(sys.prefix))
    assert verdict == "(True, '')", verdict


