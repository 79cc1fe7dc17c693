# Wrong answers to "Count what is missing" (03_csv_files); each must fail the check.
# --- mistake: the NA of the Sex column counted
def mass_is_missing(path):
    sex_col = penguin_columns.index("Sex")
    return tf.data.TextLineDataset(path).skip(1).map(lambda line: tf.cast(
        tf.io.decode_csv(line, record_defaults=[tf.constant([""])], select_cols=[sex_col])[0] == "NA", tf.int32))
def count_missing(path):
    return int(mass_is_missing(path).reduce(0, lambda n, v: n + v))
# --- mistake: a row counted when any of its values is NA
def mass_is_missing(path):
    defaults = [tf.constant([""])] * len(penguin_columns)
    return tf.data.TextLineDataset(path).skip(1).map(lambda line: tf.cast(tf.reduce_any(
        tf.stack(tf.io.decode_csv(line, record_defaults=defaults)) == "NA"), tf.int32))
def count_missing(path):
    return int(mass_is_missing(path).reduce(0, lambda n, v: n + v))
# --- mistake: counted with pandas, the pipeline only pretended
import pandas as pd
def mass_is_missing(path):
    flags = pd.read_csv(path)["Body Mass (g)"].isna().astype("int32").to_numpy()
    return tf.data.Dataset.from_tensor_slices(flags)
def count_missing(path):
    return int(pd.read_csv(path)["Body Mass (g)"].isna().sum())
# --- mistake: the file's own rows, read with Python and handed to tf.data
def mass_is_missing(path):
    with open(path, newline="") as f:
        flags = [int(row["Body Mass (g)"] == "NA") for row in csv.DictReader(f)]
    return tf.data.TextLineDataset(path).skip(1).map(lambda line: 0).concatenate(
        tf.data.Dataset.from_tensor_slices(flags)).skip(len(flags))
def count_missing(path):
    return int(mass_is_missing(path).reduce(0, lambda n, v: n + v))
# --- mistake: the rows matched with a regular expression, not parsed with decode_csv
def mass_is_missing(path):
    return tf.data.TextLineDataset(path).skip(1).map(
        lambda line: tf.cast(tf.strings.regex_full_match(line, "(?:[^,]*,){12}NA,.*"), tf.int32))
def count_missing(path):
    return int(mass_is_missing(path).reduce(0, lambda n, v: n + v))
# --- mistake: the header line counted as a row (no skip)
def mass_is_missing(path):
    mass_col = penguin_columns.index("Body Mass (g)")
    return tf.data.TextLineDataset(path).map(lambda line: tf.cast(tf.math.is_nan(tf.io.decode_csv(
        line, record_defaults=[tf.constant([np.nan], tf.float32)], select_cols=[mass_col], na_value="NA")[0]),
        tf.int32))
def count_missing(path):
    return int(mass_is_missing(path).reduce(0, lambda n, v: n + v))
# --- mistake: the flags read with Python's csv module, zipped beside a TextLineDataset whose decode_csv result is multiplied by zero
def mass_is_missing(path):
    with open(path, newline="") as f:
        flags = [int(row["Body Mass (g)"] == "NA") for row in csv.DictReader(f)]
    lines = tf.data.TextLineDataset(path).skip(1)
    return tf.data.Dataset.zip((lines, tf.data.Dataset.from_tensor_slices(tf.constant(flags, tf.int32)))).map(
        lambda line, flag: flag + 0 * tf.size(tf.io.decode_csv(line, record_defaults=[tf.constant([""])],
                                                               select_cols=[0])[0]))
def count_missing(path):
    return int(mass_is_missing(path).reduce(0, lambda n, v: n + v))
# --- mistake: the pipeline right, the count made in Python over its elements, not with reduce
def mass_is_missing(path):
    mass_col = penguin_columns.index("Body Mass (g)")
    def missing(line):
        mass = tf.io.decode_csv(line, record_defaults=[tf.constant([np.nan], tf.float32)],
                                select_cols=[mass_col], na_value="NA")[0]
        return tf.cast(tf.math.is_nan(mass), tf.int32)
    return tf.data.TextLineDataset(path).skip(1).map(missing)
def count_missing(path):
    return sum(int(v) for v in mass_is_missing(path).as_numpy_iterator())
# --- mistake: the pipeline right, the count a number read off the chapter (PENGUINS' 2), whatever the file
def mass_is_missing(path):
    mass_col = penguin_columns.index("Body Mass (g)")
    def missing(line):
        mass = tf.io.decode_csv(line, record_defaults=[tf.constant([np.nan], tf.float32)],
                                select_cols=[mass_col], na_value="NA")[0]
        return tf.cast(tf.math.is_nan(mass), tf.int32)
    return tf.data.TextLineDataset(path).skip(1).map(missing)
def count_missing(path):
    int(mass_is_missing(path).reduce(0, lambda n, v: n + v))
    return int(survey.loc["Body Mass (g)", "missing"])
# --- right: the count reduced as a tf.int64 tensor, not converted to int
def mass_is_missing(path):
    mass_col = penguin_columns.index("Body Mass (g)")
    return tf.data.TextLineDataset(path).skip(1).map(lambda line: tf.cast(tf.math.is_nan(tf.io.decode_csv(
        line, record_defaults=[tf.constant([np.nan], tf.float32)], select_cols=[mass_col], na_value="NA")[0]),
        tf.int64))
def count_missing(path):
    return mass_is_missing(path).reduce(tf.constant(0, tf.int64), lambda n, v: n + v)
# --- mistake: reduce run over a copy made in Python of the flags, not over the pipeline
def mass_is_missing(path):
    mass_col = penguin_columns.index("Body Mass (g)")
    def missing(line):
        mass = tf.io.decode_csv(line, record_defaults=[tf.constant([np.nan], tf.float32)],
                                select_cols=[mass_col], na_value="NA")[0]
        return tf.cast(tf.math.is_nan(mass), tf.int32)
    return tf.data.TextLineDataset(path).skip(1).map(missing)

def count_missing(path):
    flags = list(mass_is_missing(path).as_numpy_iterator())
    return int(tf.data.Dataset.from_tensor_slices(np.array(flags, np.int32))
               .reduce(0, lambda n, flag: n + flag))
# --- mistake: a reduce called for show, the count made by Python's sum
def mass_is_missing(path):
    mass_col = penguin_columns.index("Body Mass (g)")
    def missing(line):
        mass = tf.io.decode_csv(line, record_defaults=[tf.constant([np.nan], tf.float32)],
                                select_cols=[mass_col], na_value="NA")[0]
        return tf.cast(tf.math.is_nan(mass), tf.int32)
    return tf.data.TextLineDataset(path).skip(1).map(missing)

def count_missing(path):
    flags = mass_is_missing(path)
    rows = int(flags.reduce(0, lambda n, _: n + 1))
    return sum(int(f) for f in flags.as_numpy_iterator())
# --- right: every column decoded as text, the mass field compared with "NA"
def mass_is_missing(path):
    mass_col = penguin_columns.index("Body Mass (g)")
    def missing(line):
        fields = tf.io.decode_csv(line, record_defaults=[""] * len(penguin_columns))
        return tf.cast(tf.equal(fields[mass_col], "NA"), tf.int32)
    return tf.data.TextLineDataset(path).skip(1).map(missing)

def count_missing(path):
    return int(mass_is_missing(path).reduce(0, lambda n, flag: n + flag))

print(count_missing(PENGUINS))
# --- right: counted by reduce over batches of flags
def mass_is_missing(path):
    mass_col = penguin_columns.index("Body Mass (g)")
    def missing(line):
        mass, = tf.io.decode_csv(line, record_defaults=[np.nan], select_cols=[mass_col],
                                 na_value="NA")
        return tf.where(tf.math.is_nan(mass), 1, 0)
    return tf.data.TextLineDataset(path).skip(1).map(missing)

def count_missing(path):
    return int(mass_is_missing(path).batch(100).reduce(0, lambda n, b: n + tf.reduce_sum(b)))
