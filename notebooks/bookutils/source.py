"""Code that a chapter teaches but keeps in a file, shown on the page from that
file, so that there is one copy: the rendered site and JupyterLab show the same
highlighted source that runs."""
from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

from .paths import REPO_ROOT


def _fence(code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def source_of(obj, *names: str) -> tuple[str, str]:
    """(caption, source). ``obj`` is a function or class, or a file path relative
    to ``notebooks/`` (or absolute); with ``names``, only those top-level
    functions, classes or assignments of the file, in the order given."""
    if not isinstance(obj, (str, Path)):
        if names:
            raise TypeError("names select parts of a file; pass a path")
        # a decorated function: its own file, not the decorator's
        obj = inspect.unwrap(obj)
        module = inspect.getmodule(obj)
        where = Path(inspect.getsourcefile(obj)).resolve()
        try:
            where = where.relative_to(REPO_ROOT)
        except ValueError:
            pass
        name = f"`{obj.__qualname__}`"
        caption = f"{name}, from `{where}`" if module else name
        return caption, textwrap.dedent(inspect.getsource(obj)).rstrip("\n")
    path = Path(obj)
    if not path.is_absolute():
        path = REPO_ROOT / "notebooks" / path
    text = path.read_text(encoding="utf-8")
    shown = path
    if path.resolve().is_relative_to(REPO_ROOT):
        shown = path.resolve().relative_to(REPO_ROOT)
    if not names:
        return f"`{shown}`", text.rstrip("\n")
    tree = ast.parse(text)
    lines = text.splitlines()
    parts = []
    for name in names:
        node = next((n for n in tree.body if _defines(n, name)), None)
        if node is None:
            raise LookupError(f"{shown} defines no top-level {name!r}")
        first = min([node.lineno] + [d.lineno
                                     for d in getattr(node, "decorator_list", [])])
        parts.append("\n".join(lines[first - 1:node.end_lineno]))
    listed = ", ".join(f"`{name}`" for name in names)
    return f"{listed}, from `{shown}`", "\n\n\n".join(parts)


def _defines(node, name: str) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name == name
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(isinstance(t, ast.Name) and t.id == name for t in targets)
    return False


def show_source(*objects, names: tuple[str, ...] = ()) -> None:
    """Show the source of functions or classes, or of a file (``names``: only
    those top-level definitions of it), as highlighted Python under a caption
    that says where it lives. Outside IPython, print it."""
    blocks = []
    for obj in objects:
        caption, code = source_of(obj, *names)
        fence = _fence(code)
        blocks.append(f"{caption}:\n\n{fence}python\n{code}\n{fence}")
    markdown = "\n\n".join(blocks)
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(Markdown(markdown))
    else:
        print(markdown)
