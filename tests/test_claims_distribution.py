"""benchmarks/claims_distribution.py: the summary a timing claim's threshold is set
from (the chapter runs themselves are what the script is for; here, its
arithmetic and reports on made-up runs)."""
import json

import pytest

import claims_distribution as cd


def run(condition, passed, **medians):
    return {"condition": condition, "passed": passed, "seconds": 100.0, "failed": [],
            "claims": [{"what": what, "median": value, "first_median": value, "threshold": 0.1,
                        "above": False, "attempts": 1, "holds": value < 0.1}
                       for what, value in medians.items()]}


def test_percentile_interpolates_between_ranks():
    assert cd.percentile([3.0], 95) == 3.0
    assert cd.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert cd.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
    assert cd.percentile([5.0, 1.0], 0) == 1.0


def test_summary_per_condition_counts_runs_on_the_wrong_side():
    runs = [run("idle", True, share=0.01 * k) for k in range(10)] + [run("idle", False, share=0.3),
                                                                       run("busy", True, share=0.05)]
    idle = cd.summarize(runs, "idle")
    assert len(idle) == 1
    row = idle[0]
    assert row["runs"] == 11 and row["wrong_side"] == 1 and row["median"] == pytest.approx(0.05)
    assert row["p5"] == pytest.approx(0.005) and row["p95"] == pytest.approx(0.195)
    assert cd.summarize(runs, "busy")[0]["runs"] == 1
    table = cd.markdown(idle + cd.summarize(runs, "busy"), runs)
    assert "**idle**: 10 of 11 runs passed" in table and "**busy**: 1 of 1 runs passed" in table
    assert "| share | < 0.1 | 0.05 | 0.005 – 0.195 | 0/11 | 1/11 |" in table


def test_main_adds_runs_to_the_file_and_plots(tmp_path, monkeypatch):
    made = iter([run("idle", True, share=0.02, ratio=0.05), run("idle", True, share=0.03, ratio=0.04)])
    monkeypatch.setattr(cd, "run_once", lambda notebook, busy: next(made))
    out = tmp_path / "claims.json"
    assert cd.main(["notebooks/x.ipynb", "--runs", "1", "--out", str(out)]) == 0
    assert cd.main(["notebooks/x.ipynb", "--runs", "1", "--out", str(out)]) == 0
    saved = json.loads(out.read_text())
    assert len(saved["runs"]) == 2 and {c["what"] for c in saved["claims"]} == {"share", "ratio"}
    assert out.with_suffix(".png").stat().st_size > 1000
