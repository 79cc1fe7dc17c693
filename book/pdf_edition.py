"""The PDF edition: every page of the built site, in _toc.yml's order, printed to
one PDF by the machine's own Chromium (Playwright drives it; nothing is downloaded).

    python book/pdf_edition.py --html _build/html --out _build/pdf/feeding-keras-with-tf-data.pdf

It assembles one HTML document from the site's pages: a title page, a table of
contents, each page's article (starting on a new sheet, its ids and links made
unique), and an appendix holding the exercises' solutions. On the site a solution
is collapsed under its exercise; on paper it moves to the appendix, so a reader
can try the exercise before turning to it, and each links to the other. Cells
whose code the site collapses (a claim's assertions) print their output without
the code. Chromium then prints it: A4, page numbers in the footer, the table of
contents as PDF bookmarks too, code that wraps at the margin instead of being cut.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
PDF_NAME = "feeding-keras-with-tf-data.pdf"
STYLESHEETS = ["styles/theme.css", "styles/pydata-sphinx-theme.css", "pygments.css",
               "styles/sphinx-book-theme.css", "mystnb.css", "exercise.css", "book.css"]

PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html, body { background: #fff; }
/* Paper has no shadows: Chromium would print each one as a picture of its own. */
*, *::before, *::after { box-shadow: none !important; text-shadow: none !important;
                         filter: none !important; }
.bd-article .admonition, .bd-article div.admonition, .bd-article .topic {
  box-shadow: none !important; }
body { font-size: 10pt; line-height: 1.45; margin: 0; }
.pdf-page { break-before: page; }
.pdf-title { text-align: center; padding-top: 70mm; }
.pdf-title h1 { font-size: 26pt; margin-bottom: 6mm; }
.pdf-toc ol { list-style: none; padding-left: 0; }
.pdf-toc li { margin: 1mm 0; }
.pdf-toc .pdf-part { font-weight: bold; margin-top: 5mm; }
h1, h2, h3, h4, .admonition-title { break-after: avoid; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible;
      font-size: 8pt; line-height: 1.3; }
img { max-width: 100%; height: auto; break-inside: avoid; }
.cell_output img { display: block; }
a { color: inherit; text-decoration: none; }
.admonition { break-inside: avoid-page; }
.pdf-solution-link { font-style: italic; }
"""

FOOTER = ('<div style="font-size:8pt;width:100%;text-align:center;color:#555;">'
          '<span class="pageNumber"></span></div>')


def find_chromium() -> str | None:
    """The machine's Chromium: $CHROMIUM, or Debian's `chromium` on the PATH."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def reading_order(root: Path = ROOT) -> list[tuple[str | None, list[str]]]:
    """_toc.yml as (part caption, [page names]); the root page has no caption."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    parts = [(None, [toc["root"]])]
    for part in toc.get("parts", []):
        pages = []
        for chapter in part.get("chapters", []):
            pages.append(chapter["file"])
            pages.extend(section["file"] for section in chapter.get("sections", []))
        parts.append((part.get("caption"), pages))
    return parts


def page_anchor(name: str) -> str:
    return "page-" + name.replace("/", "-")


class Assembler:
    """Turns the site's pages into one document (`document()`), keeping every
    link between them working inside it."""

    def __init__(self, html: Path, out_dir: Path):
        self.html, self.out_dir = html, out_dir
        self.parts = reading_order()
        self.pages = [name for _, names in self.parts for name in names]
        self.solutions: list[tuple[str, object]] = []
        self.titles = self._numbered_titles()

    def _numbered_titles(self) -> dict[str, str]:
        """Each page's title as the site's navigation shows it (with its number)."""
        soup = self._read(self.pages[0])
        titles = {}
        for link in soup.select("nav.bd-docs-nav a.reference.internal"):
            target = urlsplit(urljoin(f"/{self.pages[0]}.html", link["href"])).path
            titles[target.lstrip("/").removesuffix(".html")] = link.get_text(" ", strip=True)
        for name in self.pages:
            if name not in titles:
                titles[name] = self._read(name).select_one("article h1").get_text(" ", strip=True)
        return titles

    def _read(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.html / f"{name}.html").read_text(encoding="utf-8"), "html.parser")

    def _local(self, name: str, url: str) -> tuple[str, str] | None:
        """(page or file path from the site's root, fragment) of a relative URL."""
        if urlsplit(url).scheme or url.startswith("//"):
            return None
        target = urlsplit(urljoin(f"/{name}.html", url))
        return target.path.lstrip("/"), target.fragment

    def _article(self, name: str):
        soup = self._read(name)
        article = soup.select_one("article.bd-article")
        for junk in article.select("a.headerlink, button, script, .copybtn, details.above-input"):
            junk.decompose()
        prefix = page_anchor(name) + "--"
        for element in article.select("[id]"):
            element["id"] = prefix + element["id"]
        for image in article.select("img[src]"):
            path, _ = self._local(name, image["src"])
            image["src"] = os.path.relpath(self.html / path, self.out_dir)
        for link in article.select("a[href]"):
            local = self._local(name, link["href"])
            if local is None:
                continue
            path, fragment = local
            page = path.removesuffix(".html")
            if page in self.pages:
                anchor = page_anchor(page)
                link["href"] = f"#{anchor}--{fragment}" if fragment else f"#{anchor}"
            else:
                link.unwrap()          # a download or a source file: no target on paper
        for solution in article.select("div.solution"):
            reference = soup.new_tag("p", attrs={"class": "pdf-solution-link"})
            title = solution.select_one(".admonition-title").get_text(" ", strip=True)
            link = soup.new_tag("a", href=f"#{solution['id']}")
            link.string = f"{title}: in the appendix of solutions"
            reference.append(link)
            solution.replace_with(reference)
            self.solutions.append((name, solution))
        article.name = "section"
        article["class"] = ["bd-article", "pdf-page"]
        article["id"] = page_anchor(name)
        return article

    def _contents(self) -> str:
        items = []
        for caption, names in self.parts:
            if caption:
                items.append(f'<li class="pdf-part">{caption}</li>')
            items += [f'<li><a href="#{page_anchor(n)}">{self.titles[n]}</a></li>' for n in names]
        items.append('<li class="pdf-part"><a href="#pdf-solutions">Solutions to the exercises</a></li>')
        return '<section class="pdf-page pdf-toc"><h1>Contents</h1><ol>' + "".join(items) + "</ol></section>"

    def document(self, title: str, author: str) -> str:
        articles = "".join(str(self._article(name)) for name in self.pages)
        solutions = ['<section class="pdf-page bd-article" id="pdf-solutions">',
                     "<h1>Solutions to the exercises</h1>"]
        chapter = None
        for name, solution in self.solutions:
            if name != chapter:
                solutions.append(f"<h2>{self.titles[name]}</h2>")
                chapter = name
            solutions.append(str(solution))
        solutions.append("</section>")
        static = self.html / "_static"
        links = "".join(f'<link rel="stylesheet" href="{os.path.relpath(static / sheet, self.out_dir)}">'
                        for sheet in self._stylesheets())
        return ("<!DOCTYPE html>\n"
                f'<html lang="en" data-theme="light" data-mode="light"><head><meta charset="utf-8">'
                f"<title>{title}</title>{links}<style>{PRINT_CSS}</style></head><body>"
                f'<section class="pdf-title"><h1>{title}</h1><p>{author}</p></section>'
                f"{self._contents()}{articles}{''.join(solutions)}</body></html>")

    def _stylesheets(self) -> list[str]:
        """The site's own stylesheets (their built names carry a digest)."""
        static = self.html / "_static"
        found = []
        for sheet in STYLESHEETS:
            stem, suffix = os.path.splitext(sheet)
            matches = sorted(static.glob(f"{stem}*{suffix}"))
            if matches:
                found.append(str(matches[0].relative_to(static)))
        return found


def print_pdf(document: Path, pdf: Path) -> None:
    """Chromium prints `document` to `pdf`; any request that would leave the
    machine is refused (the edition must build offline)."""
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        raise SystemExit("no Chromium found: install Debian's package (apt-get install chromium) "
                         "or set CHROMIUM=/path/to/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(color_scheme="light")
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.goto(document.resolve().as_uri(), wait_until="load")
            page.pdf(path=str(pdf), format="A4", print_background=True, outline=True, tagged=True,
                     display_header_footer=True, header_template="<span></span>",
                     footer_template=FOOTER, prefer_css_page_size=True)
        finally:
            browser.close()


def build(html: Path, pdf: Path) -> Path:
    """The PDF edition of the site in `html`, written to `pdf`; returns its path."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    pdf.parent.mkdir(parents=True, exist_ok=True)
    document = pdf.with_suffix(".html")
    document.write_text(Assembler(html, pdf.parent).document(config["title"], config["author"]),
                        encoding="utf-8")
    print_pdf(document, pdf)
    return pdf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / PDF_NAME)
    parser.add_argument("--copy-to-site", action="store_true",
                        help="also copy the PDF into the site, where its download menu links it")
    parser.add_argument("--skip-without-chromium", action="store_true",
                        help="without a Chromium, say so and succeed (make book)")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        print(f"error: no site in {args.html}; run: make book", file=sys.stderr)
        return 2
    if args.skip_without_chromium and find_chromium() is None:
        print("No Chromium here, so the PDF edition was not printed: install Debian's "
              "chromium package, then run make pdf.")
        return 0
    build(args.html, args.out)
    if args.copy_to_site:
        shutil.copy2(args.out, args.html / PDF_NAME)
    print(f"The PDF edition is {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
