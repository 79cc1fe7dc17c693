# Wrong answers to "Do word pairs help?" (02_text_vectorization); each must fail the check.
# Not kept, because no check can see it (CONTRIBUTING, "What a check cannot see"): the test
# reviews repeated into as many batches as fit_ds has, for the 4 epochs asked.
# --- mistake: word pairs kept (ngrams=2)
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=2, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts.take(2))   # a small vocabulary keeps the test quick
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid")])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: the training accuracy reported instead of the validation accuracy
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts.take(2))   # a small vocabulary keeps the test quick
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid")])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_accuracy = unigram_model.fit(fit_ds.take(4), epochs=1, shuffle=False, verbose=0).history["accuracy"][-1]
# --- mistake: the bigram model's validation accuracy copied
unigram_model = bag_model
unigram_accuracy = bag_history.history["val_accuracy"][-1]
# --- mistake: the layer adapted on all the training reviews, validation ones included
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts.concatenate(val_ds.unbatch().map(lambda text, label: text)))
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid")])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: the layer adapted on the validation text
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(val_ds.map(lambda text, label: text))
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid")])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: trained on all the training reviews (`train_ds`), validation ones included
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid",
                                                     kernel_regularizer=keras.regularizers.l2(1e-4))])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(train_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: word counts, not presence (the chapter's bag model marks presence)
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="count",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
    keras.layers.Dense(1, activation="sigmoid", kernel_regularizer=keras.regularizers.l2(1e-4))])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: the validation reviews in the vocabulary and in training, through the names the check once read
fit_texts = tf.data.Dataset.from_tensor_slices(train_texts.astype(bytes)).batch(256)
fit_ds = make_pipeline(train_texts, train_labels, training=True)
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
    keras.layers.Dense(1, activation="sigmoid", kernel_regularizer=keras.regularizers.l2(1e-4))])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: the area under the curve stored as the accuracy
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
    keras.layers.Dense(1, activation="sigmoid", kernel_regularizer=keras.regularizers.l2(1e-4))])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(name="auc")])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- right: metrics=["acc"], Keras's alias
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid",
                                                     kernel_regularizer=keras.regularizers.l2(1e-4))])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["acc"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: the L2 regularizer dropped
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid")])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: a hidden layer added
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid",
                                                     kernel_regularizer=keras.regularizers.l2(1e-4))])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: a bigram TextVectorization beside the unigram one
review_in = keras.Input(shape=(), dtype="string")
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
pairs_layer = keras.layers.TextVectorization(max_tokens=20000, ngrams=2, output_mode="multi_hot",
                                             standardize=standardize_review)
pairs_layer.adapt(fit_texts)
both = keras.layers.Concatenate()([layer_1(review_in), pairs_layer(review_in)])
unigram_model = keras.Model(review_in, keras.layers.Dense(1, activation="sigmoid",
                                                          kernel_regularizer=keras.regularizers.l2(1e-4))(both))
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: the loss told the sigmoid's probabilities are logits (from_logits=True): not the bag model's loss, the check never compares losses
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid",
                                                     kernel_regularizer=keras.regularizers.l2(1e-4))])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001),
                      loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- mistake: a different optimizer setting (AMSGrad, weight decay): only the optimizer's class and learning rate are compared
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid",
                                                     kernel_regularizer=keras.regularizers.l2(1e-4))])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001, amsgrad=True, weight_decay=0.01),
                      loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- right: the validation accuracy of the last epoch, from fit's history with validation_data=val_ds
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid",
                                                     kernel_regularizer=keras.regularizers.l2(1e-4))])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy",
                      metrics=["accuracy", keras.metrics.AUC(name="auc")])
unigram_history = unigram_model.fit(fit_ds, validation_data=val_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_history.history["val_accuracy"][-1]
# --- right: optimizer given as "adam" (Adam at its default 0.001, the bag model's rate)
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid",
                                                     kernel_regularizer=keras.regularizers.l2(1e-4))])
unigram_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
# --- right: the same L2 penalty written as l1_l2(l2=1e-4)
layer_1 = keras.layers.TextVectorization(max_tokens=20000, ngrams=None, output_mode="multi_hot",
                                         standardize=standardize_review)
layer_1.adapt(fit_texts)
unigram_model = keras.Sequential([keras.Input(shape=(), dtype="string"), layer_1,
                                  keras.layers.Dense(1, activation="sigmoid",
                                                     kernel_regularizer=keras.regularizers.l1_l2(l2=1e-4))])
unigram_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="binary_crossentropy", metrics=["accuracy"])
unigram_model.fit(fit_ds, epochs=4, shuffle=False, verbose=0)
unigram_accuracy = unigram_model.evaluate(val_ds, verbose=0)[1]
