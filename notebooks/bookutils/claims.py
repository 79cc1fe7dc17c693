"""A chapter's timing claims over many runs: the record that
``benchmarks/claims_distribution.py`` writes (``data/claims/<chapter>.json``), its
summary per claim, and a picture of it. A timing claim's threshold is set beyond
the values the claim takes in (nearly) every run; this is where a chapter shows
that it is."""
from __future__ import annotations

import json
import statistics

from .paths import data_path


def percentile(values, q: float) -> float:
    """The q-th percentile (0-100) of `values`, linear between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def load(chapter: str) -> dict:
    """The recorded runs of a chapter (its file stem), from data/claims/."""
    return json.loads(data_path(f"claims/{chapter}.json").read_text(encoding="utf-8"))


def summarize(runs: list[dict], condition: str) -> list[dict]:
    """One row per claim (in the order the chapter decides them) over the runs
    made in `condition` ("idle" or "busy"): the median and the 5th and 95th
    percentiles of the value each run decided on, of its first measurement, how
    many runs measured it again, and how many fell on the wrong side."""
    by_claim: dict[str, list[dict]] = {}
    for run in runs:
        if run["condition"] == condition:
            for claim in run["claims"]:
                by_claim.setdefault(claim["what"], []).append(claim)
    rows = []
    for what, claims in by_claim.items():
        medians = [c["median"] for c in claims]
        firsts = [c["first_median"] for c in claims]
        rows.append({"what": what, "condition": condition, "runs": len(claims),
                     "threshold": claims[0]["threshold"], "above": claims[0]["above"],
                     "median": statistics.median(medians),
                     "p5": percentile(medians, 5), "p95": percentile(medians, 95),
                     "first_p5": percentile(firsts, 5),
                     "first_p95": percentile(firsts, 95),
                     "remeasured": sum(c["attempts"] > 1 for c in claims),
                     "wrong_side": sum(not c["holds"] for c in claims)})
    return rows


def markdown(rows: list[dict], runs: list[dict]) -> str:
    """The summary as Markdown tables, one per condition."""
    lines = []
    for condition in ("idle", "busy"):
        chosen = [r for r in runs if r["condition"] == condition]
        if not chosen:
            continue
        passed = sum(r["passed"] for r in chosen)
        lines += [f"**{condition}**: {passed} of {len(chosen)} runs passed "
                  f"(median {statistics.median(r['seconds'] for r in chosen):.0f} "
                  "s per run)", "",
                  "| claim | threshold | median | 5th–95th "
                  "percentile | re-measured | wrong side |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for r in rows:
            if r["condition"] == condition:
                sign = ">" if r["above"] else "<"
                lines.append(f"| {r['what']} | {sign} "
                             f"{r['threshold']:g} | {r['median']:.3g} | "
                             f"{r['p5']:.3g} – {r['p95']:.3g} | "
                             f"{r['remeasured']}/{r['runs']} | "
                             f"{r['wrong_side']}/{r['runs']} |")
        lines.append("")
    return "\n".join(lines)


def margin(claim: dict) -> float:
    """How far a decided value lies on the claim's side of its threshold, as a
    ratio that is above 1 where the claim holds: value / threshold for a claim
    "above"; for a claim "below", 1 + (threshold - value) / threshold, which stays
    positive for the shares near 0 (or below it) that such claims bound (shown as
    0.05 from twice the threshold on)."""
    value, threshold = claim["median"], claim["threshold"]
    if claim["above"]:
        return value / threshold
    return max(1 + (threshold - value) / threshold, 0.05)


def closest(runs: list[dict], count: int) -> list[str]:
    """The `count` claims whose runs came closest to their thresholds (the lowest
    5th percentile of their margins, every condition together), closest first."""
    margins: dict[str, list[float]] = {}
    for run in runs:
        for claim in run["claims"]:
            margins.setdefault(claim["what"], []).append(margin(claim))
    return sorted(margins, key=lambda what: percentile(margins[what], 5))[:count]


def plot(runs: list[dict], claims: list[str] | None = None, ax=None,
         labels: dict | None = None):
    """Each claim's decided values over the runs (a tick per run; idle and busy
    runs apart), as ``margin``: a claim holds right of the line at 1."""
    import matplotlib.pyplot as plt

    names = claims or list(dict.fromkeys(c["what"] for run in runs
                                         for c in run["claims"]))
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 0.3 * len(names) + 1.0))
    for condition, offset, color in (("idle", 0.0, "C0"), ("busy", -0.25, "C3")):
        shown = False
        for row, name in enumerate(names):
            xs = [margin(c) for run in runs if run["condition"] == condition
                  for c in run["claims"] if c["what"] == name]
            if xs:
                ax.plot(xs, [len(names) - 1 - row + offset] * len(xs), "|", color=color,
                        markersize=7,
                        alpha=0.7, label=None if shown else f"{condition} runs")
                shown = True
    ax.axvline(1, color="black", linewidth=1)
    ax.set_yticks(range(len(names)), [(labels or {}).get(n, n) for n in names][::-1],
                  fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel("margin of each run's value (holds right of 1)")
    ax.legend(fontsize=7, loc="lower right")
    return ax
