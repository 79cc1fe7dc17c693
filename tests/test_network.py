"""Who can reach the servers the book starts.

Measured, not assumed: every kind of server the chapters start (the tf.data
service's dispatcher and worker, a MultiWorkerMirroredStrategy worker) listens on
every address of its network, and the crash chapter's trainer listens on none.
Started from the kernel "Python 3 (loopback only)"
(``notebooks/bookutils/loopback_kernel.py``), the same servers cannot be reached
at the machine's other addresses; started outside it (told that the exposure is
accepted), they can, which shows that the test can fail. The server scripts
refuse to start where other machines could connect; the kernel's relay passes
what front ends need (output, input, interrupts, heartbeat), and where the kernel
cannot isolate itself the chapter says why."""
import json
import os
import socket
import sys
import textwrap
import time

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

import bookutils
from bookutils import loopback_kernel, network

LINUX = sys.platform.startswith("linux")
NOTEBOOKS = bookutils.REPO_ROOT / "notebooks"
EVERY_ADDRESS = ("[::]", "*")     # how psutil shows a socket bound to all addresses
SERVERS = ("dispatcher", "tf.data worker", "MWMS worker")


def server_group(tmp_path, env=None):
    """A ProcessGroup of one server of each kind the chapters start, each
    listening, and the crash chapter's trainer, paused mid-epoch."""
    group = bookutils.ProcessGroup()
    dispatcher = group.start("dispatcher", ["tfdata_server.py", "dispatcher"], env=env)
    address = f"localhost:{dispatcher.ready_line.split()[1]}"
    group.start("tf.data worker", ["tfdata_server.py", "worker", "--dispatcher", address], env=env)
    ports = [bookutils.free_port() for _ in range(2)]   # a peer that never comes: it waits
    tf_config = {"cluster": {"worker": [f"localhost:{port}" for port in ports]},
                 "task": {"type": "worker", "index": 0}}
    group.start("MWMS worker", ["mwms_worker.py", "--files", str(tmp_path / "none-*"),
                                "--one-file", str(tmp_path / "none"), "--steps", "1"],
                env={**(env or {}), "TF_CONFIG": json.dumps(tf_config)}, ready_prefix=None)
    group.start("crash trainer", ["resume_trainer.py", "--approach", "iterator",
                                  "--dir", str(tmp_path / "trainer"), "--pause-at", "0:1"],
                env=env, ready_prefix="PAUSED", timeout_s=120)
    return group


def listening_of(group) -> dict:
    waits = {"crash trainer": 0.0}     # paused: whatever it listens on is open by now
    return {name: bookutils.wait_listening(process.pid, timeout_s=waits.get(name, 120.0))
            for name, process in group.processes.items()}


def connects(host: str, port: int) -> bool:
    """A TCP connection to host:port is accepted (a link-local host carries its
    interface: fe80::1%eth0)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return False
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.settimeout(5)
        try:
            sock.connect(address)
        except OSError:
            return False
        return True


@pytest.fixture(scope="module")
def outside():
    addresses = bookutils.outside_addresses()
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


def needs_namespace():
    problem = loopback_kernel.namespace_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}; in CI, .ci/run installs bubblewrap")
        pytest.skip(problem)


def run(client, code: str, timeout=240, **kwargs) -> tuple[str, str]:
    """(status, what the code printed to stdout, or the error it raised)."""
    out = []

    def hook(msg):
        content = msg["content"]
        if msg["msg_type"] == "stream" and content["name"] == "stdout":
            out.append(content["text"])
        elif msg["msg_type"] == "error":
            out.append(f"{content['ename']}: {content['evalue']}")

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

STILL_SERVING = """
print(json.dumps({"running": group.running(),
                  "inside": {name: [connects("127.0.0.1", port) for _, port in pairs]
                             for name, pairs in found.items()}}))
"""


@pytest.mark.skipif(not LINUX, reason="network namespaces are Linux only")
def test_servers_are_reachable_from_outside_but_not_from_the_loopback_kernel(
        tmp_path, outside, loopback_kernel_manager):
    needs_namespace()
    km, client = loopback_kernel_manager(
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(NOTEBOOKS), str(bookutils.REPO_ROOT / "tests")])})
    # The kernel starts its servers while this process starts the same ones outside,
    # where they must be told that the exposure is accepted.
    msg_id = client.execute(textwrap.dedent(IN_KERNEL))
    group = server_group(tmp_path, env={network.OPT_OUT_ENV: "1"})
    try:
        found_outside = listening_of(group)
        reached_outside = {name: [connects(host, port) for host in outside for _, port in pairs]
                           for name, pairs in found_outside.items()}
    finally:
        group.close()
    reply = client.get_shell_msg(timeout=300)
    while reply["parent_header"].get("msg_id") != msg_id:   # a late reply to wait_for_ready's kernel_info
        reply = client.get_shell_msg(timeout=300)
    assert reply["content"]["status"] == "ok", reply["content"]
    printed = ""
    while True:
        msg = client.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            printed += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    inside = json.loads(printed)

    # Measured outside: every server listens on every address; the trainer on none.
    for name in SERVERS:
        assert found_outside[name] and all(host in EVERY_ADDRESS for host, _ in found_outside[name]), \
            (name, found_outside[name])
        assert all(reached_outside[name]), f"{name} outside the namespace should be reachable: the control"
    assert found_outside["crash trainer"] == [], found_outside["crash trainer"]

    # From the loopback kernel: the same servers, the same addresses, reachable from
    # inside its network and at no address of the machine's.
    for name in SERVERS:
        pairs = [tuple(pair) for pair in inside["listening"][name]]
        assert pairs and all(host in EVERY_ADDRESS for host, _ in pairs), (name, pairs)
        assert all(inside["inside"][name]), f"{name}: unreachable even from inside"
        for host in outside:
            for _, port in pairs:
                assert not connects(host, port), f"{name} reachable at {host}:{port} from outside"
    assert list(inside["interfaces"]) == ["lo"], inside["interfaces"]
    assert inside["listening"]["crash trainer"] == []
    # ...and they were still serving when they were tried from outside.
    status, out = run(client, STILL_SERVING)
    after = json.loads(out)
    assert status == "ok" and set(SERVERS) <= set(after["running"]), after
    assert all(all(after["inside"][name]) for name in SERVERS), after


@pytest.mark.skipif(not LINUX, reason="network namespaces are Linux only")
def test_the_relay_passes_output_input_interrupts_and_heartbeats(loopback_kernel_manager):
    needs_namespace()
    km, client = loopback_kernel_manager()
    status, out = run(client, "import bookutils; print(bookutils.require_loopback_only())")
    assert status == "ok" and out.strip() == "this kernel's network: lo (loopback only)", out
    status, out = run(client, "answer = input('name? ')", allow_stdin=True,
                      stdin_hook=lambda msg: client.input("Ada"))
    assert status == "ok"
    assert run(client, "print(answer)") == ("ok", "Ada\n")
    assert client.hb_channel.is_beating()
    msg_id = client.execute("import time; time.sleep(60)")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:            # interrupt once the cell runs
        msg = client.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            break
    time.sleep(0.5)
    km.interrupt_kernel()
    reply = client.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:   # a reply to an earlier request
        reply = client.get_shell_msg(timeout=30)
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    # After an error, ipykernel aborts the requests that reach it while it clears
    # its queue (a moment; longer on a busy machine): the next cell may be aborted.
    for _ in range(10):
        after = run(client, "print(6 * 7)")
        if after[0] != "aborted":
            break
        time.sleep(0.5)
    assert after == ("ok", "42\n")


@pytest.mark.skipif(not LINUX, reason="network namespaces are Linux only")
def test_shutdown_ends_the_kernel_and_removes_its_folder(loopback_kernel_manager):
    needs_namespace()
    import psutil

    km, client = loopback_kernel_manager()
    relay = psutil.Process(km.provisioner.pid)
    tree = [relay, *relay.children(recursive=True)]
    folders = list(relay_folders(relay.pid))
    assert len(tree) >= 3 and len(folders) == 1, (tree, folders)  # relay, bwrap, kernel
    km.shutdown_kernel(now=False)
    gone, alive = psutil.wait_procs(tree, timeout=30)
    assert not alive, alive
    assert not folders[0].exists()


def relay_folders(pid):
    import tempfile
    from pathlib import Path

    return Path(tempfile.gettempdir()).glob(f"{loopback_kernel.RUNTIME_PREFIX}{pid}-*")


def test_a_server_script_refuses_a_network_that_reaches_other_machines(outside, tmp_path):
    """Started where other machines could connect, a server exits before it
    serves, and says why; told that the exposure is accepted, it serves."""
    if bookutils.outside_interfaces() == {}:
        pytest.skip("this process's network is loopback only")
    with bookutils.ProcessGroup() as group:
        with pytest.raises(RuntimeError) as refused:
            group.start("dispatcher", ["tfdata_server.py", "dispatcher"], timeout_s=60)
    assert "tfdata_server.py: This chapter starts servers" in str(refused.value)
    assert "loopback only" in str(refused.value)


def test_without_bubblewrap_the_chapter_stops_and_says_why(loopback_kernel_manager, outside, tmp_path):
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


def test_an_interface_without_an_address_still_counts(monkeypatch):
    """A namespace whose only other interface has no address yet (a tunnel) is
    not a loopback-only one."""
    monkeypatch.setattr(network, "interfaces", lambda: {"lo": ["127.0.0.1"], "tun0": []})
    from types import SimpleNamespace

    import psutil

    stats = {"lo": SimpleNamespace(flags="up,loopback,running"),
             "tun0": SimpleNamespace(flags="up,pointopoint,running")}
    monkeypatch.setattr(psutil, "net_if_stats", lambda: stats)
    monkeypatch.delenv(network.OPT_OUT_ENV, raising=False)
    with pytest.raises(network.ServersWouldBeExposed, match=r"tun0 \(no address yet\)"):
        network.require_loopback_only()


def test_the_kernel_spec_names_this_environment_and_interrupts_by_message(tmp_path):
    spec = json.loads(loopback_kernel.install(tmp_path).read_text())
    assert spec["argv"][0] == sys.executable and spec["argv"][1] == str(
        (NOTEBOOKS / "bookutils" / "loopback_kernel.py").resolve())
    assert spec["argv"][2:] == ["-f", "{connection_file}"]
    assert spec["interrupt_mode"] == "message" and spec["display_name"] == "Python 3 (loopback only)"
