"""A Jupyter kernel in a bubblewrap sandbox, for code that is not trusted.

The grader (``grade.py``) runs each student's notebook in a kernel started by
``kernel_manager``. On Linux with bubblewrap (Debian: ``apt-get install
bubblewrap``) that kernel runs as::

    limited.py --data <memory> --fsize <tmp size> --
    bwrap --unshare-all --die-with-parent --new-session --clearenv
          --ro-bind /usr /usr  --ro-bind /etc /etc  --ro-bind /sys /sys  (and /bin, /lib…)
          --dev /dev  --proc /proc  --size <tmp size> --tmpfs /tmp
          --ro-bind <the virtual environment and its interpreter>
          --bind <its runtime folder>  --ro-bind <student edition> /tmp/book
          ... python -m ipykernel_launcher -f <connection file>

so that it

- sees its own processes only (a private PID namespace: the grader, other
  submissions and the rest of the machine are invisible and cannot be signalled),
  and every process it starts ends when the sandbox ends;
- has no network (a private network namespace with only its own loopback): it
  talks to the grader through ZeroMQ over Unix sockets in its runtime folder, the
  one folder it shares with the grader, made for this kernel alone and removed
  after it;
- sees only what it needs, read-only: the system's programs and libraries, the
  Python environment and the student edition (``/tmp/book``: the notebooks' helper
  module, data, benchmark). Nothing else of the host exists inside: no ``/run`` or
  ``/var`` with the host's Unix sockets, no home folder, no instructor's tree
  (solutions), no submissions, no grader's output. It writes only into its own,
  empty ``/tmp`` (a tmpfs that disappears with it);
- starts with a cleared environment (no variables of the grader's leak in);
- has limits (``kernel.Limits``): its data memory (``RLIMIT_DATA``, 8 GiB: an
  allocation beyond fails with ``MemoryError``), its ``/tmp`` (512 MiB of the
  machine's memory) and the largest file it may write (as large as ``/tmp``, for
  the runtime folder it shares). The number of its processes is not limited
  (``RLIMIT_NPROC`` does not bind root; a cgroup would be needed): its time limit
  ends them.

``available()`` says whether the sandbox can start here. Where it cannot (macOS,
no bubblewrap), the grader refuses to run submissions and says why; only an
explicit ``--no-sandbox``, for notebooks the instructor trusts, runs kernels
unsandboxed, each in a fresh copy of the edition.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BOOK_INSIDE = Path("/tmp/book")   # where the student edition appears in the sandbox
KERNEL_NAME = "book-sandbox"


def bwrap() -> str | None:
    return shutil.which("bwrap")


def available() -> tuple[bool, str]:
    """(True, "") when the sandbox starts here, else (False, the reason). It
    starts the kernel's exact sandbox around ``python -c pass``."""
    import tempfile

    if not sys.platform.startswith("linux"):
        return False, f"no sandbox on {sys.platform} (bubblewrap needs Linux)"
    if bwrap() is None:
        return False, "bubblewrap is not installed (Debian: apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory(prefix="book-sandbox-check-") as tmp:
        (Path(tmp) / "book" / "notebooks").mkdir(parents=True)
        (Path(tmp) / "runtime").mkdir()
        argv = sandbox_argv(Path(tmp) / "book", Path(tmp) / "runtime", [])
        python = kernel_python()
        argv = argv[:argv.index(python)] + [python, "-c", "import ipykernel"]
        try:
            run = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as err:
            return False, f"bubblewrap did not start: {err}"
    if run.returncode != 0:
        return False, f"bubblewrap cannot start the sandbox here: {run.stderr.strip()[:200]}"
    return True, ""


def _runtime_paths() -> list[Path]:
    """What the kernel's Python needs to read: the virtual environment and the
    interpreter it was made from (both may sit in a hidden home folder)."""
    paths = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
             Path(sys.executable).resolve().parent.parent}
    return sorted(paths)


def kernel_python() -> str:
    """The interpreter the kernel runs, named by a path that exists inside the
    sandbox. Only real paths are mounted, so a virtual environment reached through
    a symbolic link (``.venv -> /elsewhere/venv``) is named from where it really is;
    Python still finds the environment there (its ``pyvenv.cfg``)."""
    executable, prefix = Path(sys.executable), Path(sys.prefix)
    try:
        return str(prefix.resolve() / executable.relative_to(prefix))
    except ValueError:                  # not inside the environment's folder
        return sys.executable


SYSTEM = ("/usr", "/etc", "/sys", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")


def sandbox_argv(book: Path, runtime_dir: Path, hide: list[Path],
                 tmp_bytes: int | None = None) -> list[str]:
    """The bubblewrap command line that wraps ``python -m ipykernel_launcher``.

    Only what the kernel needs is mounted, read-only: the system's programs and
    libraries (``SYSTEM``), the virtual environment and its interpreter, and the
    student edition at ``/tmp/book``. Nothing else of the host's file system
    exists inside (no ``/run`` or ``/var`` with their Unix sockets, no home, no
    instructor's tree). ``hide``: folders that must stay invisible; an error if
    one of the mounted folders would show one of them. ``tmp_bytes``: the size of
    its ``/tmp`` (a tmpfs, in the machine's memory)."""
    argv = [bwrap() or "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
    for path in SYSTEM:
        if os.path.islink(path):
            argv += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            argv += ["--ro-bind", path, path]
    argv += ["--dev", "/dev", "--proc", "/proc"]
    argv += (["--size", str(tmp_bytes)] if tmp_bytes else []) + ["--tmpfs", "/tmp"]
    mounted = _runtime_paths()
    for folder in hide:
        folder = Path(folder).resolve()
        for path in mounted:
            if folder == path or path in folder.parents:
                raise ValueError(f"the sandbox would show {folder}, which must stay hidden "
                                 f"(it is inside {path})")
    for path in mounted:
        argv += ["--ro-bind", str(path), str(path)]
    argv += ["--bind", str(runtime_dir), str(runtime_dir),
             "--ro-bind", str(book), str(BOOK_INSIDE),
             "--chdir", str(BOOK_INSIDE / "notebooks")]
    env = {"JPY_PARENT_PID": "1",          # ipykernel must not poll a parent it cannot see
           "HOME": "/tmp", "TMPDIR": "/tmp", "PATH": "/usr/local/bin:/usr/bin:/bin",
           "LANG": "C.UTF-8", "MPLBACKEND": "module://matplotlib_inline.backend_inline",
           "TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0", "PYTHONHASHSEED": "0"}
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return argv + [kernel_python(), "-m", "ipykernel_launcher", "-f", "{connection_file}"]


def limited(argv: list[str], memory_bytes: int, file_bytes: int) -> list[str]:
    """``argv`` run with the kernel's limits (``limited.py``): its data memory and
    the largest file it may write, inherited by everything in the sandbox."""
    return [sys.executable, str(Path(__file__).with_name("limited.py")),
            "--data", str(memory_bytes), "--fsize", str(file_bytes), "--", *argv]


def write_kernel_spec(kernels_dir: Path, argv: list[str]) -> str:
    """A kernel spec named ``book-sandbox`` in ``kernels_dir``; returns its name."""
    folder = kernels_dir / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(
        {"argv": argv, "display_name": "Python 3 (sandboxed)", "language": "python",
         # Signals to bwrap do not reach the kernel inside: interrupt by message.
         "interrupt_mode": "message"}, indent=1))
    return KERNEL_NAME


def kernel_manager(kernels_dir: Path, runtime_dir: Path, name: str, kernel_name: str):
    """A kernel manager that starts ``kernel_name`` from ``kernels_dir`` and puts
    its connection file in ``runtime_dir`` (which the sandbox can read)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    specs = KernelSpecManager(kernel_dirs=[str(kernels_dir)])
    km = AsyncKernelManager(kernel_name=kernel_name, kernel_spec_manager=specs, transport="ipc",
                       ip=str(runtime_dir / f"kernel-{name}"))
    km.connection_file = str(runtime_dir / f"kernel-{name}.json")
    return km


def unsandboxed_copy(book: Path, into: Path) -> Path:
    """With --no-sandbox (trusted notebooks only): a fresh copy of the edition per
    submission."""
    target = into / "book"
    shutil.copytree(book, target)
    return target


def process_tree(pid: int) -> list:
    """The process ``pid`` and its running descendants (psutil.Process objects)."""
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def kill_survivors(procs: list) -> list[int]:
    """After the kernel was shut down: kill those of ``procs`` still running and
    return their PIDs (psutil checks that a PID was not reused)."""
    import psutil

    # The sandbox's processes end a moment after the kernel is killed (the end of
    # the PID namespace reaches them asynchronously): give them that moment.
    _, still = psutil.wait_procs([p for p in procs if _running(p)], timeout=3)
    left = [proc for proc in still if _running(proc)]
    for proc in left:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(left, timeout=5)
    return [p.pid for p in left]


def _running(proc) -> bool:
    import psutil

    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
