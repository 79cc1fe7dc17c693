"""Measurements of tf.data pipelines, shared by the timing chapter
(notebooks/04_timing_prefetch.ipynb) and the command line:

    python benchmarks/tfdata_bench.py            # full run, Markdown table
    python benchmarks/tfdata_bench.py --quick    # under a minute
    python benchmarks/tfdata_bench.py --json     # machine-readable
    python benchmarks/tfdata_bench.py --prefetch-only [--op-determinism]

Everything here is measured with the same method: a warm-up run (tracing,
thread pools), then repeated runs timed with time.perf_counter, reporting the
median; comparisons are ratios measured in the same process.

The controlled pipeline has a producer that costs P seconds per element and a
consumer (standing in for a training step) that costs C seconds per element.
Both *wait* with time.sleep, which releases Python's GIL, so neither blocks the
other: the producer runs in tf.data's threads (through tf.py_function), the
consumer in the main thread. A producer doing CPU-bound Python work would hold
the GIL and serialize the two, whatever tf.data does.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))
import bookutils  # noqa: E402  (the book's helper module: one timing harness for all)

PREFETCH_MODES = ("none", "prefetch(1)", "prefetch(AUTOTUNE)")


def median_seconds(fn, repeats: int = 3, warmup: int = 1) -> tuple[float, list[float]]:
    """Median wall-clock seconds of fn() over `repeats` runs after `warmup` runs
    (the book's timing harness, bookutils.time_it)."""
    timing = bookutils.time_it(fn, repeats=repeats, warmup=warmup)
    return timing.median, timing.times


def options(inject_prefetch: bool = True, deterministic: bool | None = None) -> tf.data.Options:
    opts = tf.data.Options()
    opts.experimental_optimization.inject_prefetch = inject_prefetch
    if deterministic is not None:
        opts.deterministic = deterministic
    return opts


def controlled_pipeline(n: int, producer_s: float, prefetch: str = "none",
                        inject_prefetch: bool = False, log: list | None = None) -> tf.data.Dataset:
    """n elements, each produced by waiting `producer_s` seconds in a tf.data thread.

    prefetch: "none", "prefetch(1)" or "prefetch(AUTOTUNE)". inject_prefetch=False
    turns off tf.data's automatic prefetch, for a true no-prefetch baseline.
    With `log`, each production appends ("produce", start, end)."""
    def produce(i):
        start = time.perf_counter()
        time.sleep(producer_s)
        if log is not None:
            log.append(("produce", start, time.perf_counter()))
        return i

    ds = tf.data.Dataset.range(n).map(lambda i: tf.py_function(produce, [i], tf.int64))
    if prefetch == "prefetch(1)":
        ds = ds.prefetch(1)
    elif prefetch == "prefetch(AUTOTUNE)":
        ds = ds.prefetch(tf.data.AUTOTUNE)
    elif prefetch != "none":
        raise ValueError(f"unknown prefetch mode {prefetch!r}; use one of {PREFETCH_MODES}")
    return ds.with_options(options(inject_prefetch=inject_prefetch))


def consume(ds: tf.data.Dataset, consumer_s: float, log: list | None = None) -> int:
    """Iterate ds, 'training' for consumer_s seconds on each element."""
    count = 0
    for _ in ds:
        start = time.perf_counter()
        time.sleep(consumer_s)
        if log is not None:
            log.append(("consume", start, time.perf_counter()))
        count += 1
    return count


def predicted_seconds(n: int, producer_s: float, consumer_s: float, overlapped: bool) -> float:
    """The model: sequential n(P+C); overlapped n·max(P,C) + min(P,C) (the first
    element must be produced before anything overlaps)."""
    if overlapped:
        return n * max(producer_s, consumer_s) + min(producer_s, consumer_s)
    return n * (producer_s + consumer_s)


def pc_sweep(ratios=(0.25, 0.5, 1.0, 2.0, 4.0), consumer_s: float = 0.01, n: int = 20,
             repeats: int = 3) -> list[dict]:
    """Measured vs predicted time for each P/C ratio and prefetch mode."""
    rows = []
    for ratio in ratios:
        producer_s = ratio * consumer_s
        for mode in PREFETCH_MODES:
            def run():
                consume(controlled_pipeline(n, producer_s, mode), consumer_s)
            consume(controlled_pipeline(2, producer_s, mode), consumer_s)     # tracing
            measured, times = median_seconds(run, repeats=repeats, warmup=0)
            predicted = predicted_seconds(n, producer_s, consumer_s, overlapped=(mode != "none"))
            rows.append({"ratio": ratio, "mode": mode, "producer_s": producer_s,
                         "consumer_s": consumer_s, "n": n, "measured_s": measured,
                         "predicted_s": predicted, "error": measured / predicted - 1,
                         "times_s": times})
    return rows


def speedup_fraction(rows: list[dict], mode: str = "prefetch(AUTOTUNE)") -> list[dict]:
    """For each ratio: measured speedup of `mode` over no prefetch, the ideal
    (P+C)/max(P,C), and the fraction speedup / ideal that was achieved."""
    out = []
    for ratio in sorted({r["ratio"] for r in rows}):
        base = next(r for r in rows if r["ratio"] == ratio and r["mode"] == "none")
        fast = next(r for r in rows if r["ratio"] == ratio and r["mode"] == mode)
        p, c = base["producer_s"], base["consumer_s"]
        ideal = (p + c) / max(p, c)
        speedup = base["measured_s"] / fast["measured_s"]
        out.append({"ratio": ratio, "speedup": speedup, "ideal": ideal, "fraction": speedup / ideal})
    return out


def io_like(seconds: float):
    """A map function that waits (like a read from remote storage), GIL released."""
    def wait(x):
        time.sleep(seconds)
        return x
    return lambda x: tf.py_function(wait, [x], tf.int64)


def cpu_bound(side: int = 512):
    """A map function that computes: decoding a side×side RGB PNG of noise (a few
    milliseconds of single-threaded work in TensorFlow's C++, no Python)."""
    pixels = tf.random.stateless_uniform((side, side, 3), seed=[1, 2], maxval=255)
    png = tf.io.encode_png(tf.cast(pixels, tf.uint8))

    def decode(x):
        image = tf.io.decode_png(png)
        return x + tf.cast(tf.reduce_max(image) > 0, tf.int64) * 0
    return decode


def parallel_map_scaling(kind: str, calls=(1, 2, 4, 8), n: int = 64, repeats: int = 3) -> list[dict]:
    """Elements per second of a map with num_parallel_calls in `calls`.

    kind "io": each element waits 5 ms. kind "cpu": each element computes. Each
    map call is limited to one thread (max_intra_op_parallelism=1), so parallel
    calls are the only source of parallelism, and the pipeline gets a private
    thread pool large enough for every call: by default tf.data sizes it to the
    number of cores, which would cap even waiting calls at the core count."""
    fn = io_like(0.005) if kind == "io" else cpu_bound()
    rows = []
    for k in calls:
        opts = tf.data.Options()
        opts.threading.max_intra_op_parallelism = 1
        opts.threading.private_threadpool_size = max(calls)
        ds = tf.data.Dataset.range(n).map(fn, num_parallel_calls=k).with_options(opts)
        seconds, _ = median_seconds(lambda: ds.reduce(np.int64(0), lambda a, b: a + b),
                                    repeats=repeats, warmup=1)
        rows.append({"kind": kind, "num_parallel_calls": k, "elements_per_s": n / seconds})
    base = rows[0]["elements_per_s"]
    for row in rows:
        row["speedup"] = row["elements_per_s"] / base
    return rows


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


def csv_throughput(rows: int = 200_000, repeats: int = 3) -> list[dict]:
    """Rows per second of each reader on a generated file, and the ratio to the
    per-line reader."""
    with tempfile.TemporaryDirectory(prefix="tfdata-bench-") as tmp:
        path = str(write_csv(Path(tmp) / "big.csv", rows))
        small = str(write_csv(Path(tmp) / "small.csv", 300))
        results = []
        for name, reader in csv_readers().items():
            for _ in reader(small):             # tracing
                pass
            seconds, _ = median_seconds(lambda: sum(1 for _ in reader(path)), repeats=repeats, warmup=0)
            results.append({"reader": name, "rows_per_s": rows / seconds})
    base = results[0]["rows_per_s"]
    for row in results:
        row["ratio"] = row["rows_per_s"] / base
    return results


def run_all(quick: bool) -> dict:
    if quick:
        sweep = pc_sweep(ratios=(0.5, 1.0, 2.0), consumer_s=0.01, n=12, repeats=2)
        scaling = {kind: parallel_map_scaling(kind, calls=(1, 2, 4), n=32, repeats=2) for kind in ("io", "cpu")}
        csv = csv_throughput(rows=20_000, repeats=2)
    else:
        sweep = pc_sweep()
        scaling = {kind: parallel_map_scaling(kind) for kind in ("io", "cpu")}
        csv = csv_throughput()
    return {"quick": quick, "cores": os.cpu_count(), "tensorflow": tf.__version__,
            "pc_sweep": sweep, "prefetch_speedup": speedup_fraction(sweep),
            "parallel_map": scaling, "csv_readers": csv}


def prefetch_check(n: int = 20, producer_s: float = 0.01, consumer_s: float = 0.01,
                   repeats: int = 3, op_determinism: bool = False) -> dict:
    """Speedup of prefetch(1) over no prefetch (injection off) at one P, C."""
    times = {}
    for mode in ("none", "prefetch(1)"):
        consume(controlled_pipeline(2, producer_s, mode), consumer_s)
        times[mode], _ = median_seconds(
            lambda: consume(controlled_pipeline(n, producer_s, mode), consumer_s), repeats=repeats, warmup=0)
    return {"op_determinism": op_determinism,
            "none_s": times["none"], "prefetch_s": times["prefetch(1)"],
            "speedup": times["none"] / times["prefetch(1)"],
            "ideal": (producer_s + consumer_s) / max(producer_s, consumer_s)}


def markdown(results: dict) -> str:
    lines = [f"tf.data benchmarks ({'quick' if results['quick'] else 'full'} run, "
             f"{results['cores']} cores, TensorFlow {results['tensorflow']})", ""]
    lines += ["| P/C | mode | measured (s) | predicted (s) | error |", "| --- | --- | --- | --- | --- |"]
    for r in results["pc_sweep"]:
        lines.append(f"| {r['ratio']:g} | {r['mode']} | {r['measured_s']:.3f} | "
                     f"{r['predicted_s']:.3f} | {r['error']:+.1%} |")
    lines += ["", "| P/C | prefetch speedup | ideal (P+C)/max(P,C) | fraction of ideal |",
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
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure tf.data pipeline optimizations.")
    parser.add_argument("--quick", action="store_true", help="smaller sizes: under a minute")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
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
    results = run_all(args.quick)
    print(json.dumps(results, indent=2) if args.json else markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
