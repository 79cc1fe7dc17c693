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
