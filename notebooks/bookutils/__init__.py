"""Plumbing shared by the book's notebooks, one module per concern:

- ``paths``: the repository, the shipped data, scratch directories;
- ``plots``: the figure style and an image grid;
- ``timing``: the timing harness (interleaved timings, settled claims, CPU capacity);
- ``claims``: a chapter's timing claims over many runs (``bookutils.claims.load``);
- ``checks``: the exercises' check cells, a pipeline's graph for checks;
- ``tferrors``: TensorFlow's graph errors, shortened;
- ``source``: a function's or a script's source shown on the page;
- ``processes``: processes a chapter starts, and their end (``launch.py`` runs them);
- ``network``: who can reach the servers a chapter starts (``loopback_kernel.py``:
  the Jupyter kernel whose network is its own loopback interface).

Nothing here is what a chapter teaches: every tf.data step stays visible in the
chapters themselves. The package sits next to the notebooks, so ``import
bookutils`` works from ``notebooks/`` with no install step, and the chapters use
the names below as ``bookutils.<name>``. It imports neither TensorFlow nor Keras,
so it stays quick to import and to test.
"""
from . import claims
from .checks import (ExerciseNotDone, PipelineGraph, check, keep, kept, loss_of,
                     model_settings, names_used, noted_calls, noted_method,
                     pipeline_graph)
from .network import (ServersWouldBeExposed, exposure_accepted, interfaces, listening,
                      outside_addresses, outside_interfaces, require_loopback_only,
                      wait_listening)
from .paths import DATA_DIR, REPO_ROOT, data_path, scratch_dir
from .plots import BOOK_COLORS, OKABE_ITO, RIGHT, WRONG, show_images, use_book_style
from .processes import (CLUSTER_DIR, STARTER_ENV, BookProcess, ProcessGroup,
                        book_processes, book_processes_by_starter, free_port,
                        leftover_book_processes)
from .source import show_source
from .tferrors import shorten_tensorflow_errors, trim_graph_trace
from .timing import (Claim, Timing, compare, consume, cpu_capacity, measured, ratios,
                     robust_range, settle, time_it)

__all__ = [
    "BOOK_COLORS", "BookProcess", "CLUSTER_DIR", "Claim", "claims", "DATA_DIR",
    "ExerciseNotDone",
    "OKABE_ITO", "PipelineGraph", "ProcessGroup", "REPO_ROOT", "RIGHT", "STARTER_ENV",
    "ServersWouldBeExposed", "Timing", "WRONG", "book_processes",
    "book_processes_by_starter", "check", "compare", "consume", "cpu_capacity",
    "data_path",
    "exposure_accepted", "free_port", "interfaces", "keep", "kept",
    "leftover_book_processes", "loss_of", "model_settings", "noted_calls",
    "noted_method",
    "listening", "measured",
    "outside_addresses", "outside_interfaces", "pipeline_graph", "ratios",
    "require_loopback_only", "robust_range", "scratch_dir", "settle",
    "shorten_tensorflow_errors", "show_images", "show_source", "time_it",
    "trim_graph_trace", "use_book_style", "wait_listening",
]
