"""The 2.4.1 side of the errata appendix (notebooks/appendix_article_tf_2_4_1.ipynb):
run the article's cases again on TensorFlow 2.4.1 and compare with the record the
appendix shows (data/article/tensorflow-2.4.1.json, written by `make tf24-record`).

Needs the Python 3.8 virtualenv that `make tf24` creates. Without it the test
skips, naming what is missing; with CI=true it fails instead, since CI installs it
(.ci/run)."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

CASES_SCRIPT = ROOT / "notebooks" / "article" / "article_cases.py"
RECORDED = ROOT / "data" / "article" / "tensorflow-2.4.1.json"
TF24_PYTHON = Path(os.environ.get("TF24_PYTHON", ROOT / ".venv-tf24" / "bin" / "python"))
# Measured quantities that vary from run to run: compared as the claims made about them.
MEASURED = {"speedup_of_prefetch_call", "speedups", "no_prefetch_call_s",
            "dataset_keeps_mb", "two_full_buffers_add_mb"}


def run_cases(*names):
    args = [str(TF24_PYTHON), str(CASES_SCRIPT)] + [f"--case={name}" for name in names]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def rerun():
    if not TF24_PYTHON.exists():
        why = (f"TensorFlow 2.4.1 is not installed ({TF24_PYTHON} is missing): run `make tf24`, "
               "which needs Python 3.8 (for example `pyenv install 3.8`)")
        if os.environ.get("CI") == "true":
            pytest.fail(why + "; in CI, .ci/run installs it")
        pytest.skip(why)
    return run_cases()


@pytest.fixture(scope="module")
def record():
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def test_the_record_is_of_tensorflow_2_4_1(record):
    assert record["tensorflow"] == "2.4.1" and record["python"].startswith("3.8.")
    assert record["recorded_on"] and record["command"] == "make tf24-record"


def test_the_rerun_is_tensorflow_2_4_1(rerun):
    assert rerun["tensorflow"] == "2.4.1", rerun["tensorflow"]


def test_every_case_is_recorded(record):
    in_script = CASES_SCRIPT.read_text(encoding="utf-8").count("\ndef case_")
    assert len(record["cases"]) == in_script, "the cases changed: run make tf24-record"


@pytest.mark.parametrize("name", sorted(json.loads(RECORDED.read_text(encoding="utf-8"))["cases"]))
def test_case_matches_the_record(name, record, rerun):
    """Same outcome, same error type and message, same facts; timings and memory
    are compared as the claims the appendix makes about them."""
    then, now = record["cases"][name], rerun["cases"][name]
    assert (now["outcome"], now.get("error"), now.get("message")) == \
        (then["outcome"], then.get("error"), then.get("message"))
    assert now["warnings"] == then["warnings"]
    facts = {k for k in then if k not in {"outcome", "error", "message", "warnings"}}
    assert facts == {k for k in now if k not in {"outcome", "error", "message", "warnings"}}
    for fact in facts - MEASURED:
        assert now[fact] == then[fact], fact


def test_prefetch_call_overlaps_on_2_4_1(record, rerun):
    """2.4.1 injects no prefetch: an explicit prefetch call overlaps a 10 ms producer
    with a 10 ms consumer (ideal speedup 2). Measured again, at most twice more, if
    the first run falls short (the machine may be busy); one run above 1.5 decides,
    since overlap does not happen by chance and a busy machine only takes it away."""
    assert record["cases"]["prefetch_hides_latency"]["speedup_of_prefetch_call"] > 1.5
    speedups = [rerun["cases"]["prefetch_hides_latency"]["speedup_of_prefetch_call"]]
    while speedups[-1] <= 1.5 and len(speedups) < 3:
        speedups.append(run_cases("prefetch_hides_latency")["cases"]["prefetch_hides_latency"]
                        ["speedup_of_prefetch_call"])
    assert max(speedups) > 1.5, f"prefetch speedups on 2.4.1, measured {len(speedups)} times: {speedups}"


def test_shuffle_buffer_copies_every_element_on_2_4_1(record, rerun):
    """On 2.4.1 the dataset keeps a copy of the array, and each full shuffle
    buffer another one (the appendix shows that 2.21's buffers share memory)."""
    for side in (record, rerun):
        case = side["cases"]["shuffle_buffer_copies"]
        assert case["dataset_keeps_mb"] >= 0.8 * case["array_mb"], case
        assert case["two_full_buffers_add_mb"] >= 1.6 * case["array_mb"], case


def test_the_unadapted_layer_trains_silently_on_2_4_1(rerun):
    """The appendix's strongest 2.4.1 claim, asserted on the re-run itself."""
    case = rerun["cases"]["example2_as_written"]
    assert case["outcome"] == "ok" and case["vocabulary_size"] == 0, case
    assert case["ids_after_fit"] == [1, 1, 1, 0, 0, 0] and not case["warnings"], case
