"""Read and run the article's cases (``article_cases.py``) for the errata
appendix: the 2.4.1 side from the recorded file, the current side by running
the same file with this Python, and a compact side-by-side view of both."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES_SCRIPT = HERE / "article_cases.py"
RECORDED = HERE.parent.parent / "data" / "article" / "tensorflow-2.4.1.json"


def recorded() -> dict:
    """The 2.4.1 side, as ``make tf24-record`` stored it."""
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def run(python: str = sys.executable, cases: list[str] | None = None,
        timeout: float = 600) -> dict:
    """Run the cases with ``python`` (by default, this one) in a fresh process."""
    args = [python, str(CASES_SCRIPT)] + [f"--case={name}" for name in cases or []]
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{CASES_SCRIPT.name} failed under {python} "
                           f"(exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def summary(result: dict, width: int = 150) -> str:
    """One line: "ok", or the error's type and the start of its message."""
    if result["outcome"] == "ok":
        return "ok"
    text = f"{result['error']}: {result['message']}"
    return text if len(text) <= width else text[:width - 1] + "…"


def show(sides: dict[str, dict], *names: str, facts: tuple[str, ...] = (),
         source: bool = False) -> None:
    """Print each case on each side: its outcome, the named facts, its warnings;
    with ``source``, the case's code first."""
    import inspect

    from . import article_cases

    for name in names:
        if source:
            print(inspect.getsource(article_cases.CASES[name]))
        print(name)
        for label, side in sides.items():
            result = side["cases"][name]
            print(f"  {label:<16} {summary(result)}")
            for fact in facts:
                if fact in result:
                    print(f"  {'':<16}   {fact}: {result[fact]}")
            for warning in result["warnings"]:
                print(f"  {'':<16}   warns {warning[:110]}")


def settled(side: dict, name: str, holds, attempts: int = 3) -> dict:
    """A timed case on the current side, measured again (in a fresh process, at
    most ``attempts`` times in all) while ``holds(result)`` is false: on a busy
    machine a run can miss the overlap it measures. The side keeps the last
    result; returns {"attempts": how many runs, "holds": the verdict}."""
    count = 1
    while not holds(side["cases"][name]) and count < attempts:
        side["cases"][name] = run(cases=[name])["cases"][name]
        count += 1
    return {"attempts": count, "holds": holds(side["cases"][name])}
