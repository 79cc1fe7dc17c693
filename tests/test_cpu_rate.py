"""cpu_rate: steady rates measured in turns, and ratios taken within a round."""
import os
import time

import pytest

from cpu_rate import Rounds, SteadyRate, interleaved_rates


def batches(n_images=4):
    """An endless stand-in for a data set of (images, labels) batches."""
    while True:
        yield [0] * n_images, [0] * n_images


def test_each_round_measures_every_pipeline_in_a_rotated_order():
    order = []

    def pipeline(name):
        def make():
            order.append(name)
            return batches()
        return make, lambda: [os.getpid()]

    rounds = interleaved_rates({name: pipeline(name) for name in "abc"}, rounds=4,
                               warmup=1, window=2, windows=2)
    assert order == list("abc" "bca" "cab" "abc")
    assert len(rounds.rounds) == 4
    # every round keeps the pipelines' order, whatever order measured them
    assert all(list(r) == list("abc") for r in rounds.rounds)
    merged = rounds.merged("a")
    assert len(merged.rates) == len(merged.cores_per_window) == 4 * 2


def rate(per_cpu_second, cores=1.0):
    return SteadyRate([per_cpu_second * cores], [cores])


def test_efficiency_is_taken_within_each_round():
    # the machine is twice as fast in the second round: both pipelines see it
    rounds = Rounds([{"local": rate(100), "service": rate(90, cores=0.5)},
                     {"local": rate(200), "service": rate(180, cores=0.9)}])
    assert rounds.efficiency("service", "local") == pytest.approx([0.9, 0.9])
    # the same values compared across rounds would not be 0.9
    assert rounds.merged("service").per_cpu_s == pytest.approx([90, 180])


def test_wait_until_quiet_waits_for_work_that_goes_on():
    import subprocess
    import sys

    from cpu_rate import wait_until_quiet
    busy = subprocess.Popen([sys.executable, "-c",
                             "import time\nend = time.time() + 0.6\n"
                             "while time.time() < end: pass\ntime.sleep(30)"])
    try:
        time.sleep(0.1)   # it has started spinning
        assert wait_until_quiet([busy.pid]) > 0.3
        assert wait_until_quiet([busy.pid]) < 0.3   # now sleeping
    finally:
        busy.kill()
        busy.wait()
