"""bookutils.ProcessGroup: the processes a chapter starts always end, whether the
cell finishes, fails, or the kernel itself is killed."""
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import bookutils

SCRIPTS = {
    "ready.py": "import time\nprint('READY 1234', flush=True)\ntime.sleep(600)\n",
    "silent.py": "import time\ntime.sleep(600)\n",
    "crash.py": "import sys\nprint('something went wrong', file=sys.stderr)\nsys.exit(3)\n",
    "result.py": "print('RESULT 42')\n",
}


@pytest.fixture
def script_dir(tmp_path):
    for name, text in SCRIPTS.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


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


def test_children_die_when_the_kernel_is_killed(script_dir):
    """SIGKILL gives Python no chance to clean up: the parent-death signal must."""
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(bookutils.REPO_ROOT / 'notebooks')!r})
        import bookutils
        group = bookutils.ProcessGroup(script_dir={str(script_dir)!r})
        print(group.start("server", ["ready.py"]).popen.pid, flush=True)
        time.sleep(600)
    """)], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(child), "the child outlived its killed parent"


def test_real_service_servers_are_found_and_stopped():
    assert bookutils.book_processes() == []
    with bookutils.ProcessGroup() as group:
        dispatcher = group.start("dispatcher", ["tfdata_server.py", "dispatcher"])
        port = int(dispatcher.ready_line.split()[1])
        assert port > 0
        group.start("worker", ["tfdata_server.py", "worker", "--dispatcher", f"localhost:{port}"])
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
    other = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(bookutils.REPO_ROOT / 'notebooks')!r})
        import bookutils
        group = bookutils.ProcessGroup(script_dir={str(script_dir)!r})
        print(group.start("server", ["ready.py"]).pid, flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        others_child = int(other.stdout.readline())
        with bookutils.ProcessGroup(script_dir=script_dir) as group:
            mine = group.start("server", ["ready.py"]).pid
            assert bookutils.book_processes() == [mine]
            assert bookutils.book_processes(started_by=other.pid) == [others_child]
            everyone = bookutils.book_processes_by_starter()
            assert everyone[mine] == os.getpid() and everyone[others_child] == other.pid
            assert bystander.pid not in everyone
        assert bookutils.book_processes() == []
    finally:
        for proc in (bystander, other):
            proc.kill()
            proc.wait()
