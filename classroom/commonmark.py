"""The student edition's Markdown, in plain CommonMark.

The book's notebooks are written in MyST (the site renders it): the exercises and
their solutions are directives, cross-references are ``{ref}`` and ``{doc}``
roles, measured values are glued into the prose with ``{glue:text}``, and section
targets are ``(label)=`` lines. A front end without MyST (JupyterLab without
jupyterlab-myst, VS Code, Colab, the classic Notebook, Gradescope's view) shows all
of that as raw text, and drops the exercise's title, which lives on the
directive's line. The student edition is read in those front ends, so its
Markdown is rewritten here into what any CommonMark renderer shows well:

- an exercise becomes a heading with its title, a line with its label (the name
  the grader reports it under), and its prompt as text;
- the solution's start and end markers become two short lines around the answer;
- ``{glue:text}`name``` becomes the value the stored run glued;
- ``{doc}`` and ``{ref}`` become links to the chapter's notebook (and, for a
  section, its title), or plain text where the target is not in the edition;
- ``(label)=`` target lines are removed.

Anything else MyST-only that a chapter may start to use fails the student
edition's test (tests/test_classroom.py), so that it is handled here, not shown
raw to a student.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

EXERCISE_CELL = re.compile(r"^(?P<fence>`{3,}|:{3,})\{exercise\}[ \t]*(?P<title>[^\n]*)\n(?P<body>.*?)\n(?P=fence)[ \t]*$",
                           re.S)
OPTION = re.compile(r"^:(?P<key>[a-z-]+):[ \t]*(?P<value>.*)$")
TARGET = re.compile(r"^\((?P<label>[A-Za-z0-9_-]+)\)=[ \t]*\n?", re.M)
ROLE = re.compile(r"\{(?P<role>[a-z:-]+)\}`(?P<content>[^`]*)`")
TITLE_AND_TARGET = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
HEADING = re.compile(r"^#{1,6}[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$", re.M)
# What is left of MyST once a cell is rewritten: the test asserts none of it remains.
MYST_LEFTOVERS = re.compile(r"\{[a-z:-]+\}`|^[`:]{3,}\{|^:[a-z-]+:|^\([A-Za-z0-9_-]+\)=", re.M)

SOLUTION_START = "**Your answer** goes in the code cell below (replace the stub)."
SOLUTION_END = "**Check it**: run the cell below. It says *correct*, or what is not right yet."


@dataclass
class Book:
    """What a rewrite needs to know about the whole book: each section target's
    notebook and title, and which notebooks the student edition holds."""

    targets: dict[str, tuple[str, str]] = field(default_factory=dict)   # label: (stem, section title)
    titles: dict[str, str] = field(default_factory=dict)                # stem: the notebook's title
    included: set[str] = field(default_factory=set)                     # stems in the edition

    def add(self, stem: str, nb, included: bool) -> None:
        for cell in nb["cells"]:
            if cell.get("cell_type") != "markdown":
                continue
            text = _source(cell)
            heading = HEADING.search(text)
            if heading and stem not in self.titles and text.lstrip().startswith("# "):
                self.titles[stem] = heading.group("title")
            for match in TARGET.finditer(text):
                after = HEADING.search(text, match.end())
                self.targets[match.group("label")] = (stem, after.group("title") if after else match.group("label"))
        if included:
            self.included.add(stem)


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def glued_values(nb) -> dict[str, str]:
    """The text each ``glue(name, value)`` of the stored run recorded, by name."""
    values = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if not scrapbook:
                continue
            text = output.get("data", {}).get(scrapbook.get("mime_prefix", "") + "text/plain")
            if text is None:
                continue
            try:
                value = ast.literal_eval(text)
                text = value if isinstance(value, str) else text
            except (ValueError, SyntaxError):
                pass
            values[scrapbook["name"]] = text
    return values


def _roles(text: str, glued: dict[str, str], book: Book, where: str) -> str:
    def replace(match: re.Match) -> str:
        role, content = match.group("role"), match.group("content")
        if role == "glue:text" or role == "glue":
            if content not in glued:
                raise ValueError(f"{where}: {{glue:text}}`{content}` has no stored value: "
                                 "execute the notebook (make notebooks)")
            return glued[content]
        explicit = TITLE_AND_TARGET.match(content)
        shown, target = (explicit.group("title"), explicit.group("target")) if explicit else (None, content)
        if role == "doc":
            stem = target.split("/")[-1]
            shown = shown or book.titles.get(stem, stem)
            return f"[{shown}]({stem}.ipynb)" if stem in book.included else shown
        if role == "ref":
            if target not in book.targets:
                raise ValueError(f"{where}: {{ref}}`{content}` names no section target of the book")
            stem, section = book.targets[target]
            shown = shown or section
            if stem in book.included:
                return f"[{shown}]({stem}.ipynb)"
            if shown == section:
                return f"“{section}” (in the book's “{book.titles.get(stem, stem)}”)"
            return f"{shown} (see “{section}” in the book's “{book.titles.get(stem, stem)}”)"
        raise ValueError(f"{where}: the role {{{role}}} has no plain-Markdown form in the student edition")
    return ROLE.sub(replace, text)


def exercise_markdown(source: str) -> str:
    """An ``{exercise}`` directive cell as a heading, its label and its prompt."""
    match = EXERCISE_CELL.match(source.strip())
    if not match:
        raise ValueError(f"not an exercise directive cell: {source[:60]!r}")
    options, lines = {}, match.group("body").split("\n")
    while lines and OPTION.match(lines[0]):
        option = OPTION.match(lines.pop(0))
        options[option.group("key")] = option.group("value")
    prompt = "\n".join(lines).strip()
    title = match.group("title").strip() or options.get("label", "")
    label = f"\n\nLabel: `{options['label']}` (the grader reports this exercise under it)." if "label" in options else ""
    return f"### Exercise: {title}{label}\n\n{prompt}"


def to_commonmark(source: str, glued: dict[str, str], book: Book, where: str = "a cell") -> str:
    """One Markdown cell of a chapter, rewritten for a plain CommonMark renderer."""
    stripped = source.lstrip()
    if re.match(r"^[`:]{3,}\{exercise\}", stripped):
        source = exercise_markdown(stripped)
    elif re.match(r"^[`:]{3,}\{solution-start\}", stripped):
        return SOLUTION_START
    elif re.match(r"^[`:]{3,}\{solution-end\}", stripped):
        return SOLUTION_END
    source = TARGET.sub("", source)
    return _roles(source, glued, book, where).strip("\n")
