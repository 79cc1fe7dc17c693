# Wrong answers to "Counting batches" (00_pipeline_basics); each must fail the check.
# --- mistake: rounded down instead of up for the kept batches
batches_kept = 1000 // 64
batches_dropped = 1000 // 64
elements_lost = 1000 - 64 * (1000 // 64)
# --- mistake: the lost elements counted as the missing part of the last batch
batches_kept = 16
batches_dropped = 15
elements_lost = 64 - 1000 % 64
# --- mistake: drop_remainder thought to drop nothing
batches_kept = 16
batches_dropped = 16
elements_lost = 0
