# Wrong answers to "Predict, then measure" (04_timing_prefetch); each must fail the check.
# --- mistake: the predictions typed in as the measurements
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
def measure_pair(first, second, consumer_s):
    return predicted_without, predicted_with
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.020)
# --- mistake: measurements typed in from an earlier run, and a function that times the chapter's pipelines
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(pipeline_without, 0.020),
                                 "second": lambda: consume(pipeline_with, 0.020)}, rounds=3)
    return timings["first"].median, timings["second"].median
measured_without, measured_with = 0.52, 0.33
# --- mistake: the two times returned in the wrong order
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=3)
    return timings["second"].median, timings["first"].median
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_with, pipeline_without, 0.020)
# --- mistake: the consumer's time ignored (always 20 ms)
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, 0.020),
                                 "second": lambda: consume(second, 0.020)}, rounds=3)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.020)
# --- mistake: overlap predicted as half the sequential time
predicted_without = 10 * (0.030 + 0.020)
predicted_with = predicted_without / 2
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=3)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.020)
# --- mistake: the pipelines built with the n of an earlier cell (20)
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=1)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(20, 0.030, "none")
pipeline_with = controlled_pipeline(20, 0.030, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.020)
# --- mistake: P and C swapped (the producer waits 20 ms, the consumer 30 ms)
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=1)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.020, "none")
pipeline_with = controlled_pipeline(10, 0.020, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.030)
# --- mistake: the baseline left with tf.data's injected prefetch
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=1)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.030, "none", inject_prefetch=True)
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.020)
# --- mistake: each pipeline timed once, one after the other, not interleaved in rounds
import time
def measure_pair(first, second, consumer_s):
    start = time.perf_counter()
    consume(first, consumer_s)
    middle = time.perf_counter()
    consume(second, consumer_s)
    return middle - start, time.perf_counter() - middle
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.020)
# --- mistake: three rounds of one pipeline, then three of the other
def measure_pair(first, second, consumer_s):
    times = {}
    for name, pipeline in (("first", first), ("second", second)):
        times[name] = bookutils.compare({name: lambda: consume(pipeline, consumer_s)}, rounds=3)[name].median
    return times["first"], times["second"]
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.020)
# --- mistake: measure_pair right, but the predictions stored as the measurements
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=3)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
measured_without, measured_with = predicted_without, predicted_with
# --- mistake: pipeline_with with prefetch(AUTOTUNE), not prefetch(1)
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare({"first": lambda: consume(first, consumer_s),
                                 "second": lambda: consume(second, consumer_s)}, rounds=3)
    return timings["first"].median, timings["second"].median
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(AUTOTUNE)")
measured_without, measured_with = measure_pair(pipeline_without, pipeline_with, 0.020)
