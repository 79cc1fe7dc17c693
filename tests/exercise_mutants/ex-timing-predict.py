# Wrong answers to "Predict, then measure" (04_timing_prefetch); each must fail the check.
# --- mistake: the predictions copied into the measurements
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
measured_without, measured_with = predicted_without, predicted_with
# --- mistake: the two measurements swapped
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
measured_with = bookutils.time_it(lambda: consume(pipeline_without, 0.020), repeats=3).median
measured_without = bookutils.time_it(lambda: consume(pipeline_with, 0.020), repeats=3).median
# --- mistake: overlap predicted as half the sequential time
predicted_without = 10 * (0.030 + 0.020)
predicted_with = predicted_without / 2
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
measured_without = predicted_without * 1.05
measured_with = predicted_with * 1.05
# --- mistake: the pipelines built with the n of an earlier cell (20)
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
pipeline_without = controlled_pipeline(20, 0.030, "none")
pipeline_with = controlled_pipeline(20, 0.030, "prefetch(1)")
timings = bookutils.compare({"without": lambda: consume(pipeline_without, 0.020),
                             "with": lambda: consume(pipeline_with, 0.020)}, rounds=1)
measured_without, measured_with = timings["without"].median, timings["with"].median
# --- mistake: P and C swapped (the producer waits 20 ms, the consumer 30 ms)
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
pipeline_without = controlled_pipeline(10, 0.020, "none")
pipeline_with = controlled_pipeline(10, 0.020, "prefetch(1)")
timings = bookutils.compare({"without": lambda: consume(pipeline_without, 0.030),
                             "with": lambda: consume(pipeline_with, 0.030)}, rounds=1)
measured_without, measured_with = timings["without"].median, timings["with"].median
# --- mistake: the baseline left with tf.data's injected prefetch
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
pipeline_without = controlled_pipeline(10, 0.030, "none", inject_prefetch=True)
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
timings = bookutils.compare({"without": lambda: consume(pipeline_without, 0.020),
                             "with": lambda: consume(pipeline_with, 0.020)}, rounds=1)
measured_without, measured_with = timings["without"].median, timings["with"].median
# --- mistake: each measurement a single run, taken in the wrong order
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
pipeline_without = controlled_pipeline(10, 0.030, "none")
pipeline_with = controlled_pipeline(10, 0.030, "prefetch(1)")
measured_with = bookutils.time_it(lambda: consume(pipeline_without, 0.020), repeats=1, warmup=0).median
measured_without = bookutils.time_it(lambda: consume(pipeline_with, 0.020), repeats=1, warmup=0).median
