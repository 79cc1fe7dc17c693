"""benchmarks/claims_distribution.py: the summary a timing claim's threshold is set
from (the chapter runs themselves are what the script is for; here, its
arithmetic and reports on made-up runs)."""
import json

import pytest

import claims_distribution as cd
from bookutils import claims


def run(condition, passed, **medians):
    return {"condition": condition, "passed": passed, "seconds": 100.0, "failed": [],
            "claims": [{"what": what, "median": value, "first_median": value, "threshold": 0.1,
                        "above": False, "attempts": 1, "holds": value < 0.1}
                       for what, value in medians.items()]}


def test_percentile_interpolates_between_ranks():
    assert claims.percentile([3.0], 95) == 3.0
    assert claims.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert claims.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
    assert claims.percentile([5.0, 1.0], 0) == 1.0


def test_summary_per_condition_counts_runs_on_the_wrong_side():
    runs = [run("idle", True, share=0.01 * k) for k in range(10)] + [run("idle", False, share=0.3),
                                                                       run("busy", True, share=0.05)]
    idle = claims.summarize(runs, "idle")
    assert len(idle) == 1
    row = idle[0]
    assert row["runs"] == 11 and row["wrong_side"] == 1 and row["median"] == pytest.approx(0.05)
    assert row["p5"] == pytest.approx(0.005) and row["p95"] == pytest.approx(0.195)
    assert claims.summarize(runs, "busy")[0]["runs"] == 1
    table = claims.markdown(idle + claims.summarize(runs, "busy"), runs)
    assert "**idle**: 10 of 11 runs passed" in table and "**busy**: 1 of 1 runs passed" in table
    assert "| share | < 0.1 | 0.05 | 0.005 – 0.195 | 0/11 | 1/11 |" in table


def test_main_adds_runs_to_the_file_and_plots(tmp_path, monkeypatch):
    made = iter([run("idle", True, share=0.02, ratio=0.05), run("idle", True, share=0.03, ratio=0.04)])
    monkeypatch.setattr(cd, "run_once", lambda notebook, busy: next(made))
    out = tmp_path / "claims.json"
    picture = tmp_path / "claims.png"
    for _ in range(2):
        assert cd.main(["notebooks/x.ipynb", "--runs", "1", "--out", str(out), "--plot", str(picture)]) == 0
    saved = json.loads(out.read_text())
    assert len(saved["runs"]) == 2 and {c["what"] for c in saved["claims"]} == {"share", "ratio"}
    assert picture.stat().st_size > 1000


def test_margin_is_above_one_exactly_where_the_claim_holds():
    for value, threshold, above in [(3.2, 3, True), (2.9, 3, True), (0.02, 0.1, False), (-0.05, 0.1, False),
                                    (0.12, 0.1, False), (0.79, 1.0, False), (0.35, 0.1, False)]:
        claim = {"median": value, "threshold": threshold, "above": above}
        holds = value > threshold if above else value < threshold
        assert (claims.margin(claim) > 1) == holds, claim
