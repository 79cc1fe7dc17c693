# Wrong answers to "Predict, then measure" (04_timing_prefetch); each must fail the check.
# --- mistake: the predictions copied into the measurements
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
measured_without, measured_with = predicted_without, predicted_with
# --- mistake: the two measurements swapped
predicted_without = 10 * (0.030 + 0.020)
predicted_with = 10 * max(0.030, 0.020) + min(0.030, 0.020)
measured_with = bookutils.time_it(
    lambda: consume(controlled_pipeline(10, 0.030, "none"), 0.020), repeats=3).median
measured_without = bookutils.time_it(
    lambda: consume(controlled_pipeline(10, 0.030, "prefetch(1)"), 0.020), repeats=3).median
# --- mistake: overlap predicted as half the sequential time
predicted_without = 10 * (0.030 + 0.020)
predicted_with = predicted_without / 2
measured_without = predicted_without * 1.05
measured_with = predicted_with * 1.05
