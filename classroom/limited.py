"""Run a command with resource limits, for a student's kernel (``sandbox.py`` puts
this in front of bubblewrap): the limits are inherited by everything inside.

    python limited.py --data BYTES --fsize BYTES -- command [args...]

``--data``: the data memory (``RLIMIT_DATA``: the heap and every private writable
mapping, so a NumPy or TensorFlow allocation beyond it fails with ``MemoryError``
instead of taking the grading machine's memory). ``--fsize``: the largest file the
kernel may write (``RLIMIT_FSIZE``), so that it cannot fill the disk through the one
host folder it shares with the grader."""
import argparse
import os
import resource
import sys


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=int, required=True)
    parser.add_argument("--fsize", type=int, required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    resource.setrlimit(resource.RLIMIT_DATA, (args.data, args.data))
    resource.setrlimit(resource.RLIMIT_FSIZE, (args.fsize, args.fsize))
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
