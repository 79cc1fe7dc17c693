"""Who can reach the servers a chapter starts: the network interfaces this
process sees, the addresses a process listens on, and the check that the
"Beyond one machine" chapter runs where only this machine can reach them."""
from __future__ import annotations

import os

OPT_OUT_ENV = "BOOK_ALLOW_EXPOSED_SERVERS"   # "1": the reader accepts the exposure


class ServersWouldBeExposed(RuntimeError):
    """The kernel shares a network with other machines; the chapter's servers
    would be reachable from them."""


def interfaces() -> dict[str, list[str]]:
    """{interface: its IPv4 and IPv6 addresses} in this process's network namespace."""
    import socket

    import psutil

    families = (socket.AF_INET, socket.AF_INET6)
    return {name: [a.address for a in addresses if a.family in families]
            for name, addresses in sorted(psutil.net_if_addrs().items())}


def is_loopback(address: str) -> bool:
    import ipaddress

    return ipaddress.ip_address(address.split("%")[0]).is_loopback


def outside_addresses() -> list[str]:
    """The addresses of this namespace through which another machine could
    connect: every address that is not a loopback one."""
    return [a for addresses in interfaces().values() for a in addresses if not is_loopback(a)]


def listening(pid: int) -> list[tuple[str, int]]:
    """The (address, port) pairs on which process ``pid`` accepts TCP connections;
    ``*`` is every IPv4 address, ``[::]`` every address, IPv4 and IPv6."""
    import psutil

    found = set()
    for conn in psutil.Process(pid).net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN:
            ip, port = conn.laddr
            found.add(({"0.0.0.0": "*", "::": "[::]"}.get(ip, f"[{ip}]" if ":" in ip else ip), port))
    return sorted(found)


def wait_listening(pid: int, timeout_s: float = 60.0) -> list[tuple[str, int]]:
    """``listening(pid)`` as soon as it is not empty (a server that has started);
    [] if the process ends or ``timeout_s`` passes first."""
    import time

    import psutil

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            found = listening(pid)
        except psutil.NoSuchProcess:
            return []
        if found or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)


def require_loopback_only() -> str:
    """Stop with an explanation unless this kernel's network namespace has no
    address but loopback ones; return a one-line description of the network."""
    outside = outside_addresses()
    if not outside:
        return "this kernel's network: " + ", ".join(interfaces()) + " (loopback only)"
    if os.environ.get(OPT_OUT_ENV) == "1":
        return (f"this kernel's network reaches other machines ({', '.join(outside)}); "
                f"{OPT_OUT_ENV}=1 says the machine is behind a firewall")
    reason = os.environ.get("BOOK_LOOPBACK_ERROR", "")
    raise ServersWouldBeExposed(
        "This chapter starts servers (the tf.data service, MultiWorkerMirroredStrategy "
        "workers) that run, without authentication, whatever anyone who reaches their "
        f"port sends them, and this kernel's network has other addresses: {', '.join(outside)}. "
        "Run the chapter in the kernel 'Python 3 (loopback only)', which `make lab` "
        "installs (Kernel > Change Kernel), and which `make test` and `make notebooks` "
        "use. " + (f"That kernel could not isolate itself: {reason}. " if reason else "")
        + f"On a machine that nothing else can reach (behind a firewall), set "
        f"{OPT_OUT_ENV}=1 in the environment that starts Jupyter to run it anyway.")
