"""The timing chapter's measurements (notebooks/04_timing_prefetch.ipynb), from
the command line:

    python benchmarks/tfdata_bench.py            # full run, Markdown table
    python benchmarks/tfdata_bench.py --quick    # under a minute
    python benchmarks/tfdata_bench.py --json     # machine-readable
    python benchmarks/tfdata_bench.py --prefetch-only [--op-determinism]
    python benchmarks/tfdata_bench.py --quick --no-fit    # without the chapter pipelines in fit

It also reports the input's share of training in ``fit`` for each chapter's
pipeline, as the chapter runs it and as the timing chapter recommends
(notebooks/chapter_pipelines.py, notebooks/input_share.py).

The pipelines and the model of prefetching are the chapter's own, imported from
notebooks/timing_pipelines.py (the chapter shows their source); the CSV readers'
throughput is measured here. Everything is measured with the same method: a
warm-up run (tracing, thread pools), then repeated runs timed with
time.perf_counter, interleaved, reporting the median; comparisons are ratios
measured in the same process.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

# A script run from the command line: the book's code is imported from notebooks/
# (the helper package bookutils and the chapter's timing_pipelines).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))
import bookutils  # noqa: E402  (one timing harness for the book and the benchmark)
from timing_pipelines import parallel_map_scaling, pc_sweep, prefetch_check, speedup_fraction  # noqa: E402
import chapter_pipelines  # noqa: E402  (the chapters' pipelines and the recommended knobs)
from input_share import input_share  # noqa: E402


CSV_FEATURES = 30


def write_csv(path: Path, rows: int, seed: int = 0) -> Path:
    """A CSV of `rows` rows: 30 float features and an int label, with a header."""
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(rows, CSV_FEATURES)).astype(np.float32)
    labels = rng.integers(0, 2, size=rows)
    header = ",".join([f"f{i}" for i in range(CSV_FEATURES)] + ["label"])
    table = np.column_stack([features, labels])
    fmt = ["%.6g"] * CSV_FEATURES + ["%d"]
    np.savetxt(path, table, delimiter=",", header=header, comments="", fmt=fmt)
    return path


def csv_readers(batch: int = 256):
    """The CSV chapter's readers, as functions path -> dataset of (features, label)."""
    import pandas as pd

    required = [tf.constant([], tf.float32)] * CSV_FEATURES + [tf.constant([], tf.int32)]

    def split(columns, axis):
        return tf.stack(columns[:CSV_FEATURES], axis=axis), columns[CSV_FEATURES]

    def frame(path):
        table = pd.read_csv(path)
        return tf.data.Dataset.from_tensor_slices(
            (table.iloc[:, :CSV_FEATURES].to_numpy(np.float32), table.iloc[:, -1].to_numpy(np.int32)))

    return {
        "per line": lambda path: tf.data.TextLineDataset(path).skip(1).map(
            lambda line: split(tf.io.decode_csv(line, required), 0),
            num_parallel_calls=tf.data.AUTOTUNE).batch(batch),
        "batch, then decode": lambda path: tf.data.TextLineDataset(path).skip(1).batch(batch).map(
            lambda lines: split(tf.io.decode_csv(lines, required), 1),
            num_parallel_calls=tf.data.AUTOTUNE),
        "CsvDataset": lambda path: tf.data.experimental.CsvDataset(
            path, [tf.float32] * CSV_FEATURES + [tf.int32], header=True).batch(batch).map(
            lambda *columns: split(list(columns), 1)),
        "pandas": lambda path: frame(path).batch(batch),
    }


def csv_throughput(rows: int = 200_000, rounds: int = 3) -> list[dict]:
    """Rows per second of each reader on a generated file, timed interleaved
    (``bookutils.compare``), and the ratio to the per-line reader."""
    with tempfile.TemporaryDirectory(prefix="tfdata-bench-") as tmp:
        path = str(write_csv(Path(tmp) / "big.csv", rows))
        small = str(write_csv(Path(tmp) / "small.csv", 300))
        readers = csv_readers()
        for reader in readers.values():
            for _ in reader(small):             # tracing
                pass
        timings = bookutils.compare({name: lambda reader=reader: sum(1 for _ in reader(path))
                                     for name, reader in readers.items()}, rounds=rounds, warmup=0)
    base = timings["per line"]
    return [{"reader": name, "rows_per_s": rows / timing.median,
             "ratio": float(np.median(bookutils.ratios(base, timing)))} for name, timing in timings.items()]


def input_shares(quick: bool) -> list[dict]:
    """The input's share of training for each chapter's pipeline in ``fit``, as the
    chapter runs it and as the timing chapter recommends (several steps per call,
    chapter_pipelines.steps_per_execution, and the knobs in
    chapter_pipelines.RECOMMENDED); the recommended share is claimed to stay under
    chapter_pipelines.RECOMMENDED_SHARE_BELOW, settled like the chapter's claims."""
    rounds, seconds = (3, 0.15) if quick else (5, 0.3)          # as built: several epochs per round
    rounds_recommended = 5 if quick else 7
    rows = []
    for name, (make_model, make_pipeline) in chapter_pipelines.cases().items():
        built = input_share(make_model(), make_pipeline(), seconds=seconds, rounds=rounds)
        batches = bookutils.consume(make_pipeline())
        knobs = chapter_pipelines.RECOMMENDED[name]
        model = make_model(chapter_pipelines.steps_per_execution(batches))
        first = input_share(model, make_pipeline(**knobs), steps_per_epoch=batches, seconds=0.3,
                            rounds=rounds_recommended)
        claim = bookutils.settle(f"{name}, recommended: input share",
                                 lambda: input_share(model, make_pipeline(**knobs), steps_per_epoch=batches,
                                                     seconds=0.3, rounds=rounds_recommended).shares(),
                                 below=chapter_pipelines.RECOMMENDED_SHARE_BELOW, first=first.shares())
        batch = sum(int(tf.shape(labels)[0]) for _, labels in make_pipeline()) / batches   # examples per step
        rows.append({"pipeline": name, "batches_per_epoch": batches,
                     "as_built": {"share": built.share, "step_ms": 1e3 * built.pipeline_s,
                                  "examples_per_s": batch / built.pipeline_s},
                     "recommended": {"knobs": knobs, "steps_per_execution": model.steps_per_execution,
                                     "share": claim.median, "step_ms": 1e3 * first.pipeline_s,
                                     "examples_per_s": batch / first.pipeline_s,
                                     "holds": claim.holds, "attempts": claim.attempts, "text": str(claim)}})
    return rows


def run_all(quick: bool, fit: bool = True) -> dict:
    if quick:
        # One point of the sweep (the chapter runs five, with the same functions).
        sweep, claims = pc_sweep(ratios=(1.0,), consumer_s=0.01, n=8, rounds=3)
        scaling = {"io": parallel_map_scaling("io", calls=(1, 2, 4), n=32, rounds=2),
                   "cpu": parallel_map_scaling("cpu", calls=(1, 2), n=16, rounds=2)}
        csv = csv_throughput(rows=10_000, rounds=3)
    else:
        sweep, claims = pc_sweep()
        scaling = {kind: parallel_map_scaling(kind) for kind in ("io", "cpu")}
        csv = csv_throughput()
    return {"quick": quick, "cores": os.cpu_count(), "tensorflow": tf.__version__,
            "pc_sweep": sweep, "prefetch_speedup": speedup_fraction(sweep),
            "pc_claims": [{"what": c.what, "holds": c.holds, "median": c.median, "attempts": c.attempts,
                           "text": str(c)} for c in claims],
            "parallel_map": scaling, "csv_readers": csv, "input_share": input_shares(quick) if fit else []}


def markdown(results: dict) -> str:
    lines = [f"tf.data benchmarks ({'quick' if results['quick'] else 'full'} run, "
             f"{results['cores']} cores, TensorFlow {results['tensorflow']})", ""]
    lines += ["| P/C | mode | measured (s) | model, nominal (s) | model, calibrated (s) | error |",
              "| --- | --- | --- | --- | --- | --- |"]
    for r in results["pc_sweep"]:
        lines.append(f"| {r['ratio']:g} | {r['mode']} | {r['measured_s']:.3f} | {r['predicted_nominal_s']:.3f} | "
                     f"{r['predicted_s']:.3f} | {r['error']:+.1%} |")
    lines += [""] + [f"- {c['text']}" for c in results["pc_claims"]]
    lines += ["", "| P/C | prefetch speedup | calibrated model | fraction of the model |",
              "| --- | --- | --- | --- |"]
    for r in results["prefetch_speedup"]:
        lines.append(f"| {r['ratio']:g} | {r['speedup']:.2f} | {r['ideal']:.2f} | {r['fraction']:.0%} |")
    lines += ["", "| map | num_parallel_calls | elements/s | speedup |", "| --- | --- | --- | --- |"]
    for kind, rows in results["parallel_map"].items():
        for r in rows:
            lines.append(f"| {kind} | {r['num_parallel_calls']} | {r['elements_per_s']:.0f} | {r['speedup']:.2f} |")
    lines += ["", "| CSV reader | rows/s | × per line |", "| --- | --- | --- |"]
    for r in results["csv_readers"]:
        lines.append(f"| {r['reader']} | {r['rows_per_s']:,.0f} | {r['ratio']:.1f} |")
    if not results["input_share"]:
        return "\n".join(lines)
    lines += ["", "| pipeline in fit | input share, as built | step (ms) | input share, recommended | step (ms) "
                  "| examples/s, built → recommended |", "| --- | --- | --- | --- | --- | --- |"]
    for r in results["input_share"]:
        built, rec = r["as_built"], r["recommended"]
        lines.append(f"| {r['pipeline']} | {built['share']:.1%} | {built['step_ms']:.2f} | {rec['share']:.1%} | "
                     f"{rec['step_ms']:.2f} | {built['examples_per_s']:,.0f} → {rec['examples_per_s']:,.0f} |")
    lines += [""] + [f"- {r['recommended']['text']}" for r in results["input_share"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure tf.data pipeline optimizations.")
    parser.add_argument("--quick", action="store_true", help="smaller sizes: under a minute")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--no-fit", action="store_true",
                        help="skip the input's share of fit for the chapter pipelines (the timing chapter "
                             "asserts the same claims with the same functions)")
    parser.add_argument("--prefetch-only", action="store_true",
                        help="only the prefetch speedup at P = C = 10 ms (JSON)")
    parser.add_argument("--op-determinism", action="store_true",
                        help="enable tf.config.experimental.enable_op_determinism() first")
    args = parser.parse_args(argv)
    if args.op_determinism:
        tf.config.experimental.enable_op_determinism()
    if args.prefetch_only:
        print(json.dumps(prefetch_check(op_determinism=args.op_determinism)))
        return 0
    results = run_all(args.quick, fit=not args.no_fit)
    print(json.dumps(results, indent=2) if args.json else markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
