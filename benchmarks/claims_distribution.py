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
Output: a JSON file (``--out``, default ``data/claims/<chapter>.json``), a plot
beside it (``.png``: each claim's values divided by its threshold), and a
Markdown table on stdout.

    .venv/bin/python benchmarks/claims_distribution.py notebooks/04_timing_prefetch.ipynb --runs 20
    .venv/bin/python benchmarks/claims_distribution.py notebooks/04_timing_prefetch.ipynb --runs 5 --busy

A second call with the same ``--out`` adds its runs, labelled by condition
(idle or busy), so one file holds both.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "notebooks"))

from bookutils.timing import CLAIMS_LOG_ENV  # noqa: E402

NBVAL_FLAGS = ["--nbval", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
               "--nbval-cell-timeout=600", "-p", "no:cacheprovider", "-q"]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


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
        claims = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    return {"condition": "busy" if busy else "idle", "passed": result.returncode == 0,
            "seconds": round(seconds, 1), "failed": failed, "claims": claims,
            "output": "" if result.returncode == 0 else result.stdout[-6000:]}


def summarize(runs: list[dict], condition: str) -> list[dict]:
    """One row per claim (by its text, in the order the chapter decides them)."""
    values: dict[str, list[dict]] = {}
    for run in runs:
        if run["condition"] != condition:
            continue
        for claim in run["claims"]:
            values.setdefault(claim["what"], []).append(claim)
    rows = []
    for what, claims in values.items():
        medians = [c["median"] for c in claims]
        above = claims[0]["above"]
        rows.append({"what": what, "condition": condition, "runs": len(claims),
                     "threshold": claims[0]["threshold"], "above": above,
                     "median": statistics.median(medians),
                     "p5": percentile(medians, 5), "p95": percentile(medians, 95),
                     "first_p5": percentile([c["first_median"] for c in claims], 5),
                     "first_p95": percentile([c["first_median"] for c in claims], 95),
                     "remeasured": sum(c["attempts"] > 1 for c in claims),
                     "wrong_side": sum(not c["holds"] for c in claims)})
    return rows


def markdown(rows: list[dict], runs: list[dict]) -> str:
    lines = []
    for condition in ("idle", "busy"):
        chosen = [r for r in runs if r["condition"] == condition]
        if not chosen:
            continue
        passed = sum(r["passed"] for r in chosen)
        lines += [f"**{condition}**: {passed} of {len(chosen)} runs passed "
                  f"(median {statistics.median(r['seconds'] for r in chosen):.0f} s per run)", ""]
        lines += ["| claim | threshold | median | 5th–95th percentile | re-measured | wrong side |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for r in rows:
            if r["condition"] == condition:
                sign = ">" if r["above"] else "<"
                lines.append(f"| {r['what']} | {sign} {r['threshold']:g} | {r['median']:.3g} | "
                             f"{r['p5']:.3g} – {r['p95']:.3g} | {r['remeasured']}/{r['runs']} | "
                             f"{r['wrong_side']}/{r['runs']} |")
        lines.append("")
    return "\n".join(lines)


def plot(rows: list[dict], runs: list[dict], path: Path) -> None:
    """Each claim's decided values over the runs, divided by its threshold: a
    claim holds where its points lie on its side of 1 (right for "above")."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(r["what"] for r in rows))
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(names) + 1.2))
    for condition, color in (("idle", "C0"), ("busy", "C3")):
        for y, name in enumerate(names):
            xs = [c["median"] / c["threshold"] for run in runs if run["condition"] == condition
                  for c in run["claims"] if c["what"] == name and c["threshold"]]
            xs = [x if next(c for c in rows if c["what"] == name)["above"] else 1 / x if x > 0 else 0.01
                  for x in xs]
            ax.plot(xs, [len(names) - 1 - y + (0.15 if condition == "busy" else 0)] * len(xs), "|",
                    color=color, alpha=0.6, label=condition if y == 0 and xs else None)
    ax.axvline(1, color="black", linewidth=1)
    ax.set_yticks(range(len(names)), names[::-1], fontsize=6)
    ax.set_xscale("log")
    ax.set_xlabel("value / threshold (threshold / value for a '<' claim): holds right of 1")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", help="the chapter, e.g. notebooks/04_timing_prefetch.ipynb")
    parser.add_argument("--runs", type=int, default=20, help="fresh runs (default 20)")
    parser.add_argument("--busy", action="store_true", help="keep one core busy during each run")
    parser.add_argument("--out", type=Path, help="JSON file (runs are added to it)")
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
    plot(rows, runs, out.with_suffix(".png"))
    print(markdown(rows, runs))
    return 0 if all(run["passed"] for run in runs[-args.runs:]) else 1


if __name__ == "__main__":
    sys.exit(main())
