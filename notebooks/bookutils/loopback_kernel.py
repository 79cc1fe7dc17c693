"""A Jupyter kernel whose network is its own loopback interface and nothing else.

The chapter ``05_beyond_one_machine`` starts tf.data service servers and
MultiWorkerMirroredStrategy workers. Their gRPC servers listen on every address
of their network namespace (``[::]:port``), and they run, without
authentication, whatever a client sends them. In the host's namespace that
means anyone on the same network could use them. This kernel runs in a new
network namespace that has only a loopback interface, so whatever the chapter
starts can be reached from the kernel and its child processes, and from nowhere
else.

How: the kernel (``ipykernel``) runs inside ``bwrap --unshare-net --dev-bind / /``
(bubblewrap: the same files, processes and user, only the network is new),
talking ZeroMQ over Unix sockets, which do not belong to a network namespace.
This process stays outside and relays the five channels between the Unix sockets
and the ports the front end chose, so front ends (JupyterLab, nbval, nbconvert,
and anything else built on jupyter_client) talk to it as to any kernel. Interrupts
are sent as messages (the kernel spec says ``interrupt_mode: message``): a SIGINT
to this process's group would otherwise be the front end's way, and bubblewrap
runs in a session of its own so that no group signal ends it (and the kernel with
it). An interrupted kernel then raises ``KeyboardInterrupt`` in itself only; the
processes the chapter started keep running, until the chapter stops them.

Where bubblewrap is missing or cannot start (macOS, no ``bwrap``), the kernel
runs unwrapped, with the reason in ``BOOK_LOOPBACK_ERROR``: the chapter's first
cell (``bookutils.require_loopback_only``) then stops with that reason, inside
the notebook, instead of a kernel that dies without a word.

Install the kernel spec into an environment (``make lab`` and ``make test`` do)::

    python notebooks/bookutils/loopback_kernel.py install PREFIX

and run it as Jupyter does::

    python notebooks/bookutils/loopback_kernel.py -f CONNECTION_FILE
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

KERNEL_NAME = "book-loopback"
DISPLAY_NAME = "Python 3 (loopback only)"
ERROR_ENV = "BOOK_LOOPBACK_ERROR"   # why the kernel is not in its own namespace
# + the relay's PID: the folder of the kernel's sockets
RUNTIME_PREFIX = "book-loopback-"
# The shell and stdin relays must share one identity: the kernel addresses an
# input request to the identities its shell request came through.
RELAY_IDENTITY = b"book-loopback-relay"


def bwrap_argv() -> list[str]:
    """The wrapper: a new network namespace (bubblewrap brings its loopback
    up), the whole file system as it is, and the kernel dies with this process."""
    return [shutil.which("bwrap"), "--dev-bind", "/", "/", "--unshare-net",
            "--die-with-parent", "--"]


def namespace_problem() -> str:
    """Why the kernel cannot get its own network namespace here ("" if it can)."""
    if not sys.platform.startswith("linux"):
        return (f"{sys.platform} has no network namespaces "
                "(bubblewrap needs Linux), so the "
                "servers this chapter starts would be reachable from the network")
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    try:
        run = subprocess.run(bwrap_argv() + ["true"], capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bubblewrap did not start: {err}"
    if run.returncode != 0:
        return (f"bubblewrap cannot make a network "
                f"namespace here: {run.stderr.strip()[:300]}")
    return ""


def _address(info: dict, port: int) -> str:
    if info.get("transport", "tcp") == "ipc":
        return f"ipc://{info['ip']}-{port}"
    return f"tcp://{info['ip']}:{port}"


def _relay(frontend, backend) -> None:
    import zmq

    try:
        zmq.proxy(frontend, backend)
    except zmq.ZMQError:      # the relay is ending
        pass


def start_relays(context, outer: dict, inner: dict) -> list[threading.Thread]:
    """Bind the front end's ports (``outer``) and connect to the kernel's Unix
    sockets (``inner``), one relay thread per channel."""
    import zmq

    pairs = {"shell": (zmq.ROUTER, zmq.DEALER), "control": (zmq.ROUTER, zmq.DEALER),
             "stdin": (zmq.ROUTER, zmq.DEALER), "hb": (zmq.ROUTER, zmq.DEALER),
             "iopub": (zmq.XPUB, zmq.XSUB)}
    threads = []
    for channel, (front_type, back_type) in pairs.items():
        port = f"{channel}_port"
        frontend, backend = context.socket(front_type), context.socket(back_type)
        if front_type == zmq.ROUTER:
            frontend.router_handover = 1   # a client that reconnects gets its replies
        if channel in ("shell", "stdin"):
            backend.identity = RELAY_IDENTITY
        if channel == "iopub":
            # every client's subscription reaches the kernel
            frontend.setsockopt(zmq.XPUB_VERBOSE, 1)
        frontend.bind(_address(outer, outer[port]))
        backend.connect(_address(inner, inner[port]))
        thread = threading.Thread(target=_relay, args=(frontend, backend), daemon=True,
                                  name=f"relay-{channel}")
        thread.start()
        threads.append(thread)
    return threads


def run_kernel(connection_file: str) -> int:
    import zmq

    outer = json.loads(Path(connection_file).read_text())
    problem = namespace_problem()
    kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f"]
    if problem:          # run unwrapped; the chapter's first cell reports why
        env = dict(os.environ, **{ERROR_ENV: problem})
        return subprocess.call(kernel_cmd + [connection_file], env=env)

    remove_stale_runtimes()
    # The kernel's sockets and its connection file (with the key) live here; mode
    # 0700: this user only. The name carries this process's ID, so that a folder
    # left by a relay that was killed outright is removed by the next one.
    runtime = Path(tempfile.mkdtemp(prefix=f"{RUNTIME_PREFIX}{os.getpid()}-"))
    inner = dict(outer, transport="ipc", ip=str(runtime / "kernel"))
    inner_file = runtime / "kernel.json"
    inner_file.write_text(json.dumps(inner))
    context = zmq.Context()
    start_relays(context, outer, inner)
    # Interrupts arrive as messages; a SIGINT to this group must not end the relay,
    # and a SIGTERM ends the kernel with it (bwrap's --die-with-parent).
    def end(returncode):
        # The relay threads hold their sockets to the last: no interpreter teardown.
        shutil.rmtree(runtime, ignore_errors=True)
        os._exit(returncode)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: end(143))
    kernel = subprocess.Popen(bwrap_argv() + kernel_cmd + [str(inner_file)],
                              start_new_session=True)
    returncode = kernel.wait()
    time.sleep(0.2)   # the kernel's last replies are still on their way through
    end(returncode)



def remove_stale_runtimes() -> None:
    """Remove the runtime folders of relays that no longer run (killed with
    SIGKILL, they could not remove them): this user's, by the process ID in
    their names."""
    for folder in Path(tempfile.gettempdir()).glob(f"{RUNTIME_PREFIX}*-*"):
        pid = folder.name[len(RUNTIME_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or folder.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            pass


def kernel_spec(python: str) -> dict:
    return {"argv": [python, str(Path(__file__).resolve()), "-f", "{connection_file}"],
            "display_name": DISPLAY_NAME, "language": "python",
            "interrupt_mode": "message",
            "metadata": {"debugger": False}}


def install(prefix: Path) -> Path:
    """Write the kernel spec into ``prefix``/share/jupyter/kernels, for the
    interpreter running this (the environment's own, not the one it links to)."""
    folder = Path(prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "kernel.json"
    spec.write_text(json.dumps(kernel_spec(sys.executable), indent=1) + "\n")
    return spec


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-f", dest="connection_file",
                        help="the connection file Jupyter wrote")
    sub = parser.add_subparsers(dest="command")
    installer = sub.add_parser("install",
                               help="write the kernel spec into an environment")
    installer.add_argument("prefix", type=Path,
                           help="the environment's folder (sys.prefix)")
    args = parser.parse_args(argv)
    if args.command == "install":
        spec = install(args.prefix)
        problem = namespace_problem()
        print(f"installed the kernel '{DISPLAY_NAME}' ({spec})")
        if problem:
            print(f"warning: {problem}; the chapter will say so when it starts",
                  file=sys.stderr)
        return 0
    if not args.connection_file:
        parser.error("-f CONNECTION_FILE is needed to run the kernel")
    return run_kernel(args.connection_file)


if __name__ == "__main__":
    sys.exit(main())
