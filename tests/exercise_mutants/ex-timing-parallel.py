# Wrong answers to "Parallelize the slow stage" (04_timing_prefetch); each must fail the check.
# --- mistake: the waiting map dropped (the same numbers, nothing read)
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
faster = tf.data.Dataset.range(32)
# --- mistake: parallel calls, but tf.data's default thread pool (one thread per core)
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
faster = tf.data.Dataset.range(32).map(io_like(0.010), num_parallel_calls=8)
# --- mistake: two parallel calls, not enough to reach 2.5 times
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
two_calls = tf.data.Options()
two_calls.threading.private_threadpool_size = 8
faster = tf.data.Dataset.range(32).map(io_like(0.010), num_parallel_calls=2).with_options(two_calls)
