"""The site builds from the stored outputs with no warnings (-n -W), and every
entry of _toc.yml becomes a page."""
import re
from pathlib import Path

from conftest import toc_files


def test_build_has_no_warnings(built_site):
    _, log = built_site
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
    assert not warnings, "\n".join(warnings[:20])
    assert "build succeeded" in log


def test_every_toc_entry_is_a_page(built_site):
    html, _ = built_site
    for name in toc_files():
        page = html / f"{Path(name).with_suffix('')}.html"
        assert page.is_file(), f"{name} from _toc.yml was not built ({page.name} missing)"


def test_pages_have_no_unrendered_markup(built_site):
    """Directives and glue references that did not render would show as text."""
    html, _ = built_site
    for name in toc_files():
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        for leftover in ("```{", "{glue:", "{doc}`", "{solution-start}", "{exercise}"):
            assert leftover not in page, f"{name}.html shows raw markup {leftover!r}"


def test_glued_values_read_as_text(built_site):
    """A number glued into a sentence reads as the number, not as a quoted Python
    string ({glue:text}, not {glue:}, which pastes the value's repr, quotes included)."""
    html, _ = built_site
    for name in toc_files():
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        pasted = re.findall(r'<span class="(?:output text_plain|pasted-text)">(.*?)</span>', page)
        quoted = [text for text in pasted if re.match(r"^\s*(&#39;|&quot;|['\"‘“])", text)]
        assert not quoted, f"{name}.html pastes quoted values: {quoted[:5]}"


def test_exercise_solutions_are_collapsed(built_site):
    html, _ = built_site
    for name in toc_files():
        if not re.match(r"notebooks/\d\d_", name):       # chapters; appendices have no exercises
            continue
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        exercises = page.count('class="exercise admonition"')
        solutions = page.count('class="solution dropdown admonition"')
        assert exercises >= 3 and solutions == exercises, (name, exercises, solutions)


def test_every_page_downloads_as_ipynb_and_md(built_site):
    html, _ = built_site
    for name in toc_files():
        for suffix in (".ipynb", ".md"):
            source = html / "_sources" / f"{name}{suffix}"
            assert source.is_file() and source.stat().st_size > 0, f"{name}{suffix} is not offered"
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        for suffix in (".ipynb", ".md"):
            assert f"{Path(name).name}{suffix}" in page, f"{name}.html has no {suffix} download link"


def test_no_page_loads_math_or_fonts_from_a_cdn(built_site):
    """Reading must work offline: no script, style sheet or font from another host."""
    html, _ = built_site
    for name in toc_files():
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', page)
        assert not external, f"{name}.html loads {external}"


def test_teaching_page_links_the_student_edition(built_site):
    import zipfile

    html, _ = built_site
    archive = html / "student-edition.zip"
    assert archive.is_file(), "the site does not offer the student edition"
    with zipfile.ZipFile(archive) as z:
        assert any(n.endswith("notebooks/00_pipeline_basics.ipynb") for n in z.namelist())
    page = (html / "book" / "teaching.html").read_text(encoding="utf-8")
    assert 'href="../student-edition.zip"' in page


def test_make_lab_as_root_explains_itself_and_how_to_proceed():
    """Jupyter refuses to run as root; `make lab` says why and how to proceed
    (ALLOW_ROOT=1, inside a container) instead of stopping on Jupyter's log line."""
    import subprocess

    from conftest import ROOT

    refused = subprocess.run(["make", "--no-print-directory", "lab", "USER_ID=0"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "refuses to run as root" in refused.stdout and "make lab ALLOW_ROOT=1" in refused.stdout
    assert "jupyter lab" not in refused.stdout
    commands = {who: subprocess.run(["make", "--no-print-directory", "-n", "lab", *settings], cwd=ROOT,
                                    capture_output=True, text=True, timeout=120, check=True).stdout
                for who, settings in {"root, allowed": ["USER_ID=0", "ALLOW_ROOT=1"],
                                      "a user": ["USER_ID=1000"]}.items()}
    assert "--allow-root" in commands["root, allowed"].splitlines()[-1]
    assert "--allow-root" not in commands["a user"] and "--ServerApp.ip=127.0.0.1" in commands["a user"]


def test_the_teaching_pages_table_of_chapters_is_generated_and_current():
    """The run times a reader sees come from the run that made the outputs
    (classroom/run_chapters.py, which `make notebooks` runs), and the titles and
    exercises from the notebooks as they are now."""
    import json

    import run_chapters
    from conftest import ROOT

    times = json.loads(run_chapters.TIMES.read_text())
    assert {p.stem for p in run_chapters.chapters()} <= set(times), "a chapter has no recorded run time"
    assert run_chapters.TABLE.read_text() == run_chapters.table(times), \
        "book/_generated/chapters.md is stale: python classroom/run_chapters.py --table-only"
    assert "{include} _generated/chapters.md" in (ROOT / "book" / "teaching.md").read_text()
