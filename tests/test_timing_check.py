"""The timing exercise's trial run (``timing_pipelines.measure_pair_on_fresh``) sees
which pipelines a reader's ``measure_pair`` consumes, in which order, whether it
calls ``consume`` by a name of its own namespace or through the module."""
import pytest

import bookutils
import timing_pipelines

THROUGH_THE_MODULE = """
def measure_pair(first, second, consumer_s):
    timings = bookutils.compare(
        {"first": lambda: timing_pipelines.consume(first, consumer_s),
         "second": lambda: timing_pipelines.consume(second, consumer_s)}, rounds=3)
    return timings["first"].median, timings["second"].median
"""
BY_NAME = THROUGH_THE_MODULE.replace("timing_pipelines.consume", "consume")


@pytest.mark.parametrize("source", [THROUGH_THE_MODULE, BY_NAME], ids=["module", "name"])
def test_the_trial_run_sees_every_consume_call(source):
    namespace = {"bookutils": bookutils, "timing_pipelines": timing_pipelines,
                 "consume": timing_pipelines.consume}
    exec(source, namespace)
    _, ran = timing_pipelines.measure_pair_on_fresh(namespace["measure_pair"])
    # interleaved: both orders occur, three rounds or more of each pipeline
    assert min(map(ran.count, "wp")) >= 3 and "wp" in ran and "pw" in ran, ran


FASTEST = THROUGH_THE_MODULE.replace(".median", ".times").replace(
    'return timings["first"].times, timings["second"].times',
    'return min(timings["first"].times), min(timings["second"].times)')
MEAN = FASTEST.replace("min(", "sum(").replace(".times)", ".times) / 3")
MIDDLE_UNSORTED = FASTEST.replace("min(", "(").replace(".times)", ".times)[1]")


@pytest.mark.parametrize("source, right", [(BY_NAME, True), (FASTEST, False), (MEAN, False),
                                           (MIDDLE_UNSORTED, False)],
                         ids=["medians", "fastest", "mean", "middle round unsorted"])
def test_the_scripted_rounds_tell_medians_from_other_summaries(source, right):
    """The check's bounds (0.065-0.095 s) take the medians of three rounds of the
    scripted pipelines, beside the other test worker, and reject the fastest round,
    the mean and the middle round in time order."""
    namespace = {"bookutils": bookutils, "timing_pipelines": timing_pipelines,
                 "consume": timing_pipelines.consume}
    exec(source, namespace)
    times = timing_pipelines.summary_of_rounds(namespace["measure_pair"])
    assert all(0.065 < t < 0.095 for t in times) == right, times
