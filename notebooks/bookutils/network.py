"""Who can reach the servers a chapter starts: the network interfaces this
process sees, the addresses a process listens on, and the check that the
"Beyond one machine" chapter and its server scripts run where nothing outside
their own network namespace can reach them."""
from __future__ import annotations

import os

OPT_OUT_ENV = "BOOK_ALLOW_EXPOSED_SERVERS"   # "1": the reader accepts the exposure


class ServersWouldBeExposed(RuntimeError):
    """The process shares a network with other machines; servers it starts
    would be reachable from them."""


def interfaces() -> dict[str, list[str]]:
    """{interface: its IPv4 and IPv6 addresses} in this process's network namespace."""
    import socket

    import psutil

    families = (socket.AF_INET, socket.AF_INET6)
    names = set(psutil.net_if_stats()) | set(psutil.net_if_addrs())
    addresses = psutil.net_if_addrs()
    return {name: [a.address for a in addresses.get(name, []) if a.family in families]
            for name in sorted(names)}


def outside_interfaces() -> dict[str, list[str]]:
    """The interfaces that are not loopback ones (with their addresses, perhaps
    none yet): any of them may connect this namespace to other machines."""
    import psutil

    stats = psutil.net_if_stats()
    return {name: addresses for name, addresses in interfaces().items()
            if name not in stats or "loopback" not in stats[name].flags.split(",")}


def is_loopback(address: str) -> bool:
    import ipaddress

    return ipaddress.ip_address(address.split("%")[0]).is_loopback


def outside_addresses() -> list[str]:
    """The addresses of this namespace through which another machine could
    connect: every address that is not a loopback one."""
    return [a for addresses in interfaces().values() for a in addresses
            if not is_loopback(a)]


def listening(pid: int) -> list[tuple[str, int]]:
    """The (address, port) pairs on which process ``pid`` accepts TCP connections;
    ``*`` is every IPv4 address, ``[::]`` every IPv6 address (and, on a dual-stack
    socket, every IPv4 one too)."""
    import psutil

    found = set()
    for conn in psutil.Process(pid).net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN:
            ip, port = conn.laddr
            found.add(({"0.0.0.0": "*", "::": "[::]"}.get(ip, f"[{ip}]"
                                                          if ":" in ip else ip), port))
    return sorted(found)


def wait_listening(pid: int, timeout_s: float = 60.0,
                   settle_s: float = 0.5) -> list[tuple[str, int]]:
    """``listening(pid)`` once a server has started: the first non-empty answer
    that stays the same for ``settle_s``; [] if the process ends or ``timeout_s``
    passes with nothing."""
    import time

    import psutil

    deadline = time.monotonic() + timeout_s
    last, since = [], time.monotonic()
    while True:
        try:
            found = listening(pid)
        except psutil.NoSuchProcess:
            return last
        now = time.monotonic()
        if found != last:
            last, since = found, now
        elif found and now - since >= settle_s:
            return found
        if now >= deadline:
            return found
        time.sleep(0.05)


def exposure_accepted() -> bool:
    """The reader said the machine is one that nothing outside can reach."""
    return os.environ.get(OPT_OUT_ENV) == "1"


def require_loopback_only() -> str:
    """Stop with an explanation unless this process's network namespace has no
    interface but loopback ones (or the reader opted out); return a one-line
    description of the network."""
    outside = outside_interfaces()
    if not outside:
        return "this kernel's network: " + ", ".join(interfaces()) + " (loopback only)"
    shown = ", ".join(f"{name} ({', '.join(addresses) or 'no address yet'})"
                      for name, addresses in outside.items())
    if exposure_accepted():
        return (f"this kernel's network reaches other machines through {shown}; "
                f"{OPT_OUT_ENV}=1 says the machine is behind a firewall")
    reason = os.environ.get("BOOK_LOOPBACK_ERROR", "")
    raise ServersWouldBeExposed(
        "This chapter starts servers (the tf.data service, MultiWorkerMirroredStrategy "
        "workers) that run, without authentication, whatever anyone who reaches their "
        f"port sends them, and this process's network has other interfaces: {shown}. "
        "Run the chapter in the kernel 'Python 3 (loopback only)', which `make lab` "
        "installs (Kernel > Change Kernel), and which `make test` and `make notebooks` "
        "use. " + (f"That kernel could not isolate itself: {reason}. "
                   if reason else "")
        + f"On a machine that nothing else can reach (behind a firewall), set "
        f"{OPT_OUT_ENV}=1 in the environment that starts Jupyter to run it anyway.")


def exit_unless_loopback_only(script: str) -> None:
    """For a server script, before it serves: exit with the reason where other
    machines could connect to it (``require_loopback_only``)."""
    import sys
    from pathlib import Path

    try:
        require_loopback_only()
    except ServersWouldBeExposed as err:
        sys.exit(f"{Path(script).name}: {err}")
