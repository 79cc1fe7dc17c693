# Wrong answers to "Read the semicolon file" (03_csv_files); each must fail the check.
# --- mistake: the training file's first row typed in, the semicolon file never read
semicolon_ds = tf.data.Dataset.from_tensors((reference[0][:1], reference[1][:1]))
# --- mistake: the header line not skipped
def parse_semicolon_batch(lines):
    columns = tf.io.decode_csv(lines, record_defaults=REQUIRED, field_delim=";")
    return tf.stack(columns[:n_features], axis=1), columns[n_features]
semicolon_ds = tf.data.TextLineDataset(str(bad_dir / "semicolons.csv")).batch(BATCH).map(parse_semicolon_batch)
# --- mistake: the comma reader left pointed at the training file
def parse_comma_batch(lines):
    columns = tf.io.decode_csv(lines, record_defaults=REQUIRED)
    return tf.stack(columns[:n_features], axis=1), columns[n_features]
semicolon_ds = tf.data.TextLineDataset(TRAIN_CSV).skip(1).batch(BATCH).map(parse_comma_batch)
# --- mistake: each line decoded on its own, then batched (the reader to adapt decodes batches)
def parse_semicolon_line(line):
    columns = tf.io.decode_csv(line, record_defaults=REQUIRED, field_delim=";")
    return tf.stack(columns[:n_features]), columns[n_features]
semicolon_ds = (tf.data.TextLineDataset(str(bad_dir / "semicolons.csv")).skip(1)
                .map(parse_semicolon_line).batch(BATCH))
# --- mistake: decoded line by line, batched, then a map that does nothing
def parse_semicolon_line(line):
    columns = tf.io.decode_csv(line, record_defaults=REQUIRED, field_delim=";")
    return tf.stack(columns[:n_features]), columns[n_features]
semicolon_ds = (tf.data.TextLineDataset(str(bad_dir / "semicolons.csv")).skip(1)
                .map(parse_semicolon_line).batch(BATCH).map(lambda features, label: (features, label)))
# --- mistake: the batch split on ";" by hand, with a decode_csv(field_delim=";") of a constant line that only adds zero
def parse_by_splitting(lines):
    fields = tf.strings.split(lines, ";").to_tensor()
    features = tf.strings.to_number(fields[:, :n_features], tf.float32)
    label = tf.strings.to_number(fields[:, n_features], tf.int32)
    decoy = tf.io.decode_csv(tf.constant(["0;0"]), record_defaults=[[0], [0]], field_delim=";")
    return features, label + 0 * decoy[0][0]

semicolon_ds = (tf.data.TextLineDataset(str(bad_dir / "semicolons.csv")).skip(1)
                .batch(BATCH).map(parse_by_splitting))
# --- mistake: every column, the label too, decoded as float32 (the reader delivers int32 labels)
def parse_semicolon_floats(lines):
    columns = tf.io.decode_csv(lines, record_defaults=[tf.constant([], tf.float32)] * (n_features + 1),
                               field_delim=";")
    return tf.stack(columns[:n_features], axis=1), columns[n_features]

semicolon_ds = (tf.data.TextLineDataset(str(bad_dir / "semicolons.csv")).skip(1)
                .batch(BATCH).map(parse_semicolon_floats))
# --- right: the adapted reader with a cache() after decoding (the chapter's fit_ds caches parsed rows too)
def parse_semicolon_batch(lines):
    columns = tf.io.decode_csv(lines, record_defaults=REQUIRED, field_delim=";")
    return tf.stack(columns[:n_features], axis=1), columns[n_features]

semicolon_ds = (tf.data.TextLineDataset(str(bad_dir / "semicolons.csv")).skip(1)
                .batch(BATCH).map(parse_semicolon_batch, num_parallel_calls=tf.data.AUTOTUNE)
                .cache().prefetch(tf.data.AUTOTUNE))
# --- right: batch_then_decode generalised with a separator argument
def batch_then_decode_with(path, delimiter=","):
    def parse(lines):
        columns = tf.io.decode_csv(lines, record_defaults=REQUIRED, field_delim=delimiter)
        return tf.stack(columns[:n_features], axis=1), columns[n_features]
    return tf.data.TextLineDataset(path).skip(1).batch(BATCH).map(parse)

semicolon_ds = batch_then_decode_with(str(bad_dir / "semicolons.csv"), delimiter=";")
