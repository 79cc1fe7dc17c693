# Wrong answers to "One-hot in the pipeline" (01_images_from_numpy); each must fail the check.
# Not kept, because no check can see it (CONTRIBUTING, "What a check cannot see"): onehot_ds
# built right, the model trained on NumPy arrays beside it for the same number of steps.
# --- mistake: labels left as integers
onehot_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(prepare).batch(64)
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = 0.95
# --- mistake: pixels not scaled into [0, 1]
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
             .map(lambda image, label: (tf.cast(image, tf.float32)[..., None], tf.one_hot(label, 10)))
             .batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = 0.95
# --- mistake: a good-looking accuracy typed in, the model never trained
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10))).shuffle(len(x_train), seed=SEED).batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = 0.97
# --- mistake: labels one-hot encoded outside the pipeline, with to_categorical (float64)
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, keras.utils.to_categorical(y_train, 10)))
             .map(lambda image, label: (prepare(image, 0)[0], label)).shuffle(len(x_train), seed=SEED).batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds.take(2), epochs=1, shuffle=False, verbose=0).history["accuracy"][-1]
# --- mistake: labels one-hot encoded outside the pipeline, cast to float32 so the types match
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, np.eye(10, dtype="float32")[y_train]))
             .map(lambda image, label: (prepare(image, 0)[0], label)).shuffle(len(x_train), seed=SEED).batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0)
onehot_accuracy = onehot_model.evaluate(onehot_ds, verbose=0)[1]
# --- mistake: the chapter's trained model reused, recompiled for one-hot labels
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10))).shuffle(len(x_train), seed=SEED).batch(64))
onehot_model = model
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0).history["accuracy"][-1]
# --- mistake: a new model that starts from the trained model's weights
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10))).shuffle(len(x_train), seed=SEED).batch(64))
onehot_model = make_cnn()
onehot_model.set_weights(model.get_weights())
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0).history["accuracy"][-1]
# --- mistake: trained for 2 epochs, not 5
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10))).shuffle(len(x_train), seed=SEED).batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=2, shuffle=False, verbose=0).history["accuracy"][-1]
# --- mistake: trained as asked, the accuracy typed in
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10))).shuffle(len(x_train), seed=SEED).batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0)
onehot_accuracy = 0.9
# --- right: the metric under another name
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10))).shuffle(len(x_train), seed=SEED).batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0).history["categorical_accuracy"][-1]
# --- mistake: built from the training and the test images
onehot_ds = (tf.data.Dataset.from_tensor_slices((np.concatenate([x_train, x_test]),
                                                 np.concatenate([y_train, y_test])))
             .map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10)))
             .shuffle(len(x_train) + len(x_test), seed=SEED)
             .batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0).history["accuracy"][-1]
# --- mistake: smoothed rows (0.91 / 0.01), not one-hot
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
             .map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10, on_value=0.91, off_value=0.01)))
             .shuffle(len(x_train), seed=SEED)
             .batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0).history["accuracy"][-1]
# --- right: metrics=["acc"], Keras's alias
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
             .map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10)))
             .shuffle(len(x_train), seed=SEED)
             .batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["acc"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0).history["acc"][-1]
# --- mistake: labels one-hot encoded outside the pipeline (np.eye), with a tf.one_hot in the map that only adds zero
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, np.eye(10, dtype="float32")[y_train]))
             .map(lambda image, label: (prepare(image, 0)[0], label + 0.0 * tf.one_hot(0, 10)))
             .shuffle(len(x_train), seed=SEED)
             .batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0).history["accuracy"][-1]
# --- right: the chapter's "one iterator" recipe: onehot_ds repeats, fit takes 5 epochs of 23 steps
steps = -(-len(x_train) // 64)
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
             .map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10)))
             .shuffle(len(x_train), seed=SEED)
             .batch(64)
             .repeat())
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, steps_per_epoch=steps, shuffle=False,
                                   verbose=0).history["accuracy"][-1]
# --- mistake: the loss that does not fit: mean squared error on the softmax outputs (the check never looks at the loss)
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
             .map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10)))
             .shuffle(len(x_train), seed=SEED)
             .batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0).history["accuracy"][-1]
# --- mistake: one-hot rows made outside (np.eye) and carried as a middle component; a tf.one_hot of the label added as zero
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, np.eye(10, dtype="float32")[y_train], y_train))
             .map(lambda image, row, label: (prepare(image, label)[0], row + 0.0 * tf.one_hot(label, 10)))
             .shuffle(len(x_train), seed=SEED)
             .batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0).history["accuracy"][-1]
# --- right: one-hot after batching, on whole batches of labels, from the chapter's `prepared` dataset
onehot_ds = (prepared.shuffle(len(x_train), seed=SEED)
             .batch(64)
             .map(lambda images, labels: (images, tf.one_hot(tf.cast(labels, tf.int32), depth=10))))
onehot_model = make_cnn()
onehot_model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.CategoricalCrossentropy(),
                     metrics=[keras.metrics.CategoricalAccuracy()])
history_1h = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0)
onehot_accuracy = history_1h.history["categorical_accuracy"][-1]
# --- right: trained with validation data too (history has val_ keys as well)
onehot_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
             .map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10)))
             .shuffle(len(x_train), seed=SEED)
             .batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, validation_data=onehot_ds.take(3), epochs=5, shuffle=False,
                                   verbose=0).history["accuracy"][-1]
# --- right: the images and the labels sliced apart and zipped
onehot_ds = (tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(x_train),
                                  tf.data.Dataset.from_tensor_slices(y_train)))
             .map(prepare)
             .map(lambda image, label: (image, tf.one_hot(label, 10)))
             .shuffle(len(x_train), seed=SEED)
             .batch(64))
onehot_model = make_cnn()
onehot_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
onehot_accuracy = onehot_model.fit(onehot_ds, epochs=5, shuffle=False, verbose=0).history["accuracy"][-1]
