"""Unit tests of the notebooks/bookutils package, the plumbing shared by the notebooks."""
import os
import subprocess
import sys
import time

import matplotlib
import pytest

matplotlib.use("Agg")

import bookutils  # notebooks/ is on sys.path (pytest.ini)
from conftest import NOTEBOOKS  # noqa: E402


def test_data_path_finds_shipped_file():
    path = bookutils.data_path("digits.npz")
    assert path.is_file() and path.parent.name == "data"


def test_data_path_missing_file_names_it_and_lists_the_shipped_ones():
    with pytest.raises(FileNotFoundError) as err:
        bookutils.data_path("no_such_file.csv")
    message = str(err.value)
    assert "no_such_file.csv" in message and "digits.npz" in message
    assert "data/README.md" in message


def test_helper_imports_without_tensorflow():
    code = "import sys, bookutils; sys.exit('tensorflow' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=NOTEBOOKS, check=True)


def test_scratch_dir_is_removed_at_exit(tmp_path):
    marker = tmp_path / "where.txt"
    code = ("import bookutils, sys; d = bookutils.scratch_dir('t'); "
            "(d / 'f.txt').write_text('x'); open(sys.argv[1], 'w').write(str(d))")
    subprocess.run([sys.executable, "-c", code, str(marker)], cwd=NOTEBOOKS, check=True)
    created = marker.read_text()
    assert os.path.basename(created).startswith("t-")
    assert not os.path.exists(created)


def test_scratch_of_a_killed_process_is_removed_by_the_next_one(tmp_path):
    """A kernel stopped with SIGKILL skips its removal at exit; the next process that
    makes a scratch directory removes what the dead one left, and nothing of a live one."""
    marker = tmp_path / "where.txt"
    code = ("import bookutils, os, sys; d = bookutils.scratch_dir('t'); "
            "(d / 'f.txt').write_text('x'); open(sys.argv[1], 'w').write(str(d)); "
            "os.kill(os.getpid(), 9)")
    subprocess.run([sys.executable, "-c", code, str(marker)], cwd=NOTEBOOKS)
    left = marker.read_text()
    assert os.path.exists(left)                       # killed: nothing removed it
    mine = bookutils.scratch_dir("t")                 # this live process's own
    follower = "import bookutils; bookutils.scratch_dir('t')"
    subprocess.run([sys.executable, "-c", follower], cwd=NOTEBOOKS, check=True)
    assert not os.path.exists(left) and mine.is_dir()


def test_time_it_warms_up_then_times_each_repeat():
    calls = []
    timing = bookutils.time_it(lambda: calls.append(time.sleep(0.01)), rounds=3, warmup=2)
    assert len(calls) == 5
    assert len(timing.times) == 3
    assert all(t >= 0.009 for t in timing.times)
    low, high = timing.spread
    assert low <= timing.median <= high
    assert "median" in str(timing) and "3 runs" in str(timing)


def test_timing_statistics():
    timing = bookutils.Timing([0.3, 0.1, 0.2])
    assert timing.median == 0.2
    assert timing.spread == (0.1, 0.3)
    assert timing.relative_spread == pytest.approx(1.0)
    assert str(timing) == "median 200.0 ms (range 100.0 ms–300.0 ms, 3 runs)"
    assert str(bookutils.Timing([2.0])) == "median 2.00 s (range 2.00 s–2.00 s, 1 runs)"


@pytest.mark.parametrize("kwargs", [{"rounds": 0}, {"warmup": -1}])
def test_time_it_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        bookutils.time_it(lambda: None, **kwargs)


def test_consume_counts_elements():
    assert bookutils.consume(iter(range(7))) == 7
    assert bookutils.consume([]) == 0


def test_show_images_grid_and_mistakes():
    import numpy as np

    images = np.zeros((5, 8, 8, 1))
    fig = bookutils.show_images(images, labels=[1, 2, 3, 4, 5],
                                predictions=[1, 2, 0, 4, 0], ncols=3)
    axes = fig.axes
    assert len(axes) == 6  # 2 rows of 3; the last one is switched off
    titles = [ax.get_title() for ax in axes[:5]]
    assert titles == ["1→1", "2→2", "3→0", "4→4", "5→0"]
    colors = [ax.title.get_color() for ax in axes[:5]]
    assert colors == [bookutils.RIGHT, bookutils.RIGHT, bookutils.WRONG,
                      bookutils.RIGHT, bookutils.WRONG]
    assert not axes[5].axison


@pytest.mark.parametrize("images, kwargs, message", [
    ("zeros5x8", {"labels": [1, 2]}, "5 images but 2 labels"),
    ("flat", {}, "expected images of shape"),
    ("none", {}, "no images"),
])
def test_show_images_rejects_bad_input(images, kwargs, message):
    import numpy as np

    arrays = {"zeros5x8": np.zeros((5, 8, 8)), "flat": np.zeros((5, 64)),
              "none": np.zeros((0, 8, 8))}
    with pytest.raises(ValueError, match=message):
        bookutils.show_images(arrays[images], **kwargs)


def test_use_book_style_sets_colour_blind_safe_cycle():
    bookutils.use_book_style()
    cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert [c.upper() for c in cycle] == [c.upper() for c in bookutils.BOOK_COLORS]
    assert set(bookutils.BOOK_COLORS) == set(bookutils.OKABE_ITO)


def test_check_passes_and_prints_verdict(capsys):
    with bookutils.check("Demo"):
        assert 1 + 1 == 2
    assert capsys.readouterr().out.strip() == "Exercise “Demo”: correct."


def test_check_failure_names_the_exercise():
    with pytest.raises(bookutils.ExerciseNotDone, match="Exercise “Demo”: not yet — hint"):
        with bookutils.check("Demo"):
            assert False, "hint"


def test_check_undefined_answer_is_not_a_bare_name_error():
    with pytest.raises(bookutils.ExerciseNotDone, match="“Demo”: not answered yet"):
        with bookutils.check("Demo"):
            undefined_answer_name  # noqa: B018, F821


def test_check_turns_other_errors_into_a_named_verdict():
    with pytest.raises(bookutils.ExerciseNotDone,
                       match="“Demo”: not yet — checking your answer raised AttributeError"):
        with bookutils.check("Demo"):
            answer = None
            answer.layers  # noqa: B018


def test_trim_graph_trace_keeps_error_and_node_drops_paths():
    message = (
        "Graph execution error:\n\n"
        "Detected at node seq/lookup/LookupTableFindV2 defined at (most recent call last):\n"
        '  File "/home/someone/x.py", line 13, in <module>\n\n'
        '  File "/opt/venv/lib/python3.11/site-packages/keras/src/layers/layer.py", line 1002, in __call__\n\n'
        "Table not initialized.\n\t [[{{node seq/lookup/LookupTableFindV2}}]] [Op:__inference_f_1213]")
    trimmed = bookutils.trim_graph_trace(message)
    assert "File " not in trimmed and "/home/" not in trimmed and "site-packages" not in trimmed
    assert trimmed.startswith("Graph execution error:")
    assert "Detected at node seq/lookup/LookupTableFindV2 (Python stack trimmed)" in trimmed
    assert trimmed.endswith("[Op:__inference_f_1213]") and "Table not initialized." in trimmed


def test_trim_graph_trace_leaves_plain_messages_alone():
    assert bookutils.trim_graph_trace("Cast string to int32 is not supported") == \
        "Cast string to int32 is not supported"


def test_trim_graph_trace_drops_internal_function_name():
    message = ("{{function_node __wrapped__IteratorGetNext_output_types_2_device_/job:localhost/"
               "replica:0/task:0/device:CPU:0}} Expect 31 fields but have 30 in record 0\n"
               "\t [[{{node DecodeCSV}}]] [Op:IteratorGetNext] name: ")
    assert bookutils.trim_graph_trace(message) == (
        "Expect 31 fields but have 30 in record 0\n\t [[{{node DecodeCSV}}]] [Op:IteratorGetNext]")


def test_compare_interleaves_in_rotating_order():
    calls = []
    fns = {name: (lambda name=name: calls.append(name)) for name in "ABC"}
    timings = bookutils.compare(fns, rounds=3, warmup=1)
    assert calls == list("ABC") + list("ABC") + list("BCA") + list("CAB")
    assert set(timings) == set("ABC") and all(len(t.times) == 3 for t in timings.values())


def test_compare_and_ratios_reject_bad_arguments():
    with pytest.raises(ValueError, match="rounds"):
        bookutils.compare({"a": lambda: None}, rounds=0)
    with pytest.raises(ValueError, match="nothing"):
        bookutils.compare({})
    with pytest.raises(ValueError, match="rounds"):
        bookutils.ratios(bookutils.Timing([1.0]), bookutils.Timing([1.0, 2.0]))
    assert bookutils.ratios(bookutils.Timing([2.0, 6.0]), bookutils.Timing([1.0, 2.0])) == [2.0, 3.0]


def test_robust_range_drops_the_extreme_quarter():
    assert bookutils.robust_range([3, 1, 2]) == (1, 3)
    assert bookutils.robust_range([5, 1, 2, 3, 4]) == (2, 4)
    assert bookutils.robust_range([7]) == (7, 7)
    with pytest.raises(ValueError):
        bookutils.robust_range([])


def measurements(*batches):
    """A fake measure(): returns the given batches one call after another."""
    batches = list(batches)
    return lambda: batches.pop(0)


def test_settle_decides_at_once_when_every_round_agrees():
    claim = bookutils.settle("x", measurements([2.1, 2.3, 2.2], [9, 9, 9]), above=2)
    assert claim.holds and claim.attempts == 1 and claim.values == [2.1, 2.3, 2.2]
    claim = bookutils.settle("x", measurements([1.5, 1.6, 1.7]), above=2)
    assert not claim.holds and claim.attempts == 1       # clearly fails: no re-measuring
    assert "FAILS" in str(claim)


def test_settle_measures_again_only_while_the_rounds_straddle_the_threshold():
    claim = bookutils.settle("x", measurements([1.9, 2.4, 2.5], [2.3, 2.4, 2.6]), above=2)
    assert claim.attempts == 2 and claim.holds and len(claim.values) == 6
    assert "measured 2 times" in str(claim)
    # Still undecided after three attempts: the median of everything decides.
    claim = bookutils.settle("x", measurements([1.0, 3.0, 2.5], [1.0, 3.0, 1.5], [1.0, 3.0, 1.2]), above=2)
    assert claim.attempts == 3 and not claim.holds


def test_settle_measures_again_while_the_rounds_disagree_too_much():
    # Every round fails, but they disagree (1.42 against 2.49): with max_spread the
    # noise is too high to decide on, and calmer rounds decide by the median.
    calm = [0.70, 0.71, 0.72]
    claim = bookutils.settle("x", measurements([1.42, 2.0, 2.49], calm, calm), below=1, max_spread=1.5)
    assert claim.attempts == 3 and claim.holds
    claim = bookutils.settle("x", measurements([1.42, 2.0, 2.49], calm), below=1)
    assert claim.attempts == 1 and not claim.holds          # without it, decided at once
    # Rounds that agree decide at once, on either side; rounds that keep failing fail.
    assert bookutils.settle("x", measurements(calm), below=1, max_spread=1.5).attempts == 1
    claim = bookutils.settle("x", measurements([1.4, 2.4, 2.0], [1.5, 2.5, 2.0], [1.6, 2.6, 2.2]),
                             below=1, max_spread=1.5)
    assert claim.attempts == 3 and not claim.holds


def test_settle_below_and_first_and_bad_arguments():
    claim = bookutils.settle("x", measurements([0.5, 0.6, 0.7], [0.5, 0.6, 0.7]), below=1, first=[0.9, 1.2, 1.3])
    assert claim.attempts == 3 and claim.values[:3] == [0.9, 1.2, 1.3] and claim.holds
    with pytest.raises(ValueError):
        bookutils.settle("x", measurements(), above=1, below=2)
    with pytest.raises(ValueError):
        bookutils.settle("x", measurements())
    with pytest.raises(ValueError):
        bookutils.settle("x", measurements(), above=1, attempts=0)


def test_cpu_capacity_is_a_positive_number_of_cores():
    capacity = bookutils.cpu_capacity(seconds=0.02, rounds=1)
    assert capacity > 0
    assert bookutils.cpu_capacity(seconds=0.02, threads=1, rounds=1) > 0


def test_cpu_capacity_counts_a_thread_that_got_no_core_in_its_window():
    """A thread that starts its window late, on a busy machine, still hashes one
    block and reports its (low) rate: a capacity of 0 came out of a fresh-clone run
    beside a busy process, when the window was shorter than the wait for a core.
    A zero-length window stands in for that wait here."""
    assert bookutils.cpu_capacity(seconds=0, threads=1, rounds=1) > 0
    assert bookutils.cpu_capacity(seconds=0, rounds=1) > 0


# --- source: code shown on the page -------------------------------------------

def test_show_source_of_a_function_names_where_it_lives(capsys):
    bookutils.show_source(bookutils.free_port)
    out = capsys.readouterr().out
    assert out.startswith("`free_port`, from `notebooks/bookutils/processes.py`:")
    assert "```python\ndef free_port() -> int:" in out and out.rstrip().endswith("```")


def test_show_source_of_parts_of_a_file(tmp_path, capsys):
    script = tmp_path / "script.py"
    script.write_text('"""Doc."""\nLIMIT = 3\n\n\n@staticmethod\ndef first():\n    return 1\n\n\n'
                      'def second():\n    """Has ``` inside."""\n    return 2\n')
    bookutils.show_source(script, names=("second", "LIMIT"))
    out = capsys.readouterr().out
    assert "`second`, `LIMIT`, from" in out
    assert "````python\ndef second():" in out          # a fence longer than the code's backticks
    assert "LIMIT = 3" in out and "first" not in out and "Doc." not in out
    bookutils.show_source(script, names=("first",))
    assert "@staticmethod\ndef first():" in capsys.readouterr().out   # decorators belong to it
    with pytest.raises(LookupError, match="defines no top-level 'third'"):
        bookutils.show_source(script, names=("third",))


def test_show_source_of_a_whole_file_relative_to_notebooks(capsys):
    bookutils.show_source("cluster/tfdata_server.py")
    out = capsys.readouterr().out
    text = (bookutils.REPO_ROOT / "notebooks" / "cluster" / "tfdata_server.py").read_text()
    assert out.startswith("`notebooks/cluster/tfdata_server.py`:") and text.rstrip("\n") in out


def test_show_source_of_a_decorated_function_names_its_own_file(capsys):
    bookutils.show_source(bookutils.check)           # wrapped by contextlib.contextmanager
    out = capsys.readouterr().out
    assert out.startswith("`check`, from `notebooks/bookutils/checks.py`:"), out[:120]
    assert "@contextlib.contextmanager\ndef check(" in out


def test_compare_with_the_process_cpu_clock_counts_work_not_waiting():
    timings = bookutils.compare({"sleep": lambda: time.sleep(0.05),
                                 "work": lambda: sum(i * i for i in range(300_000))},
                                rounds=3, warmup=0, clock=time.process_time)
    assert timings["sleep"].median < 0.01 < timings["work"].median


def test_measured_decides_one_value_and_rejects_bad_arguments():
    assert bookutils.measured("ratio", 3.2, above=3).holds
    assert not bookutils.measured("share", 0.12, below=0.10).holds
    assert "claim < 0.1: FAILS" in str(bookutils.measured("share", 0.12, below=0.10))
    assert str(bookutils.measured("share", 0.12, below=0.10)) == "share: 0.12, claim < 0.1: FAILS"
    with pytest.raises(ValueError, match="exactly one"):
        bookutils.measured("ratio", 1.0)


def test_claims_are_written_to_the_log_except_inside_a_check(tmp_path, monkeypatch):
    """benchmarks/claims_distribution.py collects a chapter's claims through
    BOOK_CLAIMS_LOG; the claims a check decides (on a stub or a wrong answer, they
    fail on purpose) are not the chapter's and stay out of it."""
    import json
    from bookutils.timing import CLAIMS_LOG_ENV

    log = tmp_path / "claims.jsonl"
    bookutils.measured("not logged: no variable", 1.0, above=0.5)
    monkeypatch.setenv(CLAIMS_LOG_ENV, str(log))
    bookutils.measured("a share", 0.02, below=0.1)
    bookutils.settle("a ratio", lambda: [2.0, 2.1, 2.2], above=1.5, first=[1.4, 1.6, 2.0])
    with pytest.raises(bookutils.ExerciseNotDone):
        with bookutils.check("an exercise"):
            assert bookutils.settle("inside a check", lambda: [1.0], above=1.5).holds
    bookutils.measured("after the check", 2.0, above=1.5)
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [row["what"] for row in rows] == ["a share", "a ratio", "after the check"]
    ratio = rows[1]
    assert ratio["attempts"] == 2 and ratio["first_median"] == 1.6 and ratio["median"] == 2.0
    assert ratio["values"] == [1.4, 1.6, 2.0, 2.0, 2.1, 2.2] and ratio["holds"]
    assert rows[0] == {"what": "a share", "median": 0.02, "values": [0.02], "threshold": 0.1,
                       "above": False, "attempts": 1, "holds": True, "first_median": 0.02}


def test_claims_of_numpy_numbers_are_written_too(tmp_path, monkeypatch):
    import json
    import numpy as np
    from bookutils.timing import CLAIMS_LOG_ENV

    log = tmp_path / "claims.jsonl"
    monkeypatch.setenv(CLAIMS_LOG_ENV, str(log))
    bookutils.settle("numpy", lambda: [np.float64(0.02)], below=0.1, first=[np.float64(0.01), np.float32(0.03)])
    bookutils.measured("numpy too", np.float32(4.0), above=3)
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [row["holds"] for row in rows] == [True, True]


def test_pipeline_graph_reads_the_chain_the_functions_and_the_constants():
    import tensorflow as tf
    built = bookutils.pipeline_graph(
        tf.data.Dataset.range(0, 10, 2).map(lambda x: tf.one_hot(x, 10)).shuffle(6, seed=1).batch(2))
    assert built.chain == ["BatchDatasetV2", "ShuffleDatasetV3", "MapDataset", "RangeDataset"]
    assert built.arguments("RangeDataset") == [[0, 10, 2]]     # a stepped range shows
    assert built.arguments("BatchDatasetV2") == [[2, False]]
    assert built.uses("OneHot") and not built.uses("DecodeCSV")
    typed = bookutils.pipeline_graph(tf.data.Dataset.from_tensor_slices([3, 1, 2]))
    assert typed.arguments("TensorSliceDataset") == [[[3, 1, 2]]]   # typed-in values show too
    assert built.arguments("ShuffleDatasetV3")[0][0] == 6           # the buffer size
    assert built.where("OneHot") == [2] and built.where("DecodeCSV") == []


def test_pipeline_graph_says_which_transformation_uses_an_op():
    """A decode after the batch is told from a decode before it, even when another map
    follows, and an op in a function that the map's function calls counts as the map's."""
    import tensorflow as tf

    @tf.function
    def parse(line):
        return tf.io.decode_csv(line, [[0.0], [0.0]])

    lines = tf.data.Dataset.from_tensor_slices(["1,2", "3,4"])
    before = bookutils.pipeline_graph(lines.map(parse).batch(2).map(lambda a, b: (a, b)))
    after = bookutils.pipeline_graph(lines.batch(2).map(lambda l: parse(l)).map(lambda a, b: (a, b)))
    assert before.where("DecodeCSV") == [2] and before.chain[1].startswith("BatchDataset")
    assert after.where("DecodeCSV") == [1] and after.chain[2].startswith("BatchDataset")


def test_pipeline_graph_follows_the_data(tmp_path):
    """Where the data enters, on every branch (a file reader is a flat_map over the
    file names), and whether each decoder is given the elements or a constant line,
    even one shaped like the elements (tf.fill of their shape)."""
    import tensorflow as tf
    path = tmp_path / "rows.csv"
    path.write_text("1,2\n3,4\n")
    lines = tf.data.TextLineDataset(str(path)).batch(2)
    decoded = bookutils.pipeline_graph(lines.map(lambda l: tf.io.decode_csv(l, [[0], [0]])))
    assert decoded.sources == ["TextLineDataset"] and decoded.fed_by_elements["DecodeCSV"] == [True]
    constant = bookutils.pipeline_graph(lines.map(
        lambda l: (l, tf.io.decode_csv(tf.constant(["0,0"]), [[0], [0]]))))
    shaped = bookutils.pipeline_graph(lines.map(
        lambda l: (l, tf.io.decode_csv(tf.fill(tf.shape(l), "0,0"), [[0], [0]]))))
    assert constant.fed_by_elements["DecodeCSV"] == shaped.fed_by_elements["DecodeCSV"] == [False]
    zipped = bookutils.pipeline_graph(tf.data.Dataset.zip(
        (lines, tf.data.Dataset.from_tensor_slices([1]))))
    assert sorted(zipped.sources) == ["TensorSliceDataset", "TextLineDataset"]
    assert bookutils.pipeline_graph(tf.data.Dataset.range(3)).sources == ["RangeDataset"]
    assert zipped.source_arrays == [[1]] and decoded.source_arrays == []   # no file names
    pair = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices([5, 6]),
                                tf.data.Dataset.from_tensor_slices([7, 8])))
    assert sorted(bookutils.pipeline_graph(pair.batch(2)).source_arrays) == [[5, 6], [7, 8]]


def test_noted_method_sees_every_call_and_puts_the_method_back():
    import tensorflow as tf
    real = tf.data.Dataset.reduce
    numbers = tf.data.Dataset.range(4)
    with bookutils.noted_method(tf.data.Dataset, "reduce") as noted:
        assert int(numbers.reduce(tf.constant(0, tf.int64), lambda n, x: n + x)) == 6
        assert sum(numbers.as_numpy_iterator()) == 6
    assert [(d, int(r)) for d, r in noted] == [(numbers, 6)] and tf.data.Dataset.reduce is real


def test_kept_objects_survive_a_rebound_name():
    model = object()
    bookutils.keep(some_model=model)
    some_model = "rebound by an answer"      # noqa: F841
    assert bookutils.kept("some_model") is model
    with pytest.raises(NameError, match="not kept"):
        bookutils.kept("never_kept")


def test_kept_objects_outlive_the_graders_fresh_helper():
    """classroom/grade.py runs the helper package afresh before each check cell."""
    import types
    model = object()
    bookutils.keep(graded_model=model)
    fresh = types.ModuleType("fresh_checks")
    path = bookutils.REPO_ROOT / "notebooks" / "bookutils" / "checks.py"
    sys.modules["fresh_checks"] = fresh            # as the grader does, before running it
    try:
        exec(compile(path.read_text(), str(path), "exec"), fresh.__dict__)
        assert fresh.kept("graded_model") is model
    finally:
        del sys.modules["fresh_checks"]


def test_names_used_sees_aliases_nested_functions_and_defaults():
    import math
    namespace = {"ceil_alias": math.ceil}
    exec("def direct(x):\n    return math.ceil(x)\n"
         "def aliased(x):\n    return ceil_alias(x)\n"
         "def nested(x):\n    return (lambda y: math.ceil(y))(x)\n"
         "def defaulted(x, f=math.ceil):\n    return f(x)\n"
         "def wrapped(x, f=lambda y: math.ceil(y)):\n    return f(x)\n"
         "def plain(x):\n    return -(-x // 1)\n", {"math": math, **namespace}, namespace)
    for name in ("direct", "aliased", "nested", "defaulted", "wrapped"):
        assert "ceil" in bookutils.names_used(namespace[name]), name
    assert "ceil" not in bookutils.names_used(namespace["plain"])


def test_names_used_follows_helpers_partials_and_names_in_strings():
    import functools
    import math
    namespace = {"math": math, "functools": functools}
    exec("def _helper(x):\n    return math.ceil(x)\n"
         "def through_helper(x):\n    return _helper(x)\n"
         "rounded_up = functools.partial(math.ceil)\n"
         "def through_partial(x):\n    return rounded_up(x)\n"
         "def by_string(x):\n    return getattr(math, 'ceil')(x)\n"
         "def plain(x):\n    return -(-x // 1)\n"
         "def calls_plain(x):\n    return plain(x)\n", namespace)
    for name in ("through_helper", "through_partial", "by_string"):
        assert "ceil" in bookutils.names_used(namespace[name]), name
    assert "ceil" not in bookutils.names_used(namespace["calls_plain"])


def test_noted_calls_notes_keyword_arguments_in_parameter_order():
    namespace = {}
    exec("def consume(ds, consumer_s):\n    return ds\n"
         "def timer(first):\n    consume(consumer_s=0.5, ds=first)\n    consume(first, 0.1)\n",
         namespace)
    with bookutils.noted_calls(namespace["timer"], "consume") as calls:
        namespace["timer"]("pipeline")
    assert calls == [("pipeline", 0.5), ("pipeline", 0.1)]


def test_model_settings_compare_what_a_model_does_not_how_it_was_written():
    import keras

    def settings(regularizer, optimizer="adam", loss="binary_crossentropy"):
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(
            1, activation="sigmoid", kernel_regularizer=regularizer)])
        model.compile(optimizer=optimizer, loss=loss)
        return bookutils.model_settings(model, skip={"name"})

    chapter = settings(keras.regularizers.L2(1e-4), keras.optimizers.Adam(0.001))
    assert settings(keras.regularizers.l1_l2(l2=1e-4)) == chapter
    assert settings(keras.regularizers.L2(1e-4), loss=keras.losses.BinaryCrossentropy()) == chapter
    assert settings(keras.regularizers.L2(2e-4)) != chapter
    assert settings(keras.regularizers.L2(1e-4), keras.optimizers.Adam(0.001, amsgrad=True)) != chapter
    assert settings(keras.regularizers.L2(1e-4),
                    loss=keras.losses.BinaryCrossentropy(from_logits=True)) != chapter
