"""The PDF edition (book/pdf_edition.py), printed from the site the suite builds and
read back with poppler's tools, the way a reader would find it wrong: a chapter
missing or out of order, a figure lost, a code line cut at the margin."""
import html as html_module
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, toc_files

sys.path.insert(0, str(ROOT / "book"))
import pdf_edition  # noqa: E402

HIDDEN = {"remove-cell", "remove-output", "remove-input", "hide-input"}


def poppler(tool, *args):
    if shutil.which(tool) is None:
        message = f"{tool} not found: install Debian's poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdf(built_site, tmp_path_factory):
    html, _ = built_site
    if pdf_edition.find_chromium() is None:
        pytest.skip("no Chromium: install Debian's chromium")
    return pdf_edition.build(html, tmp_path_factory.mktemp("pdf") / pdf_edition.PDF_NAME)


@pytest.fixture(scope="module")
def text(pdf):
    return poppler("pdftotext", "-enc", "UTF-8", pdf, "-")


def notebooks():
    return [ROOT / f"{name}.ipynb" for name in toc_files() if (ROOT / f"{name}.ipynb").is_file()]


def shown_code_cells():
    for path in notebooks():
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code" and not HIDDEN & set(cell["metadata"].get("tags", [])):
                yield path.stem, "".join(cell["source"])


def squeeze(value):
    return re.sub(r"\s+", "", value)


def page_title(html, name):
    """A page's title as the site shows it (its h1)."""
    page = (html / f"{name}.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", "", heading))).replace("#", "").strip()


def test_every_chapter_title_in_reading_order(built_site, text):
    html, _ = built_site
    flat = re.sub(r"\s+", " ", text)
    position = flat.index("Solutions to the exercises")      # the last entry of the contents
    for name in toc_files():
        title = page_title(html, name)
        found = flat.find(title, position)
        assert found > position, f"{title!r} ({name}) is missing, or out of _toc.yml's order"
        position = found
    assert flat.find("Solutions to the exercises", position) > position, "no appendix of solutions"


def test_every_figure_is_printed(pdf):
    """One picture in the PDF for each distinct figure of the notebooks (Chromium
    embeds a picture shown twice once), and no other picture."""
    figures = set()
    for path in notebooks():
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            tags = set(cell["metadata"].get("tags", []))
            if cell["cell_type"] != "code" or tags & {"remove-cell", "remove-output"}:
                continue
            figures |= {"".join(output["data"]["image/png"]) for output in cell.get("outputs", [])
                        if "image/png" in output.get("data", {})}
    listing = poppler("pdfimages", "-list", pdf).splitlines()[2:]
    objects = {row.split()[10] for row in listing if row.split()[2] == "image"}
    assert len(figures) >= 10, "the notebooks should hold the book's figures"
    assert len(objects) == len(figures), (
        f"{len(objects)} pictures in the PDF, {len(figures)} distinct figures in the notebooks")


def test_long_code_lines_are_wrapped_not_cut(text):
    lines = sorted({line for _, source in shown_code_cells() for line in source.splitlines()},
                   key=len, reverse=True)[:8]
    assert len(lines[-1]) > 70
    printed = squeeze(text)
    for line in lines:
        assert squeeze(line) in printed, f"cut or missing in the PDF: {line}"


def test_page_count(pdf):
    info = poppler("pdfinfo", pdf)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    # A title page, the contents, a new sheet per page of the site, and the solutions.
    assert pages > len(toc_files()) + 3, pages
