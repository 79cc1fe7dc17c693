"""Run a script as a book process (``ProcessGroup.start`` runs this file)::

    python -P launch.py <starter pid> <die with parent: 0 or 1> script.py [args...]

With 1, on Linux, the child asks the kernel to SIGKILL it when its starter dies
(``prctl(PR_SET_PDEATHSIG)``), then checks that the starter has not died already:
the request is made here, after ``exec``, so that the starter runs no Python code
between ``fork`` and ``exec``. Other systems have no parent-death signal; there
``ProcessGroup.close`` and its ``atexit`` hook end the children. Then the script
runs as ``__main__``, with its own folder first on ``sys.path``.
"""
import os
import runpy
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(starter: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"prctl(PR_SET_PDEATHSIG): {os.strerror(errno)}")
    if os.getppid() != starter:
        sys.exit(f"launch.py: the process that started "
                 f"this one ({starter}) has already exited")


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[1] not in ("0", "1") or not argv[0].isdigit():
        sys.exit("usage: python launch.py <starter pid> <0|1> script.py [args...]")
    starter, with_parent, script, *args = argv
    if with_parent == "1":
        die_with_parent(int(starter))
    sys.argv = [script, *args]
    # ProcessGroup runs this file with -P, so bookutils/ is not on sys.path, and
    # nothing here can shadow a module of the standard library for the script.
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
