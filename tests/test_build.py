"""The site builds from the stored outputs with no warnings (-n -W), and every
entry of _toc.yml becomes a page."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files.extend(section["file"] for section in chapter.get("sections", []))
    return files


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(out),
         "-W", "-n", "--keep-going"],
        capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"jupyter-book build failed:\n{log[-4000:]}"
    return out / "_build" / "html", log


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


def test_exercise_solutions_are_collapsed(built_site):
    html, _ = built_site
    for name in toc_files():
        if not name.startswith("notebooks/"):
            continue
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        exercises = page.count('class="exercise admonition"')
        solutions = page.count('class="solution dropdown admonition"')
        assert exercises >= 3 and solutions == exercises, (name, exercises, solutions)
