# Wrong answers to "Parallelize the slow stage" (04_timing_prefetch); each must fail the check.
# --- mistake: the waiting map dropped (the same numbers, nothing read)
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
faster = tf.data.Dataset.range(32)
# --- mistake: parallel calls, in tf.data's shared threads (no private thread pool)
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
faster = tf.data.Dataset.range(32).map(io_like(0.010), num_parallel_calls=8)
# --- mistake: two parallel calls, not enough to reach 5 times
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
two_calls = tf.data.Options()
two_calls.threading.private_threadpool_size = 8
faster = tf.data.Dataset.range(32).map(io_like(0.010), num_parallel_calls=2).with_options(two_calls)
# --- mistake: a cache, which the first pass fills and later passes replay without waiting
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
faster = slow_stage.cache()
# --- mistake: a shorter wait in parallel, another stage than the slow one
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
short_opts = tf.data.Options()
short_opts.threading.private_threadpool_size = 8
faster = tf.data.Dataset.range(32).map(io_like(0.001), num_parallel_calls=8).with_options(short_opts)
# --- right: sixteen parallel calls, sixteen threads, and a prefetch at the end
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
autotune_opts = tf.data.Options()
autotune_opts.threading.private_threadpool_size = 16
faster = (tf.data.Dataset.range(32).map(io_like(0.010), num_parallel_calls=16)
          .prefetch(tf.data.AUTOTUNE).with_options(autotune_opts))
# --- right: the waits in a parallel interleave of one-element datasets
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
parallel_options = tf.data.Options()
parallel_options.threading.private_threadpool_size = 8
faster = (tf.data.Dataset.range(32)
          .interleave(lambda x: tf.data.Dataset.from_tensors(x).map(io_like(0.010)),
                      cycle_length=8, num_parallel_calls=8, deterministic=True)
          .with_options(parallel_options))
# --- mistake: no waiting map, with waits_in_one_pass rebound to report 32 waits
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
faster = tf.data.Dataset.range(32).map(lambda x: x, num_parallel_calls=8)
waits_in_one_pass = lambda dataset: [0.010] * 32
# --- mistake: snapshot() replaying the elements like a cache
slow_stage = tf.data.Dataset.range(32).map(io_like(0.010))
faster = (tf.data.Dataset.range(32).map(io_like(0.010))
          .snapshot(str(bookutils.scratch_dir("replayed")),
                    shard_func=lambda x: tf.constant(0, tf.int64),
                    reader_func=lambda shards: shards.flat_map(lambda shard: shard))
          .map(lambda x: x, num_parallel_calls=2))
