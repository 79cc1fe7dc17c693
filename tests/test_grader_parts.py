"""The grader's parts on their own, without grading a class: finding and loading
submissions (classroom/submissions.py), and the kernel's seams (classroom/kernel.py):
the limits set in one place, the check helper loaded afresh, the output cap."""
import json
import subprocess
import sys

import nbformat
import pytest

import convention
import grade
import kernel
import submissions
from conftest import NOTEBOOKS, ROOT

CHAPTER = "00_pipeline_basics.ipynb"


def test_a_broken_file_gets_its_reason_and_a_notebook_loads(tmp_path, monkeypatch):
    cases = {"empty.ipynb": b"  \n", "text.ipynb": b"print('hello')", "list.ipynb": b"[1, 2]",
             "latin1.ipynb": "{\"cells\": \"\xe9\"}".encode("latin-1"),
             "cells-text.ipynb": json.dumps({"cells": "none"}).encode()}
    reasons = {}
    for name, raw in cases.items():
        (tmp_path / name).write_bytes(raw)
        nb, reasons[name] = submissions.load_submission(tmp_path / name)
        assert nb is None, name
    assert reasons == {"empty.ipynb": "empty file",
                       "text.ipynb": "not a valid notebook: the file is not JSON (JSONDecodeError)",
                       "list.ipynb": "not a valid notebook: no cells",
                       "latin1.ipynb": "not a valid notebook: the file is not JSON (UnicodeDecodeError)",
                       "cells-text.ipynb": reasons["cells-text.ipynb"]}, reasons
    assert reasons["cells-text.ipynb"].startswith("not a valid notebook ("), reasons
    nb, problem = submissions.load_submission(NOTEBOOKS / CHAPTER)
    assert problem is None and nb.cells
    monkeypatch.setattr(submissions, "MAX_NOTEBOOK_BYTES", 100)
    nb, problem = submissions.load_submission(NOTEBOOKS / CHAPTER)
    assert nb is None and problem.startswith("file too large"), problem


def test_notebooks_are_matched_as_downloads_name_them(tmp_path):
    chapters = ["00_pipeline_basics.ipynb", "01_images_from_numpy.ipynb", "02_text_vectorization.ipynb"]
    folder = tmp_path / "ada"
    (folder / "deeper").mkdir(parents=True)
    for name in ("00_pipeline_basics.ipynb", "00_Pipeline_Basics (1).ipynb", "deeper/01 images from numpy.ipynb",
                 "notes.ipynb"):
        (folder / name).write_text("{}")
    (folder / "02_text_vectorization.ipynb").symlink_to(folder / "notes.ipynb")
    found, notes = submissions.find_notebooks(folder, chapters)
    assert found == {"00_pipeline_basics.ipynb": folder / "00_pipeline_basics.ipynb",
                     "01_images_from_numpy.ipynb": folder / "deeper/01 images from numpy.ipynb"}
    assert "graded deeper/01 images from numpy.ipynb as 01_images_from_numpy.ipynb" in notes
    assert ("several files for 00_pipeline_basics.ipynb: graded 00_pipeline_basics.ipynb, "
            "not 00_Pipeline_Basics (1).ipynb") in notes
    assert "not graded: 02_text_vectorization.ipynb is a symbolic link" in notes
    assert "not graded: notes.ipynb (no chapter of that name)" in notes


def test_student_code_is_what_lies_between_the_markers_and_nothing_else():
    nb = nbformat.read(NOTEBOOKS / CHAPTER, as_version=4)
    exercise = convention.exercises(nb)[0]
    ids = [cell.get("id") for cell in nb.cells]
    solution = [nb.cells[ids.index(i)].source for i in exercise.solution_ids]
    assert submissions.student_code(nb, exercise) == solution
    copied_check = nbformat.v4.new_code_cell("bookutils.check('x')", metadata={"tags": ["check"]})
    nb.cells.insert(ids.index(exercise.end_id), copied_check)
    assert submissions.student_code(nb, exercise) == solution
    nb.cells = [cell for cell in nb.cells if cell.get("id") != exercise.end_id]
    assert submissions.student_code(nb, exercise) is None


def test_the_limits_are_set_in_one_place():
    """The command line's defaults are the Limits' own; nothing else repeats them."""
    parser_defaults = subprocess.run([sys.executable, str(ROOT / "classroom" / "grade.py"), "--help"],
                                     capture_output=True, text=True, timeout=120).stdout
    limits = kernel.Limits()
    for text in (f"(default {limits.cell_s})", f"(default {limits.notebook_s})",
                 f"(default {limits.interrupt_grace_s:g})"):
        assert text in " ".join(parser_defaults.split()), text
    sources = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "classroom").glob("*.py")}
    for value in ("1200", "2_000_000"):
        assert [name for name, text in sources.items() if value in text] == ["kernel.py"], value


def test_the_fresh_helper_loads_the_package_from_its_folder_whatever_the_import_system_says():
    """Run as the grader puts it in front of a check cell, in a process whose import
    system hands out a fake bookutils: the check cell gets the package from the
    folder, every module of it, and no _grader_ name is left behind."""
    folder = NOTEBOOKS / "bookutils"
    modules = kernel.helper_modules(folder)
    assert {"checks", "claims", "timing"} <= set(modules) and modules.index("checks") < len(modules)
    code = kernel.fresh_helper(folder, modules)
    probe = "\n".join([
        "import sys, types",
        "fake = types.ModuleType('bookutils'); fake.check = lambda *a: None",
        "sys.modules['bookutils'] = sys.modules['bookutils.checks'] = fake",
        code,
        "left = [name for name in dir() if name.startswith('_grader')]",
        "assert not left, left",
        "assert bookutils is not fake and bookutils.__file__ == " + repr(str(folder / "__init__.py")),
        "for name in " + repr(modules) + ":",
        "    assert sys.modules['bookutils.' + name].__file__ == " + repr(str(folder)) + " + '/' + name + '.py', name",
        "print('fresh')"])
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                         cwd=ROOT / "classroom")
    assert run.returncode == 0 and run.stdout.strip().endswith("fresh"), run.stderr[-3000:]


def test_output_beyond_the_cap_is_dropped_once_noted_and_errors_are_kept():
    nb = nbformat.v4.new_notebook()
    client = kernel.GradingClient(nb, kernel.Limits(output_bytes=300))
    client.reset_execution_trackers()          # what nbclient sets up before a notebook,
    client.clear_before_next_output = False    # and before each cell
    outs = []
    for index in range(10):
        client.output(outs, {"msg_type": "stream", "header": {"msg_type": "stream"}, "parent_header": {},
                             "content": {"name": "stdout", "text": f"line {index} " + "x" * 50}}, None, 0)
    client.output(outs, {"msg_type": "error", "header": {"msg_type": "error"}, "parent_header": {},
                         "content": {"ename": "ValueError", "evalue": "v" * 5000, "traceback": ["t"] * 50}}, None, 0)
    texts = [o.get("text", "") for o in outs if o.output_type == "stream"]
    assert client.capped and sum("output capped at 300 bytes" in t for t in texts) == 1, texts
    assert len("".join(texts)) < 600, texts
    errors = [o for o in outs if o.output_type == "error"]
    assert len(errors) == 1 and len(errors[0].evalue) == 1000 and len(errors[0].traceback) == 20


def test_a_chapter_is_read_once_and_graded_from_what_was_loaded(tmp_path, monkeypatch):
    """grade() reads each instructor's notebook once and loads each file once:
    grade_file gets both, and reads nothing itself."""
    reads = []
    real_read = grade.Chapter.read.__func__
    monkeypatch.setattr(grade.Chapter, "read", classmethod(lambda cls, name: reads.append(name)
                                                           or real_read(cls, name)))
    loads = []
    real_load = grade.load_submission
    monkeypatch.setattr(grade, "load_submission", lambda path: loads.append(path) or real_load(path))
    seen = []
    monkeypatch.setattr(grade, "grade_file", lambda student, path, limits, setting, chapter, loaded:
                        seen.append((chapter.name, loaded[1])) or [])
    monkeypatch.setattr(grade.Setting, "create", classmethod(lambda cls, **kw: cls(tmp_path / "work", tmp_path / "work", False, "test")))
    for student in ("ada", "bob"):
        (tmp_path / "class" / student).mkdir(parents=True)
        (tmp_path / "class" / student / CHAPTER).write_text("")
    report = grade.grade(tmp_path / "class", use_sandbox=False)
    assert reads == [CHAPTER] and len(loads) == 2 and seen == [(CHAPTER, "empty file")] * 2, (reads, loads, seen)
    assert report.sandbox == "none: test"


def test_a_sandboxed_kernel_runs_with_its_memory_and_tmp_limits(tmp_path):
    """The kernel's command: limited.py sets the data memory and the largest file,
    then runs bubblewrap, whose /tmp has the size asked; the limits hold for what runs
    under it."""
    import sandbox

    argv = sandbox.sandbox_argv(tmp_path, tmp_path, [], tmp_bytes=12345)
    at = argv.index("--tmpfs")
    assert argv[at - 2:at + 2] == ["--size", "12345", "--tmpfs", "/tmp"]
    command = sandbox.limited([sys.executable, "-c", (
        "import resource; print(resource.getrlimit(resource.RLIMIT_DATA)[0], "
        "resource.getrlimit(resource.RLIMIT_FSIZE)[0])")], memory_bytes=2**31, file_bytes=2**20)
    out = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.split() == [str(2**31), str(2**20)]
    assert kernel.Limits().memory_bytes >= 2**31 and kernel.Limits().tmp_bytes >= 2**28
