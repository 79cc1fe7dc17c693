"""TensorBoard's profile plugin (xprof) on the timing chapter's traces: its
input-pipeline verdict beside the book's own split of the same trace.

    make xprof            # installs requirements-xprof.txt in .venv-xprof, runs this

For each chapter pipeline, as the chapter runs it and as the timing chapter
recommends, a few Keras batches of fit are traced with step markers
(notebooks/input_share.py); the book reads the trace (``read_trace``), and
xprof's ``input_pipeline_analyzer`` reads the same file.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

# A script run from the command line: the book's code is imported from notebooks/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))
import chapter_pipelines  # noqa: E402
from input_share import StepMarkers, read_trace, split_shares  # noqa: E402


def xprof_input_analysis(logdir: str) -> dict:
    """xprof's input-pipeline analysis of the trace under `logdir`: its
    conclusion and its average step split (ms)."""
    from xprof.convert import raw_to_tool_data

    paths = [str(p) for p in Path(logdir).rglob("*.xplane.pb")]
    data, _ = raw_to_tool_data.xspace_to_tool_data(paths, "input_pipeline_analyzer", {"use_saved_result": False})
    if data is None:
        raise RuntimeError(f"xprof produced no input-pipeline analysis for {paths}")
    summary = json.loads(data)[1]["p"]
    return {"conclusion": summary["input_conclusion"],
            "step_ms": float(summary["steptime_ms_average"]),
            "input_ms": float(summary["infeed_time_ms_avg"]),
            "host_compute_ms": float(summary["host_compute_time_ms_avg"]),
            "all_others_ms": float(summary["other_time_ms_avg"])}


def main() -> int:
    cases = chapter_pipelines.cases()
    for name, (make_model, make_pipeline) in cases.items():
        batches = sum(1 for _ in make_pipeline())
        for setting, spe, knobs in [("as in the chapter", 1, {}),
                                    ("recommended", chapter_pipelines.steps_per_execution(batches),
                                     chapter_pipelines.RECOMMENDED[name])]:
            logdir = tempfile.mkdtemp(prefix="xprof-")
            try:
                model = make_model(spe)
                model.fit(make_pipeline(**knobs).repeat(), epochs=1, steps_per_epoch=25 * spe, shuffle=False,
                          verbose=0, callbacks=[StepMarkers(logdir, 5, 20)])
                book = split_shares(read_trace(logdir), spe)
                xprof = xprof_input_analysis(logdir)
            finally:
                shutil.rmtree(logdir, ignore_errors=True)
            print(f"## {name}, {setting} ({batches} batches per epoch)")
            print(f"- book's split: get_next {book['input']:.1%}, train function {book['compute']:.1%}, "
                  f"Python {book['python']:.1%} of a step of {book['step_ms'] * spe:.2f} ms per marker")
            print(f"- xprof: step {xprof['step_ms']:.2f} ms = input {xprof['input_ms']:.2f} + host compute "
                  f"{xprof['host_compute_ms']:.2f} + all others {xprof['all_others_ms']:.2f} ms")
            print(f"- xprof's verdict: {xprof['conclusion']}")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
