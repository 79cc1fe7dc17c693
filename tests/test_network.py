"""Who can reach the servers the book starts.

Measured, not assumed: every kind of server the chapters start (the tf.data
service's dispatcher and worker, a MultiWorkerMirroredStrategy worker) listens on
every address of its network, and the crash chapter's trainer listens on none.
Started from the kernel "Python 3 (loopback only)"
(``notebooks/bookutils/loopback_kernel.py``), the same servers cannot be reached
from the machine's other addresses; started outside it, they can, which shows
that the test can fail. The kernel's relay passes what front ends need (output,
input, interrupts), and where it cannot isolate itself the chapter says why."""
import json
import os
import socket
import sys
import textwrap

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

import bookutils
from bookutils import loopback_kernel

LINUX = sys.platform.startswith("linux")
NOTEBOOKS = bookutils.REPO_ROOT / "notebooks"


def server_group(tmp_path):
    """A ProcessGroup of one server of each kind the chapters start, each
    listening, and the crash chapter's trainer, paused mid-epoch."""
    group = bookutils.ProcessGroup()
    dispatcher = group.start("dispatcher", ["tfdata_server.py", "dispatcher"])
    address = f"localhost:{dispatcher.ready_line.split()[1]}"
    group.start("tf.data worker", ["tfdata_server.py", "worker", "--dispatcher", address])
    ports = [bookutils.free_port() for _ in range(2)]   # a peer that never comes: it waits
    tf_config = {"cluster": {"worker": [f"localhost:{port}" for port in ports]},
                 "task": {"type": "worker", "index": 0}}
    group.start("MWMS worker", ["mwms_worker.py", "--files", str(tmp_path / "none-*"),
                                "--one-file", str(tmp_path / "none"), "--steps", "1"],
                env={"TF_CONFIG": json.dumps(tf_config)}, ready_prefix=None)
    group.start("crash trainer", ["resume_trainer.py", "--approach", "iterator",
                                  "--dir", str(tmp_path / "trainer"), "--pause-at", "0:1"],
                ready_prefix="PAUSED", timeout_s=120)
    return group


def listening_of(group) -> dict:
    waits = {"crash trainer": 0.0}     # paused: whatever it listens on is open by now
    return {name: bookutils.wait_listening(process.pid, timeout_s=waits.get(name, 60.0))
            for name, process in group.processes.items()}


def connects(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(3)
        try:
            sock.connect((host, port))
        except OSError:
            return False
        return True


@pytest.fixture(scope="module")
def outside():
    addresses = [a for a in bookutils.outside_addresses() if "%" not in a]   # not link-local
    if not addresses:
        pytest.skip("this machine has no address but loopback ones: nothing to reach it from")
    return addresses


@pytest.fixture
def loopback_kernel_manager(tmp_path):
    """A kernel manager for "Python 3 (loopback only)", its spec installed into a
    temporary prefix (as `make lab` installs it into the venv)."""
    spec = loopback_kernel.install(tmp_path / "prefix")
    managers = []

    def start(env=None):
        specs = KernelSpecManager(kernel_dirs=[str(spec.parent.parent)])
        km = KernelManager(kernel_name=loopback_kernel.KERNEL_NAME, kernel_spec_manager=specs)
        km.start_kernel(cwd=str(NOTEBOOKS), **({"env": env} if env else {}))
        client = km.client()
        client.start_channels()
        client.wait_for_ready(timeout=120)
        managers.append((km, client))
        return km, client

    yield start
    for km, client in managers:
        client.stop_channels()
        km.shutdown_kernel(now=True)


def run(client, code: str, timeout=180, **kwargs) -> tuple[str, str]:
    """(status, everything the code printed or raised)."""
    out = []

    def hook(msg):
        content = msg["content"]
        out.append(content.get("text") or content.get("evalue") or "")

    reply = client.execute_interactive(textwrap.dedent(code), output_hook=hook, timeout=timeout,
                                       **kwargs)
    return reply["content"]["status"], "".join(out)


IN_KERNEL = """
import json
import bookutils
from test_network import connects, listening_of, server_group
group = server_group(bookutils.scratch_dir("network-test"))
found = listening_of(group)
inside = {name: [connects("127.0.0.1", port) for _, port in pairs] for name, pairs in found.items()}
print(json.dumps({"listening": found, "inside": inside, "interfaces": bookutils.interfaces()}))
"""


@pytest.mark.skipif(not LINUX, reason="network namespaces are Linux only")
def test_servers_are_reachable_from_outside_but_not_from_the_loopback_kernel(
        tmp_path, outside, loopback_kernel_manager):
    problem = loopback_kernel.namespace_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}; in CI, .ci/run installs bubblewrap")
        pytest.skip(problem)
    km, client = loopback_kernel_manager(
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(NOTEBOOKS), str(bookutils.REPO_ROOT / "tests")])})
    # The kernel starts its servers while this process starts the same ones outside.
    msg_id = client.execute(textwrap.dedent(IN_KERNEL))
    group = server_group(tmp_path)
    try:
        found_outside = listening_of(group)
        reached_outside = {name: [connects(host, port) for host in outside for _, port in pairs]
                           for name, pairs in found_outside.items()}
    finally:
        group.close()
    reply = client.get_shell_msg(timeout=240)
    assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok", reply["content"]
    printed = ""
    while True:
        msg = client.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            printed += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    inside = json.loads(printed)

    # Measured outside: every server listens on every address; the trainer on none.
    servers = ("dispatcher", "tf.data worker", "MWMS worker")
    for name in servers:
        assert found_outside[name] and all(host == "[::]" for host, _ in found_outside[name]), \
            (name, found_outside[name])
        assert all(reached_outside[name]), f"{name} outside the namespace should be reachable: the control"
    assert found_outside["crash trainer"] == [], found_outside["crash trainer"]

    # From the loopback kernel: the same servers, the same addresses, reachable from
    # inside its network and from no outside address.
    for name in servers:
        pairs = inside["listening"][name]
        assert pairs and all(host == "[::]" for host, _ in pairs), (name, pairs)
        assert all(inside["inside"][name]), f"{name}: unreachable even from inside"
        for host in outside:
            for _, port in pairs:
                assert not connects(host, port), f"{name} reachable at {host}:{port} from outside"
    assert list(inside["interfaces"]) == ["lo"], inside["interfaces"]
    assert inside["listening"]["crash trainer"] == []


@pytest.mark.skipif(not LINUX, reason="network namespaces are Linux only")
def test_the_relay_passes_output_input_and_interrupts(loopback_kernel_manager):
    problem = loopback_kernel.namespace_problem()
    if problem:
        pytest.skip(problem)
    km, client = loopback_kernel_manager()
    status, out = run(client, "import bookutils; print(bookutils.require_loopback_only())")
    assert status == "ok" and out.strip() == "this kernel's network: lo (loopback only)", out
    status, out = run(client, "answer = input('name? ')", allow_stdin=True,
                      stdin_hook=lambda msg: client.input("Ada"))
    assert status == "ok"
    assert run(client, "print(answer)") == ("ok", "Ada\n")
    msg_id = client.execute("import time; time.sleep(60)")
    import time
    time.sleep(1.0)
    km.interrupt_kernel()
    reply = client.get_shell_msg(timeout=20)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert run(client, "print(6 * 7)") == ("ok", "42\n")


def test_without_bubblewrap_the_chapter_stops_and_says_why(loopback_kernel_manager, tmp_path):
    """Where the kernel cannot isolate itself, it still starts, and the chapter's
    first check stops with the reason, in the notebook (not a kernel that dies)."""
    no_bwrap = tmp_path / "bin"
    no_bwrap.mkdir()
    km, client = loopback_kernel_manager(env={**os.environ, "PATH": str(no_bwrap)})
    status, out = run(client, "import bookutils; bookutils.require_loopback_only()")
    assert status == "error", out
    if LINUX:
        assert "bubblewrap is not installed" in out and "loopback only" in out, out
    status, out = run(client, """
        import os, bookutils
        os.environ["BOOK_ALLOW_EXPOSED_SERVERS"] = "1"
        print(bookutils.require_loopback_only())""")
    assert status == "ok" and "behind a firewall" in out, out


def test_the_kernel_spec_names_this_environment_and_interrupts_by_message(tmp_path):
    spec = json.loads(loopback_kernel.install(tmp_path).read_text())
    assert spec["argv"][0] == sys.executable and spec["argv"][1] == str(
        (NOTEBOOKS / "bookutils" / "loopback_kernel.py").resolve())
    assert spec["argv"][2:] == ["-f", "{connection_file}"]
    assert spec["interrupt_mode"] == "message" and spec["display_name"] == "Python 3 (loopback only)"
