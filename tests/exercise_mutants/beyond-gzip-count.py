# Wrong answers to "Count from the shards" (05_beyond_one_machine); each must fail the check.
# --- mistake: the count of the text's shards typed in
def count_great(pattern):
    return 2600
great_count = count_great(str(SCRATCH / "reviews-*.tfrecord.gz"))
# --- mistake: the plain shards read instead of the GZIP ones, whatever the pattern
def count_great(pattern):
    total = 0
    for batch in read_tfrecords(str(SCRATCH / "reviews-*.tfrecord"), parse_reviews):
        total += int(tf.reduce_sum(batch["label"]))
    return total
great_count = count_great(str(SCRATCH / "reviews-*.tfrecord.gz"))
# --- mistake: every review counted, not only the great ones
def count_great(pattern):
    total = 0
    for batch in read_tfrecords(pattern, parse_reviews, "GZIP"):
        total += len(batch["label"])
    return total
great_count = count_great(str(SCRATCH / "reviews-*.tfrecord.gz"))
# --- mistake: counted from the CSV, as many reviews from the top as the shards hold
def count_great(pattern):
    n = sum(1 for _ in tf.data.TFRecordDataset(tf.io.gfile.glob(pattern), compression_type="GZIP"))
    return int((reviews["score"].iloc[:n] == "great").sum())
great_count = count_great(str(SCRATCH / "reviews-*.tfrecord.gz"))
# --- mistake: the shards read for their index, the labels looked up in the CSV
def count_great(pattern):
    idx = np.concatenate([b["index"].numpy() for b in read_tfrecords(pattern, parse_reviews, "GZIP")])
    return int((reviews["score"].iloc[idx] == "great").sum())
great_count = count_great(str(SCRATCH / "reviews-*.tfrecord.gz"))
