"""One tf.data service server (a dispatcher or a worker) in its own process.

The chapter "Beyond one machine" starts these with bookutils.ProcessGroup:

    python tfdata_server.py dispatcher [--work-dir DIR] [--worker-timeout-ms MS]
    python tfdata_server.py worker --dispatcher localhost:PORT

Each server asks the operating system for a free port (port 0), prints one line
``READY <port>`` once it serves, and then serves until it is stopped. Its logs go
to its own stderr, which ProcessGroup writes to a file in a scratch directory.
"""
from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from pathlib import Path  # noqa: E402

# notebooks/: bookutils
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bookutils.network import exit_unless_loopback_only  # noqa: E402

# a server here runs what anyone who connects sends
exit_unless_loopback_only(__file__)

import tensorflow as tf  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("role", choices=["dispatcher", "worker"])
    parser.add_argument("--port", type=int, default=0,
                        help="the port to serve on; "
                             "0 (the default) lets the OS pick a free one")
    parser.add_argument("--dispatcher", help="worker only: the dispatcher's host:port")
    parser.add_argument("--work-dir",
                        help="dispatcher only: journal for fault tolerance")
    parser.add_argument("--worker-timeout-ms", type=int, default=2000,
                        help="dispatcher only: "
                             "a worker silent this long is declared lost")
    parser.add_argument("--heartbeat-ms", type=int, default=250,
                        help="worker only: "
                             "how often the worker reports to the dispatcher")
    args = parser.parse_args(argv)

    service = tf.data.experimental.service
    if args.role == "dispatcher":
        config = service.DispatcherConfig(
            port=args.port, work_dir=args.work_dir,
            fault_tolerant_mode=bool(args.work_dir),
            worker_timeout_ms=args.worker_timeout_ms)
        server = service.DispatchServer(config)
        port = int(server.target.rsplit(":", 1)[1])
    else:
        if not args.dispatcher:
            parser.error("a worker needs --dispatcher host:port")
        config = service.WorkerConfig(
            dispatcher_address=args.dispatcher, port=args.port,
            heartbeat_interval_ms=args.heartbeat_ms)
        server = service.WorkerServer(config)
        port = server._address.rsplit(":", 1)[1] if hasattr(server, "_address") else "?"
    print(f"READY {port}", flush=True)
    server.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
