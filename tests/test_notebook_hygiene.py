"""Notebook hygiene: what every stored notebook must be, checked without a kernel.

nbval (run by `make test` over notebooks/) checks that the outputs are what the code
produces; these tests check that the stored notebooks are complete, executed in
order, free of machine-specific text, and follow the book's exercise convention.
"""
import getpass
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import convention
from commonmark import glued_values
from conftest import ROOT, book_notebooks, chapter_notebooks

NOTEBOOKS = book_notebooks()
MAX_BYTES = 2_000_000
NAME = re.compile(r"^(\d\d|appendix)_[a-z0-9_]+\.ipynb$")
ABSOLUTE_PATH = re.compile(r"(/(home|root|tmp|Users|work|var/folders|private)/|[A-Z]:\\\\)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def output_text(output):
    if output["output_type"] == "stream":
        return "".join(output["text"])
    if output["output_type"] == "error":
        return output["ename"] + ": " + output["evalue"] + "\n" + "\n".join(output["traceback"])
    data = output.get("data", {})
    return "".join("".join(v) if isinstance(v, list) else str(v)
                   for k, v in data.items() if k.startswith("text/"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks in notebooks/"


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    return request.param, load(request.param)


def test_name_and_place_in_toc(notebook):
    path, _ = notebook
    assert NAME.match(path.name), (
        f"{path.name}: chapters are named NN_topic.ipynb, appendices appendix_topic.ipynb")
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert f"file: notebooks/{path.stem}\n" in toc, f"{path.name} is not in _toc.yml"


SERVER_SCRIPTS = ("tfdata_server.py", "mwms_worker.py")   # they listen on every address


def test_kernelspec_keeps_servers_off_the_network(notebook):
    """A notebook that starts a server runs in "Python 3 (loopback only)"
    (notebooks/bookutils/loopback_kernel.py), and checks it in its setup; every
    other notebook runs in the usual python3 kernel."""
    path, nb = notebook
    sources = ["".join(c["source"]) for c in code_cells(nb)]
    starts_servers = any(script in source for source in sources for script in SERVER_SCRIPTS)
    name = nb["metadata"]["kernelspec"]["name"]
    if starts_servers:
        assert name == "book-loopback", f"{path.name} starts servers: it needs the loopback-only kernel"
        first_start = next(i for i, s in enumerate(sources) if any(x in s for x in SERVER_SCRIPTS))
        assert any("bookutils.require_loopback_only()" in s for s in sources[:first_start]), \
            f"{path.name}: check the kernel's network before the first server starts"
    else:
        assert name == "python3", path.name


def test_executed_in_order_from_one(notebook):
    path, nb = notebook
    counts = [c["execution_count"] for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: cells not executed once, in order, from 1 (run `make notebooks`)")


def test_outputs_present(notebook):
    path, nb = notebook
    assert sum(len(c["outputs"]) for c in code_cells(nb)) > 0, f"{path.name} has no outputs"


def test_no_machine_specific_text_in_outputs(notebook):
    path, nb = notebook
    user = getpass.getuser()
    for i, cell in enumerate(code_cells(nb), 1):
        for out in cell["outputs"]:
            text = ANSI.sub("", output_text(out))
            match = ABSOLUTE_PATH.search(text)
            assert not match, f"{path.name} cell {i}: absolute path in output: {match.group(0)!r}"
            assert str(ROOT) not in text, f"{path.name} cell {i}: repository path in output"
            if user not in {"root", "jovyan", "runner"} and len(user) > 3:
                assert user not in text, f"{path.name} cell {i}: user name in output"


def test_no_stderr_unless_tagged(notebook):
    path, nb = notebook
    for i, cell in enumerate(code_cells(nb), 1):
        if "allow-stderr" in tags(cell):
            continue
        for out in cell["outputs"]:
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), (
                f"{path.name} cell {i} wrote to stderr:\n{''.join(out['text'])[:500]}")


def test_errors_only_where_tagged(notebook):
    path, nb = notebook
    for i, cell in enumerate(code_cells(nb), 1):
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        if "raises-exception" in tags(cell):
            assert errors, f"{path.name} cell {i} is tagged raises-exception but raised nothing"
        else:
            assert not errors, f"{path.name} cell {i} raised {errors[0]['ename']}"


def test_every_figure_has_alt_text(notebook):
    """A cell that outputs a picture carries its alt text in its metadata
    (``mystnb: image: alt:``), which the site gives the image; the browser test
    checks the rendered page, this the source, before the site is built."""
    path, nb = notebook
    for index, cell in enumerate(code_cells(nb)):
        if any("image/png" in output.get("data", {}) for output in cell.get("outputs", [])):
            alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 20, f"{path.name} code cell {index}: a figure without alt text (mystnb.image.alt)"


GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
NUMPY_REPR = re.compile(r"\bnp\.\w+\(|\barray\(")


def parentheses_open_before(paragraph: str, position: int) -> int:
    depth = 0
    for char in paragraph[:position]:
        depth += {"(": 1, ")": -1}.get(char, 0)
    return depth


def test_glued_values_read_in_any_front_end(notebook):
    """Every glued value stands in parentheses after words that say what it is.

    The site writes in the value; JupyterLab (jupyterlab-myst has no glue) shows
    the glued name instead, and a sentence must read with either, or with the
    parenthesis left out: "most digits correctly (test accuracy 0.955)" reads,
    "an accuracy of basics_test_accuracy" does not."""
    path, nb = notebook
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for paragraph in "".join(cell["source"]).split("\n\n"):
            for role in GLUE_ROLE.finditer(paragraph):
                assert parentheses_open_before(paragraph, role.start()) > 0, (
                    f"{path.name} cell {cell.get('id')}: {role.group(0)} is not in "
                    "parentheses, so the sentence does not read where glue is not rendered")


def test_glued_values_are_plain_text(notebook):
    """A glued value is what the reader should see: 1.5, not np.float64(1.5)."""
    path, nb = notebook
    for name, text in glued_values(nb).items():
        assert text and not NUMPY_REPR.search(text), (
            f"{path.name}: glue({name!r}) shows as {text!r}; glue a formatted string")


def test_size_cap(notebook):
    path, _ = notebook
    size = path.stat().st_size
    assert size <= MAX_BYTES, f"{path.name} is {size:,} bytes (cap {MAX_BYTES:,}): smaller figures?"


MAX_CELL_LINES = 40


def test_no_code_cell_is_longer_than_a_lesson(notebook):
    """The lesson comes before the scaffolding: a measuring harness lives in the
    chapter's module (shown with bookutils.show_source), and a claim's assertions
    sit in their own cell; no code cell runs over 40 lines."""
    path, nb = notebook
    long = {cell.get("id"): len("".join(cell["source"]).splitlines()) for cell in code_cells(nb)
            if len("".join(cell["source"]).splitlines()) > MAX_CELL_LINES}
    assert not long, f"{path.name}: code cells over {MAX_CELL_LINES} lines: {long}"


# The code blocks of the site show 88 characters at a 1280-px-wide window
# (book/_static/book.css; tests/test_site_browser.py checks that no block scrolls):
# the code, and the modules the chapters show with bookutils.show_source, fit in it.
MAX_LINE = 88


FENCED_CODE = re.compile(r"^```(?!`)[^\n]*\n(.*?)^```(?!`)\s*$", re.M | re.S)


def test_code_lines_fit_the_page(notebook):
    """Code cells, and code blocks in the prose (an exercise's pipeline)."""
    path, nb = notebook
    blocks = [(cell.get("id"), "".join(cell["source"])) for cell in code_cells(nb)]
    blocks += [(cell.get("id"), match.group(1)) for cell in nb["cells"]
               if cell["cell_type"] == "markdown"
               for match in FENCED_CODE.finditer("".join(cell["source"]))]
    long = [(cell_id, line) for cell_id, code in blocks
            for line in code.splitlines() if len(line) > MAX_LINE]
    assert not long, f"{path.name}: code lines over {MAX_LINE} characters: {long[:5]}"


def test_module_lines_fit_the_page():
    modules = sorted((ROOT / "notebooks").rglob("*.py"))
    assert len(modules) > 10
    long = [f"{path.relative_to(ROOT)}:{number}" for path in modules
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if len(line) > MAX_LINE]
    assert not long, f"lines over {MAX_LINE} characters (the chapters show these modules): {long}"


def test_setup_cell_quiets_tensorflow(notebook):
    path, nb = notebook
    first = "".join(code_cells(nb)[0]["source"])
    for line in ('os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"',
                 'os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"',
                 "keras.utils.set_random_seed("):
        assert line in first, f"{path.name}: the setup cell lacks {line}"
    assert first.index("TF_CPP_MIN_LOG_LEVEL") < first.index("import tensorflow"), (
        f"{path.name}: set the environment before importing TensorFlow")


def test_there_are_appendices_and_chapters():
    assert set(chapter_notebooks()) < set(NOTEBOOKS)


@pytest.mark.parametrize("path", sorted(set(NOTEBOOKS) - set(chapter_notebooks())), ids=lambda p: p.name)
def test_appendix_structure(path):
    """An appendix: title first, a Setup section and a Summary; no exercises."""
    cells = load(path)["cells"]
    text = "".join(cells[0]["source"])
    assert cells[0]["cell_type"] == "markdown" and text.startswith("# "), path.name
    headings = [line for c in cells if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines() if line.startswith("## ")]
    assert "## Setup" in headings and "## Summary" in headings, path.name


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_structure_and_exercise_convention(path):
    """Title first, a Setup section, a Summary, then at least three exercises that
    follow the exercise convention, read by the same parser as the student edition
    and the grader (classroom/convention.py)."""
    nb = load(path)
    cells = nb["cells"]
    text = lambda c: "".join(c["source"])  # noqa: E731
    assert cells[0]["cell_type"] == "markdown" and text(cells[0]).startswith("# "), (
        f"{path.name}: the first cell is the chapter title")
    headings = [line for c in cells if c["cell_type"] == "markdown"
                for line in text(c).splitlines() if line.startswith("## ")]
    assert "## Setup" in headings and "## Summary" in headings and "## Exercises" in headings
    try:
        found = convention.exercises(nb)
    except convention.ConventionError as err:
        pytest.fail(f"{path.name}: {err}")
    assert len(found) >= 3, f"{path.name}: {len(found)} exercises, at least 3 expected"


NEEDS_FREE_CORES = ("cpu_capacity(", "tfdata_bench", "timing_pipelines")


def test_what_needs_free_cores_says_so():
    """`make test` runs what is marked needs_free_cores alone, first. The
    other notebooks run beside other tests (two at a time): their timing claims
    compare pipelines timed interleaved in the same run, or measure the CPU time the
    work got, which hold on a busy machine. A notebook whose claims need free cores
    (it measures bookutils.cpu_capacity, or runs the timing chapter's pipelines or
    its benchmark) must say so in its metadata (book.needs_free_cores)."""
    from conftest import needs_free_cores
    marked = [path.name for path in book_notebooks() if needs_free_cores(path)]
    assert marked == ["04_timing_prefetch.ipynb"], marked
    for path in book_notebooks():
        if needs_free_cores(path):
            continue
        for cell in code_cells(load(path)):
            source = "".join(cell["source"])
            found = [call for call in NEEDS_FREE_CORES if call in source]
            assert not found, f"{path.name} uses {found}: mark it needs_free_cores (metadata book.needs_free_cores)"


def test_the_two_phases_split_by_the_marker():
    """What pytest selects with -m needs_free_cores (the phase of make test that runs
    alone; the other takes the rest with -m "not needs_free_cores"): the timing
    chapter's every item (its cells, student edition, wrong answers) and the
    benchmarks' tests, nothing else; the notebook last, so that its wrong answers,
    which may run beside the other phase, end the list."""
    run = subprocess.run([sys.executable, "-m", "pytest", "notebooks", "tests", "--nbval", "--collect-only",
                          "-q", "-p", "no:cacheprovider", "-m", "needs_free_cores"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    items = [line for line in run.stdout.splitlines() if "::" in line]
    alone = {item.split("::")[0] for item in items}
    assert alone == {"notebooks/04_timing_prefetch.ipynb", "tests/test_benchmarks.py"}, alone
    assert any("wrong answers" in item for item in items) and any("student edition" in item for item in items)
    first_answer = next(i for i, item in enumerate(items) if "wrong answers" in item)
    assert all("wrong answers" in item for item in items[first_answer:]), items[first_answer:]
    assert items[0].startswith("tests/test_benchmarks.py"), items[:3]

def test_the_alone_phase_signals_when_only_wrong_answers_are_left(tmp_path):
    """`make test` starts the other phase when the file appears: before the first item
    after which only wrong answers (MutantItem) are left, not sooner."""
    import types
    from conftest import FreeCoresDone
    from student_edition_plugin import MutantItem

    session = types.SimpleNamespace()
    cells = [types.SimpleNamespace(session=session) for _ in range(2)]
    answers = [MutantItem.__new__(MutantItem) for _ in range(2)]
    for answer in answers:
        answer.session = session         # a slot, set as pytest's Node does
    session.items = [*cells, *answers]
    done = tmp_path / "free-cores-done"
    plugin = FreeCoresDone(str(done))
    for item in session.items:
        plugin.pytest_runtest_setup(item)
        assert done.exists() == (item is not cells[0] and item is not cells[1]), item
