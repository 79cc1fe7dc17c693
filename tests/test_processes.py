"""bookutils.ProcessGroup: the processes a chapter starts always end, whether the
cell finishes, fails, or the kernel itself is killed; and they are told apart
from look-alikes.

The parent-death tests need Linux (``prctl``); elsewhere they skip, saying so."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

import bookutils

LINUX = sys.platform.startswith("linux")
WITH_BOOKUTILS = {**os.environ, "PYTHONPATH": str(bookutils.REPO_ROOT / "notebooks")}
needs_linux = pytest.mark.skipif(not LINUX, reason="the parent-death signal (prctl) is Linux only")

SCRIPTS = {
    "ready.py": "import time\nprint('READY 1234', flush=True)\ntime.sleep(600)\n",
    "silent.py": "import time\ntime.sleep(600)\n",
    "crash.py": "import sys\nprint('something went wrong', file=sys.stderr)\nsys.exit(3)\n",
    "result.py": "print('RESULT 42')\n",
    # Two lines in one write: the ready line must not wait for more output.
    "together.py": "import os, time\nos.write(1, b'starting\\nREADY 7\\n')\ntime.sleep(600)\n",
    "then_result.py": "import os\nos.write(1, b'READY 1\\nRESULT 43\\n')\n",
    "sibling.py": "VALUE = 5\n",
    "paths.py": ("import sys, sibling\n"
                 "print('READY', sibling.VALUE, any(p.endswith('bookutils') for p in sys.path), flush=True)\n"),
}


@pytest.fixture
def script_dir(tmp_path):
    for name, text in SCRIPTS.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def alive(pid):
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_ready_line_then_close_stops_it(script_dir):
    group = bookutils.ProcessGroup(script_dir=script_dir)
    proc = group.start("server", ["ready.py"])
    assert proc.ready_line == "READY 1234" and group.running() == ["server"]
    group.close()
    assert group.running() == [] and not alive(proc.popen.pid)


def test_a_failing_block_still_stops_everything(script_dir):
    pids = []
    with pytest.raises(ZeroDivisionError):
        with bookutils.ProcessGroup(script_dir=script_dir) as group:
            pids += [group.start(f"s{i}", ["ready.py"]).popen.pid for i in range(2)]
            1 / 0
    assert pids and not any(alive(pid) for pid in pids)


def test_a_crash_before_ready_shows_the_log(script_dir):
    with bookutils.ProcessGroup(script_dir=script_dir) as group:
        with pytest.raises(RuntimeError, match=r"(?s)exited with code 3.*something went wrong"):
            group.start("bad", ["crash.py"])


def test_never_ready_is_killed_after_the_timeout(script_dir):
    with bookutils.ProcessGroup(script_dir=script_dir) as group:
        start = time.monotonic()
        with pytest.raises(RuntimeError, match="not ready after 1 s"):
            group.start("mute", ["silent.py"], timeout_s=1)
        assert time.monotonic() - start < 10
        assert group.running() == []


def test_wait_returns_output_or_kills_at_the_limit(script_dir):
    with bookutils.ProcessGroup(script_dir=script_dir) as group:
        group.start("job", ["result.py"], ready_prefix=None)
        assert group.wait("job", timeout_s=30).strip() == "RESULT 42"
        group.start("stuck", ["silent.py"], ready_prefix=None)
        with pytest.raises(TimeoutError, match="did not finish within 1 s"):
            group.wait("stuck", timeout_s=1)
        assert group.running() == []


def test_restart_under_the_same_name(script_dir):
    with bookutils.ProcessGroup(script_dir=script_dir) as group:
        first = group.start("w", ["ready.py"])
        with pytest.raises(ValueError, match="already running"):
            group.start("w", ["ready.py"])
        group.kill("w")
        second = group.start("w", ["ready.py"])
        assert first.popen.pid != second.popen.pid and group.running() == ["w"]
    assert not alive(second.popen.pid)


def test_unknown_script_is_a_clear_error(script_dir):
    with bookutils.ProcessGroup(script_dir=script_dir) as group:
        with pytest.raises(FileNotFoundError, match="no script 'nope.py'"):
            group.start("x", ["nope.py"])


def test_a_ready_line_in_the_same_write_as_another_line(script_dir):
    """The pipe is read unbuffered: a READY that came with an earlier line in one
    write is seen at once (a buffered readline() left it unseen until the timeout)."""
    with bookutils.ProcessGroup(script_dir=script_dir) as group:
        start = time.monotonic()
        proc = group.start("both", ["together.py"], timeout_s=5)
        assert proc.ready_line == "READY 7" and time.monotonic() - start < 4


def test_a_script_imports_its_siblings_and_not_the_launcher_folder(script_dir):
    """The script's own folder comes first on sys.path (as with `python script.py`);
    the launcher's folder (bookutils/) is not on it at all (python -P)."""
    with bookutils.ProcessGroup(script_dir=script_dir) as group:
        assert group.start("p", ["paths.py"], timeout_s=20).ready_line == "READY 5 False"


def test_output_after_the_ready_line_reaches_wait(script_dir):
    with bookutils.ProcessGroup(script_dir=script_dir) as group:
        proc = group.start("job", ["then_result.py"], timeout_s=20)
        assert proc.ready_line == "READY 1"
        assert group.wait("job", timeout_s=30).strip() == "RESULT 43"


def test_the_starter_runs_no_python_between_fork_and_exec(script_dir, monkeypatch):
    """No preexec_fn: in a multi-threaded kernel, Python code (importing ctypes,
    loading libc) between fork and exec can deadlock. The child asks for the
    parent-death signal itself, in launch.py."""
    seen = {}
    real = subprocess.Popen

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(bookutils.processes.subprocess, "Popen", spy)
    with bookutils.ProcessGroup(script_dir=script_dir) as group:
        group.start("server", ["ready.py"])
    assert seen and seen.get("preexec_fn") is None


@needs_linux
def test_the_launcher_refuses_when_its_starter_is_already_gone(script_dir):
    """The parent may die between fork and the child's prctl: the child checks."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    result = subprocess.run([sys.executable, "-P", str(bookutils.processes.LAUNCHER), str(gone.pid), "1",
                             str(script_dir / "ready.py")], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and "has already exited" in result.stderr
    assert "READY" not in result.stdout


@needs_linux
def test_children_die_when_the_kernel_is_killed(script_dir):
    """SIGKILL gives Python no chance to clean up: the parent-death signal must."""
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        import bookutils
        group = bookutils.ProcessGroup(script_dir={str(script_dir)!r})
        print(group.start("server", ["ready.py"]).popen.pid, flush=True)
        time.sleep(600)
    """)], stdout=subprocess.PIPE, text=True, env=WITH_BOOKUTILS)
    child = int(parent.stdout.readline())
    assert alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(child), "the child outlived its killed parent"


def test_real_service_servers_are_found_and_stopped():
    # Started from the test process's network, for the seconds of this test: the
    # servers refuse that unless told the exposure is accepted (tests/test_network.py).
    exposed = {bookutils.network.OPT_OUT_ENV: "1"}
    assert bookutils.book_processes() == []
    with bookutils.ProcessGroup() as group:
        dispatcher = group.start("dispatcher", ["tfdata_server.py", "dispatcher"], env=exposed)
        port = int(dispatcher.ready_line.split()[1])
        assert port > 0
        group.start("worker", ["tfdata_server.py", "worker", "--dispatcher", f"localhost:{port}"],
                    env=exposed)
        assert len(bookutils.book_processes()) == 2
    assert bookutils.book_processes() == []


def test_free_port_is_bindable():
    import socket
    port = bookutils.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_only_what_a_group_started_is_a_book_process(script_dir):
    """Processes are recognized by the starter's PID in their environment: a
    bystander whose command line names a cluster script (an editor, `tail -f`) is
    not one, and another starter's processes are not listed as this process's."""
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)",
                                  str(bookutils.CLUSTER_DIR / "tfdata_server.py")])
    tail = subprocess.Popen(["tail", "-f", str(bookutils.CLUSTER_DIR / "tfdata_server.py")],
                            stdout=subprocess.DEVNULL)
    other = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        import bookutils
        group = bookutils.ProcessGroup(script_dir={str(script_dir)!r})
        print(group.start("server", ["ready.py"]).pid, flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True, env=WITH_BOOKUTILS)
    try:
        others_child = int(other.stdout.readline())
        with bookutils.ProcessGroup(script_dir=script_dir) as group:
            mine = group.start("server", ["ready.py"]).pid
            assert bookutils.book_processes() == [mine]
            assert bookutils.book_processes(started_by=other.pid) == [others_child]
            everyone = bookutils.book_processes_by_starter()
            assert everyone[mine] == os.getpid() and everyone[others_child] == other.pid
            assert bystander.pid not in everyone and tail.pid not in everyone
            assert bookutils.leftover_book_processes({os.getpid()}) == [mine]
        assert bookutils.book_processes() == []
    finally:
        for proc in (bystander, tail, other):
            proc.kill()
            proc.wait()


def test_orphans_of_a_student_edition_copy_are_left_overs(tmp_path):
    """The student edition runs its own copy of the cluster scripts, from another
    folder: its processes are book processes all the same, and once their
    starter is gone (a kernel killed without the parent-death signal, say on
    macOS, or a thread that started them ended) they are orphans that the test
    session's end check reports and kills (tests/conftest.py)."""
    copy = tmp_path / "student" / "notebooks" / "cluster"
    copy.mkdir(parents=True)
    (copy / "tfdata_server.py").write_text(SCRIPTS["ready.py"])
    starter = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import threading, bookutils
        group = bookutils.ProcessGroup(script_dir={str(copy)!r})
        # From a thread that ends: no parent-death signal, as on macOS.
        thread = threading.Thread(target=lambda: print(group.start("s", ["tfdata_server.py"]).pid, flush=True))
        thread.start(); thread.join()
        import os; os._exit(0)          # no atexit: the child outlives its starter
    """)], stdout=subprocess.PIPE, text=True, env=WITH_BOOKUTILS)
    child = int(starter.stdout.readline())
    starter.wait()
    try:
        assert alive(child)
        assert bookutils.book_processes_by_starter()[child] == starter.pid
        assert child in bookutils.leftover_book_processes(set())
    finally:
        os.kill(child, signal.SIGKILL)
