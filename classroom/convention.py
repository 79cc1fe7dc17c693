"""The exercise convention, read from a chapter: the one parser that the student
edition (``edition.py``), the grader (``grade.py``) and the notebook hygiene test
use.

Each exercise is, in this order, with nothing in between:

1. a Markdown cell that starts with an ``{exercise}`` directive with a ``:label:``;
2. a Markdown cell ``{solution-start} <label>`` with ``:class: dropdown``;
3. one or more code cells tagged ``solution``;
4. a Markdown cell ``{solution-end}``;
5. a code cell tagged ``check`` that asserts inside ``with bookutils.check("Title"):``.

Every code cell after a chapter's first exercise belongs to an exercise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

EXERCISE = re.compile(r"^(`{3,}|:{3,})\{exercise\}\s*(?P<title>.*)$", re.M)
LABEL = re.compile(r"^:label:\s*(?P<label>\S+)", re.M)
CHECK_TITLE = re.compile(r"bookutils\.check\((['\"])(?P<title>.+?)\1\)")


class ConventionError(ValueError):
    """A chapter breaks the exercise convention; the message names the exercise."""


@dataclass
class Exercise:
    label: str
    title: str
    start_id: str            # the {solution-start} Markdown cell
    end_id: str              # the {solution-end} Markdown cell
    solution_ids: list[str] = field(default_factory=list)
    check_id: str = ""
    check_source: str = ""
    solution_source: str = ""


def tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def is_exercise(cell) -> bool:
    return cell.get("cell_type") == "markdown" and bool(EXERCISE.match(_source(cell).lstrip()))


def check_title(check_source: str) -> str:
    match = CHECK_TITLE.search(check_source)
    return match.group("title") if match else ""


def exercises(nb) -> list[Exercise]:
    """The exercises of a notebook (an ``nbformat`` node or its JSON as a dict),
    in order. Raises ``ConventionError`` where the convention is broken."""
    cells = nb["cells"]
    found = []
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "markdown" and "{exercise}" in _source(cell) and not is_exercise(cell):
            raise ConventionError(f"markdown cell {i} holds an {{exercise}} directive that does not start "
                                  "the cell: an exercise cell starts with it")
    first = next((i for i, cell in enumerate(cells) if is_exercise(cell)), len(cells))
    stray = [i for i, cell in enumerate(cells[:first]) if {"solution", "check"} & tags(cell)]
    if stray:
        raise ConventionError(f"cells {stray} are tagged 'solution' or 'check' before the first exercise")
    i = first
    while i < len(cells):
        cell = cells[i]
        if not is_exercise(cell):
            if cell.get("cell_type") == "code":
                raise ConventionError(f"code cell {i} after the first exercise belongs to no exercise")
            i += 1
            continue
        text = _source(cell).lstrip()
        title = EXERCISE.match(text).group("title").strip()
        label = LABEL.search(text)
        if not label:
            raise ConventionError(f"exercise {title or i!r} has no :label:")
        label = label.group("label")
        where = f"exercise {label}"

        def at(j, what):
            if j >= len(cells):
                raise ConventionError(f"{where}: the notebook ends where {what} should be")
            return cells[j]

        start = at(i + 1, "the solution-start cell")
        if start.get("cell_type") != "markdown" or not re.search(
                r"\{solution-start\}[ \t]+" + re.escape(label) + r"[ \t]*$", _source(start), re.M):
            raise ConventionError(f"{where}: the next cell must be {{solution-start}} {label}")
        if ":class: dropdown" not in _source(start):
            raise ConventionError(f"{where}: the solution must be collapsed (:class: dropdown)")
        j, solution = i + 2, []
        while j < len(cells) and cells[j].get("cell_type") == "code" and "solution" in tags(cells[j]):
            solution.append(cells[j])
            j += 1
        if not solution:
            raise ConventionError(f"{where}: solution code cells tagged 'solution' must follow solution-start")
        end = at(j, "the solution-end cell")
        if end.get("cell_type") != "markdown" or "{solution-end}" not in _source(end):
            raise ConventionError(f"{where}: after the solution cells (tagged 'solution'), "
                                  "a {solution-end} cell must follow")
        check = at(j + 1, "the check cell")
        check_source = _source(check)
        if check.get("cell_type") != "code" or "check" not in tags(check):
            raise ConventionError(f"{where}: a code cell tagged 'check' must follow the solution")
        if not check_title(check_source) or "assert" not in check_source:
            raise ConventionError(f"{where}: the check cell must assert inside bookutils.check(\"Title\")")
        found.append(Exercise(label=label, title=title, start_id=start.get("id", ""),
                              end_id=end.get("id", ""), solution_ids=[c.get("id", "") for c in solution],
                              check_id=check.get("id", ""), check_source=check_source,
                              solution_source="\n".join(_source(c) for c in solution)))
        i = j + 2
    return found
