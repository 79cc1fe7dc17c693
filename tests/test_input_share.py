"""notebooks/input_share.py (how much of fit's time the input costs, and the
profiler's split of a step) and notebooks/chapter_pipelines.py (the chapters'
pipelines with the timing chapter's knobs)."""
import numpy as np
import pytest
import tensorflow as tf
import keras
from tensorflow.tsl.profiler.protobuf import xplane_pb2

import bookutils
import chapter_pipelines as cp
import input_share
from timing_pipelines import io_like


# --- Reading a trace -----------------------------------------------------------

def write_trace(folder, steps, functions, waits, plane="/host:CPU"):
    """An XSpace with step markers, train-function calls and get_next events at
    the given (start, end) microseconds, written where the profiler writes."""
    space = xplane_pb2.XSpace()
    host = space.planes.add(name=plane)
    names = {1: input_share.STEP_MARKER, 2: input_share.TRAIN_FUNCTION, 3: input_share.GET_NEXT[1]}
    for key, name in names.items():
        host.event_metadata[key].id = key
        host.event_metadata[key].name = name
    python = host.lines.add(name="python", timestamp_ns=1000)
    iterator = host.lines.add(name="tf_data_iterator_get_next_as_optional", timestamp_ns=1000)
    for line, key, spans in [(python, 1, steps), (python, 2, functions), (iterator, 3, waits)]:
        for start, end in spans:
            line.events.add(metadata_id=key, offset_ps=start * 10**6, duration_ps=(end - start) * 10**6)
    out = folder / "plugins" / "profile" / "run"
    out.mkdir(parents=True)
    (out / "host.xplane.pb").write_bytes(space.SerializeToString())


def test_a_step_is_split_into_input_compute_and_python(tmp_path):
    # Two steps of 100 us: the function runs 80 us of each, waiting 20 and 40 us in get_next.
    write_trace(tmp_path, steps=[(0, 100), (100, 200)], functions=[(10, 90), (110, 190)],
                waits=[(10, 30), (110, 150), (300, 400)])          # the last one lies outside every step
    rows = input_share.read_trace(str(tmp_path))
    assert rows == [pytest.approx({"step": 100e-6, "function": 80e-6, "input": 20e-6}),
                    pytest.approx({"step": 100e-6, "function": 80e-6, "input": 40e-6})]
    shares = input_share.split_shares(rows, steps_per_execution=4)
    assert shares["input"] == pytest.approx(0.3)
    assert shares["compute"] == pytest.approx(0.5)
    assert shares["python"] == pytest.approx(0.2)
    assert shares["step_ms"] == pytest.approx(0.025)                # 100 us per marker, 4 steps in each


def test_a_trace_without_markers_or_keras_function_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="no profiler trace"):
        input_share.read_trace(str(tmp_path))
    write_trace(tmp_path / "a", steps=[], functions=[(0, 10)], waits=[])
    with pytest.raises(ValueError, match="no step markers"):
        input_share.read_trace(str(tmp_path / "a"))
    write_trace(tmp_path / "b", steps=[(0, 100)], functions=[(200, 300)], waits=[])
    with pytest.raises(ValueError, match="renamed its train function"):
        input_share.read_trace(str(tmp_path / "b"))
    write_trace(tmp_path / "c", steps=[(0, 100)], functions=[(0, 100)], waits=[], plane="/device:GPU:0")
    with pytest.raises(ValueError, match="no step markers"):
        input_share.read_trace(str(tmp_path / "c"))


# --- Measuring fit -------------------------------------------------------------

def tiny_model(spe=1):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", steps_per_execution=spe)
    return model


def batches(n=12, slow_s=0.0):
    ds = tf.data.Dataset.range(n * 8).map(lambda i: (tf.fill([4], tf.cast(i, tf.float32)), tf.cast(i, tf.float32)))
    ds = ds.batch(8)
    if slow_s:
        wait = io_like(slow_s)
        ds = ds.map(lambda x, y: (tf.ensure_shape(x + tf.cast(wait(tf.constant(0, tf.int64)), tf.float32) * 0,
                                                  [None, 4]), y))
    return ds.prefetch(1)


def test_ready_batches_are_the_pipelines_first_batches_again_and_again():
    ready = input_share.ready_batches(batches(), 3)
    got = [y.numpy().tolist() for _, y in ready.take(7)]
    first = [y.numpy().tolist() for _, y in batches().take(3)]
    assert got == first + first + first[:1]


def test_a_slow_pipeline_is_measured_as_most_of_training_and_ready_batches_as_none():
    # A 20 ms wait, far above the tiny model's step even beside another worker
    # (which stretched that step to 2 ms in a CI run, against a 4 ms wait).
    slow = input_share.input_share(tiny_model(), batches(slow_s=0.02), rounds=3, seconds=0.1)
    assert slow.share > 0.5, slow
    assert len(slow.shares()) == 3
    # The pipeline's own batches, cached and served by one iterator, are what ready
    # batches are: no share. (With a new iterator each epoch, its start, about 1 ms,
    # is half of this tiny model's 1 ms epoch: a fresh-clone run measured 0.53.)
    cached = batches().cache().repeat()
    assert abs(input_share.input_share(tiny_model(), cached, steps_per_epoch=12, rounds=5).share) < 0.5


def test_the_trace_sees_a_slow_pipeline_wait_in_get_next():
    # 20 ms, not 4: beside another worker the tiny model's compute and Python took
    # 2.6 ms of a 4.8 ms step, and the 4 ms wait showed as 46 % of it.
    split = input_share.trace_split(tiny_model(), batches(slow_s=0.02), executions=6, warmup=2)
    assert split["markers"] == 6
    assert split["input"] > 0.5, split
    assert split["input"] + split["compute"] + split["python"] == pytest.approx(1.0)


def test_one_iterator_starts_epochs_sooner_than_a_new_one_each_epoch():
    model = tiny_model()
    new = input_share.epoch_starts(model, batches(), epochs=5)
    one = input_share.epoch_starts(model, batches().repeat(), epochs=5, steps_per_epoch=12)
    assert len(new.gaps) == len(one.gaps) == len(new.durations) == 5
    assert np.mean(new.gaps) > np.mean(one.gaps)
    assert all(gap < duration for gap, duration in zip(new.gaps, new.durations))


# --- The chapters' pipelines and knobs -------------------------------------------

def examples(ds, take=None):
    """Sorted (label, sum of features) of every example in one epoch."""
    rows = []
    for x, y in (ds if take is None else ds.take(take)):
        flat = tf.reshape(x, [tf.shape(x)[0], -1])
        rows += zip(y.numpy().tolist(), np.round(tf.reduce_sum(flat, axis=1).numpy(), 4).tolist())
    return sorted(rows)


def test_every_knob_serves_the_same_examples_each_epoch():
    x, y = cp.digits()
    reference = examples(cp.images_pipeline(x, y))
    assert len(reference) == len(x)
    assert examples(cp.images_pipeline(x, y, cache="batches")) == reference
    assert examples(cp.images_pipeline(x, y, batch_size=128, prefetch=8)) == reference
    assert examples(cp.images_pipeline(x, y, repeat=True), take=45) == reference     # 45 batches: one epoch
    path = cp.csv_path()
    rows = examples(cp.csv_pipeline(path))
    assert len(rows) == 364                                  # the rows 03_csv_files fits on
    assert examples(cp.csv_pipeline(path, cache="batches")) == rows
    assert cp.csv_pipeline(path, repeat=True).cardinality() == tf.data.INFINITE_CARDINALITY
    with pytest.raises(ValueError, match="cache must be"):
        cp.images_pipeline(x, y, cache="files")


def test_cached_batches_keep_their_examples_together_and_reshuffle_their_order():
    x, y = cp.digits()
    ds = cp.images_pipeline(x, y, cache="batches")
    epochs = [[tuple(labels.numpy()) for _, labels in ds] for _ in range(2)]
    assert sorted(epochs[0]) == sorted(epochs[1])          # the same batches
    assert epochs[0] != epochs[1]                          # in another order


def test_the_pipelines_are_the_chapters_own_sizes():
    """chapter_pipelines builds what the chapters fit on: the sizes the chapters'
    stored outputs print (the images chapter's fitting split, the CSV chapter's
    rows not held out for validation)."""
    import nbformat
    from conftest import NOTEBOOKS

    def printed(notebook, start):
        for cell in nbformat.read(NOTEBOOKS / notebook, as_version=4).cells:
            for output in cell.get("outputs", []):
                for line in output.get("text", "").splitlines():
                    if line.startswith(start):
                        return line
        raise AssertionError(f"{notebook}: no output line starting {start!r}")

    x, _ = cp.digits("fit")
    assert printed("01_images_from_numpy.ipynb", "fit ").startswith(f"fit {len(x)}, ")
    assert printed("03_csv_files.ipynb", "fit ").startswith(f"fit {bookutils.consume(cp.csv_lines(cp.csv_path()))} rows")


def test_steps_per_execution_divides_the_epoch():
    assert [cp.steps_per_execution(n) for n in (36, 45, 12, 16, 63, 9, 7)] == [12, 15, 12, 16, 9, 9, 7]
    x, y = cp.digits("fit")
    for spe, trained in [(16, 48), (cp.steps_per_execution(36), 36)]:     # 36 batches per epoch
        model = cp.images_model(spe)
        model.fit(cp.images_pipeline(x, y, repeat=True), epochs=1, steps_per_epoch=36, shuffle=False, verbose=0)
        assert int(model.optimizer.iterations.numpy()) == trained


def test_a_share_claim_starts_from_rounds_already_measured_and_measures_again_only_when_they_straddle():
    calls = []

    def measure():
        calls.append(1)
        return input_share.InputShare(0.01, 0.001, 0.00099, [(0.001, 0.00099)] * 5)

    below = input_share.settle_share("share", measure, below=0.05, first=[0.01, 0.02, 0.00])
    assert below.holds and below.attempts == 1 and calls == []
    straddling = input_share.settle_share("share", measure, below=0.05, first=[0.01, 0.09, 0.02])
    assert straddling.holds and straddling.attempts == 2 and len(calls) == 1
    above = input_share.settle_share("share", measure, below=0.05,
                                     first=input_share.InputShare(0.2, 0.001, 0.0008, [(0.001, 0.0008)] * 3))
    assert not above.holds and above.attempts == 1        # every round far above: decided, no new rounds

    def wide():
        calls.append(1)
        return input_share.InputShare(0.04, 0.001, 0.00096, [(0.001, 0.00099), (0.001, 0.0009)] * 3)
    calls.clear()
    bounded = input_share.settle_share("share", wide, below=0.05, first=[0.0, 0.1, 0.04], attempts=2)
    assert bounded.attempts == 2 and len(calls) == 1 and len(bounded.values) == 9   # still straddling: decided on 9
