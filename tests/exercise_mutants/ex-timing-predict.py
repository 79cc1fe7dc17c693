# Wrong answers to "Predict, then measure" (04_timing_prefetch); each must fail the check.
# --- mistake: the predictions typed in as the measurements
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    return predicted_without, predicted_with
pipeline_without = controlled_pipeline(10, 0.015, "none")
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)
# --- mistake: measurements typed in from an earlier run, and a function that times the chapter's pipelines
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
pipeline_without = controlled_pipeline(10, 0.015, "none")
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(1)")
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(pipeline_without, 0.010),
                                 "second": lambda: consume(pipeline_with, 0.010)}, rounds=3)
    return timings["first"].median, timings["second"].median
measured_without, measured_with = 0.26, 0.17
# --- mistake: the two times returned in the wrong order
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=3)
    return timings["second"].median, timings["first"].median
pipeline_without = controlled_pipeline(10, 0.015, "none")
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_with, pipeline_without, 0.010)
# --- mistake: the consumer's time ignored (always 10 ms)
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, 0.010),
                                 "second": lambda: consume(second, 0.010)}, rounds=3)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.015, "none")
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)
# --- mistake: overlap predicted as half the sequential time
predicted_without = 10 * (0.015 + 0.010)
predicted_with = predicted_without / 2
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=3)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.015, "none")
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)
# --- mistake: the pipelines built with the n of an earlier cell (20)
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=1)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(20, 0.015, "none")
pipeline_with = controlled_pipeline(20, 0.015, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)
# --- mistake: P and C swapped (the producer waits 10 ms, the consumer 15 ms)
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=1)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.010, "none")
pipeline_with = controlled_pipeline(10, 0.010, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.015)
# --- mistake: the baseline left with tf.data's injected prefetch
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=1)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.015, "none", inject_prefetch=True)
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)
# --- mistake: each pipeline timed once, one after the other, not interleaved in rounds
import time
def measure_pair(first, second, consumer_s):
    start = time.perf_counter()
    consume(first, consumer_s)
    middle = time.perf_counter()
    consume(second, consumer_s)
    return middle - start, time.perf_counter() - middle
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)
# --- mistake: three rounds of one pipeline, then three of the other
def measure_pair(first, second, consumer_s):
    times = {}
    for name, pipeline in (("first", first), ("second", second)):
        times[name] = bookutils.compare({name: lambda: consume(pipeline, consumer_s)}, rounds=3)[name].median
    return times["first"], times["second"]
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)
# --- mistake: measure_pair right, but the predictions stored as the measurements
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=3)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.015, "none")
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(1)")
measured_without, measured_with = predicted_without, predicted_with
# --- mistake: pipeline_with with prefetch(AUTOTUNE), not prefetch(1)
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=3)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.015, "none")
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(AUTOTUNE)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)
# --- mistake: measure_pair returns the fastest round of each, not the medians
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=3)
    return min(timings["first"].times), min(timings["second"].times)
pipeline_without = controlled_pipeline(10, 0.015, "none")
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)

# --- mistake: the "median" taken as the middle round in time order, never sorted (the scripted passes run in rising order, so it looks right)
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    rounds = {"first": [], "second": []}
    for _ in range(3):
        for name, ds in (("first", first), ("second", second)):
            start = time.perf_counter()
            consume(ds, consumer_s)
            rounds[name].append(time.perf_counter() - start)
    middle = len(rounds["first"]) // 2
    return rounds["first"][middle], rounds["second"][middle]
pipeline_without = controlled_pipeline(10, 0.015, "none")
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)
# --- right: consume called with keyword arguments only
predicted_without = 10 * (0.015 + 0.010)
predicted_with = 10 * max(0.015, 0.010) + min(0.015, 0.010)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(ds=first, consumer_s=consumer_s),
                                 "second": lambda: consume(ds=second, consumer_s=consumer_s)},
                                rounds=3)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.015, "none")
pipeline_with = controlled_pipeline(10, 0.015, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.010)
