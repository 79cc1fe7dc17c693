# Wrong answers to "Only the mean features" (03_csv_files); each must fail the check.
# --- mistake: every column parsed, the mean ones sliced out afterwards (select_cols not used)
mean_idx = [i for i, name in enumerate(header) if name.startswith("mean_")]
def parse_all_then_slice(lines):
    columns = tf.io.decode_csv(lines, record_defaults=REQUIRED)
    return tf.stack([columns[i] for i in mean_idx], axis=1), columns[-1]
mean_only = tf.data.TextLineDataset(TRAIN_CSV).skip(1).batch(64).map(parse_all_then_slice)
# --- mistake: the worst_ columns instead of the mean_ ones
worst_cols = [i for i, name in enumerate(header) if name.startswith("worst_")] + [len(header) - 1]
def parse_worst(lines):
    columns = tf.io.decode_csv(lines, record_defaults=[tf.constant([], tf.float32)] * 10
                               + [tf.constant([], tf.int32)], select_cols=worst_cols)
    return tf.stack(columns[:10], axis=1), columns[10]
mean_only = tf.data.TextLineDataset(TRAIN_CSV).skip(1).batch(64).map(parse_worst)
# --- mistake: the label read as a float
mean_cols = [i for i, name in enumerate(header) if name.startswith("mean_")] + [len(header) - 1]
def parse_float_label(lines):
    columns = tf.io.decode_csv(lines, record_defaults=[tf.constant([], tf.float32)] * 11, select_cols=mean_cols)
    return tf.stack(columns[:10], axis=1), columns[10]
mean_only = tf.data.TextLineDataset(TRAIN_CSV).skip(1).batch(64).map(parse_float_label)
# --- mistake: batches of BATCH (256), copied from the batch-then-decode reader, not 64
mean_cols = [i for i, name in enumerate(header) if name.startswith("mean_")] + [len(header) - 1]
def parse_means(lines):
    columns = tf.io.decode_csv(lines, record_defaults=[tf.constant([], tf.float32)] * 10
                               + [tf.constant([], tf.int32)], select_cols=mean_cols)
    return tf.stack(columns[:10], axis=1), columns[10]
mean_only = tf.data.TextLineDataset(TRAIN_CSV).skip(1).batch(BATCH).map(parse_means)
# --- mistake: select_cols naming every column, the mean ones sliced out afterwards
mean_idx = [i for i, name in enumerate(header) if name.startswith("mean_")]
def parse_all_then_slice(lines):
    columns = tf.io.decode_csv(lines, record_defaults=REQUIRED, select_cols=list(range(len(header))))
    return tf.stack([columns[i] for i in mean_idx], axis=1), columns[-1]
mean_only = tf.data.TextLineDataset(TRAIN_CSV).skip(1).batch(64).map(parse_all_then_slice)
# --- mistake: read with pandas, with a decode_csv of eleven select_cols that parses only a constant line
mean_names = [name for name in FEATURES if name.startswith("mean_")]
frame = pd.read_csv(TRAIN_CSV)
DUMMY_LINE = ",".join(["0"] * 11)

def touch_decode_csv(x, y):
    cols = tf.io.decode_csv(tf.fill(tf.shape(y), DUMMY_LINE),
                            record_defaults=[tf.constant([], tf.float32)] * 11,
                            select_cols=list(range(11)))
    return x + 0.0 * cols[0][:, tf.newaxis], y

mean_only = (tf.data.Dataset.from_tensor_slices((frame[mean_names].to_numpy(np.float32),
                                                 frame[LABEL].to_numpy(np.int32)))
             .batch(64).map(touch_decode_csv))
# --- mistake: the chapter's already-parsed arrays (`reference`) sliced and handed to tf.data, with the same do-nothing decode_csv
mean_idx = [i for i, name in enumerate(FEATURES) if name.startswith("mean_")]
DUMMY_LINE = ",".join(["0"] * 11)

def touch_decode_csv(x, y):
    cols = tf.io.decode_csv(tf.fill(tf.shape(y), DUMMY_LINE),
                            record_defaults=[tf.constant([], tf.float32)] * 11,
                            select_cols=list(range(11)))
    return x + 0.0 * cols[0][:, tf.newaxis], y

mean_only = (tf.data.Dataset.from_tensor_slices((reference[0][:, mean_idx], reference[1].astype(np.int32)))
             .batch(64).map(touch_decode_csv))
# --- mistake: every field parsed by hand (split + string_to_number), a decode_csv with the eleven select_cols used only for the label
mean_cols = [i for i, name in enumerate(header) if name.startswith("mean_")] + [len(header) - 1]

def parse_all_by_hand(lines):
    fields = tf.strings.to_number(tf.strings.split(lines, ",").to_tensor(), tf.float32)
    label = tf.io.decode_csv(lines, record_defaults=[tf.constant([], tf.float32)] * 10
                             + [tf.constant([], tf.int32)], select_cols=mean_cols)[10]
    return tf.gather(fields, mean_cols[:10], axis=1), label

mean_only = tf.data.TextLineDataset(TRAIN_CSV).skip(1).batch(64).map(parse_all_by_hand)
# --- right: decoded line by line, then batched by 64
mean_cols = [i for i, name in enumerate(header) if name.startswith("mean_")] + [len(header) - 1]

def parse_mean_line(line):
    *means, label = tf.io.decode_csv(line, record_defaults=[0.0] * 10 + [0],
                                     select_cols=mean_cols)
    return tf.stack(means), label

mean_only = tf.data.TextLineDataset(TRAIN_CSV).skip(1).map(parse_mean_line).batch(64)
# --- right: the file listed with list_files and read through interleave, as the chapter reads shards
mean_cols = [i for i, name in enumerate(header) if name.startswith("mean_")] + [len(header) - 1]

def parse_means_batch(lines):
    columns = tf.io.decode_csv(lines, record_defaults=[tf.constant([], tf.float32)] * 10
                               + [tf.constant([], tf.int32)], select_cols=mean_cols)
    return tf.stack(columns[:10], axis=1), columns[10]

mean_only = (tf.data.Dataset.list_files(TRAIN_CSV)
             .interleave(lambda path: tf.data.TextLineDataset(path).skip(1))
             .batch(64).map(parse_means_batch))
