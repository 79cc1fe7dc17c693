"""The distribution of a chapter's timing claims over many fresh runs.

A timing claim is printed in the book only where its measured distribution lies:
its threshold sits beyond the values the claim takes in (nearly) every run, under
the conditions its cell asserts in. This script measures that distribution. It
runs a chapter N times, each time in a fresh pytest process with nbval, exactly
as a contributor checks one chapter (the Makefile's nbval flags), with
``BOOK_CLAIMS_LOG`` set: every claim the chapter decides with ``bookutils.settle``
or ``bookutils.measured`` is written there (its median, its rounds, its threshold).
Optionally, a process that keeps one core busy (``python3 -c "while True: pass"``)
runs beside every run, and is killed by its PID afterwards.

It writes, per claim: the median and the 5th and 95th percentiles of the decided
value over the runs, the first attempt's value, the threshold and how many runs
fell on the wrong side; per run: passed or failed (and the first failing item).
Output: a JSON file (``--out``, default ``data/claims/<chapter>.json``, which the
chapter reads to show its claims' distribution), a plot (``_build/claims/<name>.png``:
each run's margin on each claim, ``bookutils.claims.plot``), and a Markdown table
on stdout.

    .venv/bin/python benchmarks/claims_distribution.py notebooks/04_timing_prefetch.ipynb --runs 20
    .venv/bin/python benchmarks/claims_distribution.py notebooks/04_timing_prefetch.ipynb --runs 5 --busy

A second call with the same ``--out`` adds its runs, labelled by condition
(idle or busy), so one file holds both.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "notebooks"))

from bookutils import claims  # noqa: E402
from bookutils.claims import markdown, summarize  # noqa: E402
from bookutils.timing import CLAIMS_LOG_ENV  # noqa: E402

NBVAL_FLAGS = ["--nbval", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
               "--nbval-cell-timeout=600", "-p", "no:cacheprovider", "-q"]


def run_once(notebook: str, busy: bool) -> dict:
    """One fresh pytest process on the chapter (and its student edition and wrong
    answers, which tests/test_convention.py brings in); the claims it decided."""
    with tempfile.TemporaryDirectory(prefix="claims-") as folder:
        log = Path(folder) / "claims.jsonl"
        env = {**os.environ, CLAIMS_LOG_ENV: str(log),
               "JUPYTER_PATH": str(ROOT / ".venv" / "share" / "jupyter")}
        command = [sys.executable, "-m", "pytest", notebook, "tests/test_convention.py", "-k", "ipynb",
                   *NBVAL_FLAGS]
        burner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
        start = time.perf_counter()
        try:
            result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        finally:
            if burner is not None:
                burner.kill()
                burner.wait()
        seconds = time.perf_counter() - start
        decided = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    for claim in decided:                    # the decided value is kept, not every round
        claim.pop("values", None)
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    return {"condition": "busy" if busy else "idle", "passed": result.returncode == 0,
            "seconds": round(seconds, 1), "failed": failed, "claims": decided,
            "output": "" if result.returncode == 0 else result.stdout[-6000:]}


def plot_file(runs: list[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = claims.plot(runs)
    ax.figure.tight_layout()
    ax.figure.savefig(path, dpi=120)
    plt.close(ax.figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", help="the chapter, e.g. notebooks/04_timing_prefetch.ipynb")
    parser.add_argument("--runs", type=int, default=20, help="fresh runs (default 20)")
    parser.add_argument("--busy", action="store_true", help="keep one core busy during each run")
    parser.add_argument("--out", type=Path, help="JSON file (runs are added to it)")
    parser.add_argument("--plot", type=Path, help="PNG file (default _build/claims/<name>.png)")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "data" / "claims" / f"{Path(args.notebook).stem}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(out.read_text())["runs"] if out.exists() else []
    for index in range(args.runs):
        run = run_once(args.notebook, args.busy)
        runs.append(run)
        print(f"run {index + 1}/{args.runs} ({run['condition']}): "
              f"{'passed' if run['passed'] else 'FAILED ' + '; '.join(run['failed'])} in {run['seconds']:.0f} s",
              flush=True)
        rows = [row for condition in ("idle", "busy") for row in summarize(runs, condition)]
        out.write_text(json.dumps({"notebook": args.notebook, "cores": os.cpu_count(),
                                   "claims": rows, "runs": runs}, indent=1) + "\n")
    picture = args.plot or ROOT / "_build" / "claims" / out.with_suffix(".png").name
    picture.parent.mkdir(parents=True, exist_ok=True)
    plot_file(runs, picture)
    print(f"{out}\n{picture}")
    print(markdown(rows, runs))
    return 0 if all(run["passed"] for run in runs[-args.runs:]) else 1


if __name__ == "__main__":
    sys.exit(main())
