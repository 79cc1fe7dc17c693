# Wrong answers to "Count what is missing" (03_csv_files); each must fail the check.
# --- mistake: the NA of the Sex column counted
sex_col = penguin_columns.index("Sex")
sex = tf.data.TextLineDataset(PENGUINS).skip(1).map(
    lambda line: tf.io.decode_csv(line, record_defaults=[tf.constant([""])], select_cols=[sex_col])[0])
missing_mass = int(sex.reduce(0, lambda n, value: n + tf.cast(value == "NA", tf.int32)))
# --- mistake: every NA in a row counted, not only the body mass
missing_mass = int(tf.data.TextLineDataset(PENGUINS).skip(1).reduce(
    0, lambda n, line: n + tf.cast(tf.strings.regex_full_match(line, ".*,NA,.*"), tf.int32)))
# --- mistake: the count left as a float
mass_col = penguin_columns.index("Body Mass (g)")
mass = tf.data.TextLineDataset(PENGUINS).skip(1).map(
    lambda line: tf.io.decode_csv(line, record_defaults=[tf.constant([np.nan], tf.float32)],
                                  select_cols=[mass_col], na_value="NA")[0])
missing_mass = float(mass.reduce(0.0, lambda n, value: n + tf.cast(tf.math.is_nan(value), tf.float32)))
