"""The classroom edition: student notebooks, their checks, and the grader.

- The student edition is generated, and outside the exercises it is the
  instructor's notebook, outputs included. Its run is checked inside nbval's run of
  each chapter (tests/student_edition_plugin.py): every stub runs, and every check
  fails on its stub with a message naming the exercise (an ExerciseNotDone, not a
  NameError or a TensorFlow traceback).
- With the solutions put back, every check passes: that is the instructor's notebook,
  which nbval runs in full; here we check that the stubs sit exactly where the
  solutions were, so putting them back gives that notebook.
- The grader's run on a class of submissions (correct, partial, each kind of bad
  submission, and hostile ones) is tested in tests/test_grader.py.
"""
import ast
import zipfile

import nbformat
import pytest

import commonmark
import convention
import edition
from conftest import NOTEBOOKS, chapter_notebooks
import grade  # noqa: E402
import sandbox  # noqa: E402
import submissions  # noqa: E402
import student_edition_plugin  # noqa: E402
from grading import CHAPTER, put_back  # noqa: E402


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student") / "student"
    zip_path = edition.build(out)
    assert zip_path.is_file()
    return out


def test_student_edition_contents(student_dir):
    names = sorted(p.name for p in (student_dir / "notebooks").glob("*.ipynb"))
    assert names == [p.name for p in chapter_notebooks()]
    for needed in ["notebooks/bookutils/__init__.py", "notebooks/bookutils/checks.py", "notebooks/cluster/tfdata_server.py",
                   "notebooks/cluster/mwms_worker.py", "requirements.txt", "requirements-xprof.txt", "README.md", "data/digits.npz",
                   "data/reviews_train.csv", "benchmarks/tfdata_bench.py"]:
        assert (student_dir / needed).is_file(), needed
    with zipfile.ZipFile(student_dir.with_suffix(".zip")) as archive:
        assert "student-edition/notebooks/00_pipeline_basics.ipynb" in archive.namelist()


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_every_module_a_chapter_imports_from_notebooks_ships(student_dir, path):
    """A chapter's `import x` of a module that lives in notebooks/ (the helper
    package, determinism.py, timing_pipelines.py) must find it in the student
    edition too (the grader runs the edition, not the repository)."""
    from IPython.core.inputtransformer2 import TransformerManager

    imported, ipython = set(), TransformerManager()      # cells may hold %magics
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(ipython.transform_cell(cell.source))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    local = sorted(name for name in imported
                   if (NOTEBOOKS / f"{name}.py").is_file() or (NOTEBOOKS / name / "__init__.py").is_file())
    assert "bookutils" in local
    missing = [name for name in local if not ((student_dir / "notebooks" / f"{name}.py").is_file()
                                              or (student_dir / "notebooks" / name / "__init__.py").is_file())]
    assert not missing, f"{path.name} imports {missing}, which the student edition lacks"


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_stubs_replace_solutions_and_reveal_nothing(student_dir, path):
    instructor = nbformat.read(path, as_version=4)
    student = nbformat.read(student_dir / "notebooks" / path.name, as_version=4)
    found = convention.exercises(instructor)
    assert len(found) >= 3
    by_id = {c.id: c for c in student.cells}
    assert [c.id for c in student.cells] == [c.id for c in instructor.cells if c.id in by_id]
    for exercise in found:
        stub = by_id[exercise.solution_ids[0]]
        assert stub.source.startswith("# Exercise “") and "your code here" in stub.source
        assert not stub.outputs
        for line in exercise.solution_source.splitlines():
            if line.strip() and "= None" not in line:
                assert line not in stub.source, f"{exercise.label}: the stub reveals {line!r}"
        assert by_id[exercise.check_id].source == exercise.check_source, "checks are unchanged"
    # Every code cell that is not an exercise's is intact, outputs included; the
    # Markdown is the instructor's, in plain CommonMark.
    glued, book = commonmark.glued_values(instructor), edition.the_book()
    for cell in instructor.cells:
        if cell.id not in by_id or {"solution", "check"} & convention.tags(cell):
            continue
        if cell.cell_type == "code":
            assert by_id[cell.id] == cell
        else:
            assert by_id[cell.id].source == commonmark.to_commonmark(cell.source, glued, book, path.stem)


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_the_student_edition_is_plain_commonmark(student_dir, path):
    """The edition is read in front ends without MyST: no directive, role or target
    is left in its Markdown; each exercise is a heading with its title and label,
    and its prompt; each glued value is the stored run's."""
    from markdown_it import MarkdownIt

    instructor = nbformat.read(path, as_version=4)
    student = nbformat.read(student_dir / "notebooks" / path.name, as_version=4)
    markdown = [cell.source for cell in student.cells if cell.cell_type == "markdown"]
    for source in markdown:
        assert not commonmark.MYST_LEFTOVERS.search(source), source[:300]
        html = MarkdownIt("commonmark").render(source)
        for raw in (":label:", ":class:", "{exercise}", "{solution", "{glue", "{ref}", "{doc}", ")="):
            assert raw not in html, f"{path.name}: {raw!r} would show in a plain renderer: {source[:200]}"
    by_id = {cell.id: cell for cell in student.cells}
    for exercise, cell in zip(convention.exercises(instructor),
                              [c for c in instructor.cells if convention.is_exercise(c)]):
        shown = by_id[cell.id].source
        assert shown.startswith(f"### Exercise: {exercise.title}\n"), shown[:120]
        assert f"`{exercise.label}`" in shown
        assert by_id[exercise.start_id].source == commonmark.SOLUTION_START
        assert by_id[exercise.end_id].source == commonmark.SOLUTION_END
    for name, value in commonmark.glued_values(instructor).items():
        used = [s for s in (c.source for c in instructor.cells if c.cell_type == "markdown")
                if f"`{name}`" in s]
        if used:
            assert any(value in source for source in markdown), f"{name}: {value!r} not written in"


def test_commonmark_rewrites_each_myst_form():
    book = commonmark.Book(targets={"sec": ("01_x", "A section"), "app": ("appendix_y", "Errata")},
                           titles={"01_x": "Chapter X", "appendix_y": "Appendix Y"}, included={"01_x"})
    glued = {"acc": "0.955"}
    text = ("(sec)=\n## A section\n\nAccuracy {glue:text}`acc`; see {ref}`sec`, {ref}`there <app>`, "
            "{doc}`01_x` and {doc}`Y <appendix_y>`.")
    assert commonmark.to_commonmark(text, glued, book) == (
        "## A section\n\nAccuracy 0.955; see [A section](01_x.ipynb), there (see “Errata” in the "
        "book's “Appendix Y”), [Chapter X](01_x.ipynb) and Y.")
    exercise = "````{exercise} Even squares\n:label: ex-even\n\nBuild `x`:\n```python\nx = 1\n```\n````"
    assert commonmark.to_commonmark(exercise, glued, book) == (
        "### Exercise: Even squares\n\nLabel: `ex-even` (the grader reports this exercise under it)."
        "\n\nBuild `x`:\n```python\nx = 1\n```")
    assert commonmark.to_commonmark("```{solution-start} ex-even\n:class: dropdown\n```", glued, book) \
        == commonmark.SOLUTION_START
    for broken, message in [("{glue:text}`missing`", "no stored value"), ("{ref}`nowhere`", "no section target"),
                            ("{math}`x^2`", "no plain-Markdown form")]:
        with pytest.raises(ValueError, match=message):
            commonmark.to_commonmark(broken, glued, book, "here")


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_exercises_follow_every_other_code_cell(path):
    """The student edition runs inside nbval's execution of each chapter
    (tests/student_edition_plugin.py, the "student edition" item of each
    notebook): that stands in for a run of its own only if nothing but
    exercises follows the first exercise."""
    first_solution, cells = student_edition_plugin.student_section(path)
    assert [role for _, _, role in cells] == ["stub", "check"] * (len(cells) // 2)
    assert first_solution == convention.exercises(nbformat.read(path, as_version=4))[0].solution_ids[0]


def test_a_stray_cell_after_the_exercises_is_refused(tmp_path):
    nb = nbformat.read(NOTEBOOKS / "00_pipeline_basics.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print('after the exercises')"))
    path = tmp_path / "00_pipeline_basics.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="after the first exercise belongs to no exercise"):
        student_edition_plugin.student_section(path)


def test_grader_normalizes_names_as_downloads_make_them():
    for name in ("00_pipeline_basics (1).ipynb", "00_Pipeline_Basics.ipynb", "Copy of 00_pipeline_basics.ipynb",
                 "00_pipeline_basics - Copy.ipynb", "00 pipeline basics.ipynb"):
        assert submissions.normalized(name) == "00_pipeline_basics", name
    assert submissions.normalized("03_csv_files_v2.ipynb") != "03_csv_files"


def test_grader_stops_a_notebook_at_its_time_limit(student_dir, tmp_path):
    instructor = nbformat.read(NOTEBOOKS / CHAPTER, as_version=4)
    student = nbformat.read(student_dir / "notebooks" / CHAPTER, as_version=4)
    path = tmp_path / CHAPTER
    nbformat.write(put_back(student, instructor), path)
    # The instructor's own solutions, trusted: sandboxed where the sandbox starts.
    setting = grade.Setting.create(use_sandbox=sandbox.available()[0])
    try:
        results = grade.grade_file("slow", path, grade.Limits(cell_s=60, notebook_s=1), setting)
    finally:
        setting.close()
    assert [r.score for r in results] == [0, 0, 0, 0]
    assert all(r.reason.startswith("time limit: the notebook ran longer than 1 s") for r in results)


def test_every_exercise_keeps_its_wrong_answers():
    """Each exercise's check is tested against its stub and at least two plausible
    wrong answers (tests/exercise_mutants/<label>.py), inside nbval's run of the
    chapter (the "wrong answers: <label>" items after its last cell). A new exercise
    without them fails here; a fixture for an exercise that no longer exists too."""
    labels = [e.label for path in chapter_notebooks()
              for e in convention.exercises(nbformat.read(path, as_version=4))]
    for label in labels:
        wrong = student_edition_plugin.mutants(label)
        assert len(wrong) >= 2, f"{label}: keep at least two wrong answers in tests/exercise_mutants/{label}.py"
        assert all(answer.strip() for answer in wrong.values()), f"{label}: an empty wrong answer"
    kept = sorted(p.stem for p in student_edition_plugin.MUTANTS.glob("*.py"))
    assert kept == sorted(labels), f"fixtures without an exercise: {sorted(set(kept) - set(labels))}"


def test_kept_answers_with_one_name_are_refused(tmp_path, monkeypatch):
    """Two kept answers under one name would leave one of them untried (a mapping
    keeps the last): the loader refuses the file, naming the name."""
    (tmp_path / "ex-x.py").write_text("# --- mistake: a\nx = 1\n# --- mistake: a\nx = 2\n"
                                      "# --- right: b\nx = 3\n", encoding="utf-8")
    monkeypatch.setattr(student_edition_plugin, "MUTANTS", tmp_path)
    with pytest.raises(ValueError, match=r"ex-x.py: two kept answers share a name: \['a'\]"):
        student_edition_plugin.mutants("ex-x")
    (tmp_path / "ex-x.py").write_text("# --- mistake: a\nx = 1\n# --- mistake: c\nx = 2\n"
                                      "# --- right: b\nx = 3\n", encoding="utf-8")
    assert student_edition_plugin.mutants("ex-x") == {"a": "x = 1", "c": "x = 2"}
    assert student_edition_plugin.mutants("ex-x", "right") == {"b": "x = 3"}
