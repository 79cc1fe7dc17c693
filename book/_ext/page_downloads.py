"""Offer every page of the book for download as both .ipynb and .md, and the
whole book as a PDF.

The book theme's download menu offers a page's own source (.ipynb for a chapter,
.md for a prose page). This extension writes the other format next to it in
_build/html/_sources with jupytext (a chapter as a MyST Markdown notebook, a prose
page as a notebook of Markdown cells) and adds it to the menu, with the PDF
edition, which `make book` prints into the site's root (book/pdf_edition.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import jupytext

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pdf_edition import PDF_NAME  # noqa: E402

OTHER = {".ipynb": ".md", ".md": ".ipynb"}
FORMATS = {".md": "md:myst", ".ipynb": "ipynb"}


def _other_source(app, docname: str) -> tuple[Path, str] | None:
    source = Path(app.env.doc2path(docname))
    target_suffix = OTHER.get(source.suffix)
    if target_suffix is None:
        return None
    return source, target_suffix


def add_download(app, pagename, templatename, context, doctree):
    if doctree is None or pagename not in app.env.found_docs:
        return
    found = _other_source(app, pagename)
    if not found:
        return
    source, suffix = found
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        url = f"{context['pathto']('_sources', 1)}/{pagename}{suffix}"
        if any(button.get("url") == url for button in group["buttons"]):
            return
        group["buttons"].append({
            "type": "link", "url": context["pathto"](PDF_NAME, 1), "text": "book (.pdf)",
            "tooltip": "Download the whole book as a PDF", "icon": "fas fa-file-pdf",
            "label": "download-book-pdf-button",
        })
        group["buttons"].insert(1, {
            "type": "link", "url": url, "text": suffix,
            "tooltip": f"Download this page as {suffix}",
            "icon": "fas fa-file-code" if suffix == ".md" else "fas fa-code",
            "label": f"download-{suffix[1:]}-button",
        })


def write_other_formats(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for docname in sorted(app.env.found_docs):
        found = _other_source(app, docname)
        if not found:
            continue
        source, suffix = found
        notebook = jupytext.read(source)
        if source.suffix == ".ipynb":
            # A Markdown copy carries the code and the prose, not the outputs.
            for cell in notebook.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
        target = Path(app.outdir) / "_sources" / f"{docname}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(notebook, target, fmt=FORMATS[suffix])


def setup(app):
    app.connect("html-page-context", add_download, priority=600)
    app.connect("build-finished", write_other_formats)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
