"""classroom/convention.py, the one parser of the exercise convention (used by the
student edition, the grader and the hygiene test): it reads a well-formed
chapter, and names the exercise and the rule in every way of breaking it."""
import json
import re

import nbformat
import pytest

import convention
from conftest import chapter_notebooks


def md(text):
    return nbformat.v4.new_markdown_cell(text)


def code(text, *tags):
    cell = nbformat.v4.new_code_cell(text)
    cell.metadata["tags"] = list(tags)
    return cell


def exercise(label="ex-a", title="Count"):
    return [md(f"```{{exercise}} {title}\n:label: {label}\n\nCount the batches.\n```"),
            md(f"```{{solution-start}} {label}\n:class: dropdown\n```"),
            code("answer = 3", "solution"),
            md("```{solution-end}\n```"),
            code(f'with bookutils.check("{title}"):\n    assert answer == 3', "check")]


def notebook(*cells):
    return nbformat.v4.new_notebook(cells=[md("# Title"), code("x = 1"), *cells])


def test_a_well_formed_chapter():
    nb = notebook(md("## Exercises"), *exercise("ex-a", "A"), *exercise("ex-b", "B"))
    found = convention.exercises(nb)
    assert [(e.label, e.title) for e in found] == [("ex-a", "A"), ("ex-b", "B")]
    assert found[0].solution_source == "answer = 3"
    assert convention.check_title(found[1].check_source) == "B"
    # The JSON form (a dict, as the hygiene test reads it) gives the same result.
    as_dict = json.loads(nbformat.writes(nb))
    assert [e.label for e in convention.exercises(as_dict)] == ["ex-a", "ex-b"]


def test_several_solution_cells():
    cells = exercise()
    cells.insert(3, code("answer = answer + 0", "solution"))
    found = convention.exercises(notebook(*cells))
    assert len(found[0].solution_ids) == 2


def broken(index, replacement):
    cells = exercise()
    if replacement is None:
        del cells[index]
    else:
        cells[index] = replacement
    return notebook(*cells)


@pytest.mark.parametrize("nb, message", [
    (broken(0, md("```{exercise} Count\nno label\n```")), "has no :label:"),
    (broken(1, None), "next cell must be {solution-start} ex-a"),
    (broken(1, md("```{solution-start} ex-b\n:class: dropdown\n```")), "next cell must be {solution-start} ex-a"),
    (broken(1, md("```{solution-start} ex-a\n```")), "collapsed"),
    (broken(2, code("answer = 3")), "tagged 'solution' must follow"),
    (broken(3, None), "a {solution-end} cell must follow"),
    (broken(4, None), "the notebook ends where the check cell should be"),
    (broken(4, code('with bookutils.check("Count"):\n    assert answer == 3')), "tagged 'check'"),
    (broken(4, code("assert answer == 3", "check")), "must assert inside bookutils.check"),
    (broken(4, code('with bookutils.check("Count"):\n    print(answer)', "check")), "must assert"),
    (notebook(*exercise(), code("print('after')")), "belongs to no exercise"),
    (broken(1, md("```{solution-start} ex-ab\n:class: dropdown\n```")), "next cell must be {solution-start} ex-a"),
    (notebook(md("## Exercises\n\n```{exercise} Count\n:label: ex-a\n```"), *exercise()[1:]),
     "does not start the cell"),
    (notebook(code("answer = 3", "solution"), *exercise()), "before the first exercise"),
], ids=["no-label", "no-start", "start-of-other", "not-dropdown", "untagged-solution", "no-end",
        "no-check", "untagged-check", "check-without-helper", "check-without-assert", "code-after",
        "label-prefix", "directive-not-first", "solution-before-exercises"])
def test_each_way_of_breaking_it_is_named(nb, message):
    with pytest.raises(convention.ConventionError, match=re.escape(message)) as err:
        convention.exercises(nb)
    assert re.search(r"exercise (ex-a|'Count')|cells? \[?\d+", str(err.value)), "the message names where"


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_every_chapter_follows_it(path):
    assert len(convention.exercises(nbformat.read(path, as_version=4))) >= 3
