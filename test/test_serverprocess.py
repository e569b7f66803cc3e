"""The test harness's server processes: started means serving, a taken port is
left for another, an exit is reported at once, nothing is left running."""

from __future__ import annotations

import os
import socket
import time

import pytest

from javaref import JavaZooKeeperServer, java_missing_reason
from pyzkserver import EmbeddedServer, PyZooKeeperServer
from serverprocess import PORT_POOL, ServerExited, free_port, free_ports, serving_mode, stop_leftovers, wait_for


def test_free_ports_are_distinct_bindable_and_outside_the_ephemeral_range():
    ports = free_ports(50)
    assert len(set(ports)) == 50
    low, high = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
    assert all(p in PORT_POOL and not low <= p <= high for p in ports)
    for p in ports[:5]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", p))


def test_wait_for_gives_up_at_once_on_server_exited():
    calls = []

    def exited():
        calls.append(1)
        raise ServerExited("gone")

    started = time.monotonic()
    with pytest.raises(ServerExited):
        wait_for(exited, timeout=30)
    assert len(calls) == 1 and time.monotonic() - started < 5
    with pytest.raises(TimeoutError, match="ValueError"):
        wait_for(lambda: int("x"), timeout=0.2)


def taken(port: int) -> socket.socket:
    s = socket.socket()
    s.bind(("127.0.0.1", port))
    s.listen()
    return s


@pytest.mark.parametrize("kind", ["py", "java"])
def test_a_taken_port_moves_the_first_start_to_another(tmp_path, kind):
    if kind == "java" and java_missing_reason():
        pytest.skip(java_missing_reason())
    server = (PyZooKeeperServer if kind == "py" else JavaZooKeeperServer)(tmp_path / kind)
    first = server.port
    with taken(first):
        with server:
            assert server.port != first
            assert server.mode() == "standalone"
            assert f"clientPort={server.port}\n" in server.cfg_path.read_text()
        assert not server.is_running()
    assert "Address already in use" in server.log_text()


def test_a_port_given_by_the_test_is_kept(tmp_path):
    port = free_port()
    with taken(port):
        with pytest.raises(ServerExited, match="Address already in use"):
            PyZooKeeperServer(tmp_path, port=port).start()


def test_embedded_server_leaves_a_taken_port(tmp_path):
    server = EmbeddedServer(tmp_path)
    first = server.port
    with taken(first), server:
        assert server.port != first
        assert serving_mode(server.port) == "standalone"


def test_an_exit_during_start_is_reported_with_the_log(tmp_path):
    server = PyZooKeeperServer(tmp_path, extra_cfg={"tickTime": "abc"})
    started = time.monotonic()
    with pytest.raises(ServerExited, match="pyzookeeper did not start: pyzookeeper exited with"):
        server.start()
    assert time.monotonic() - started < 30
    assert server.proc is None


def test_a_server_left_running_is_killed_at_the_end(tmp_path):
    server = PyZooKeeperServer(tmp_path).start()
    pid = server.proc.pid
    assert stop_leftovers() == ["pyzookeeper"]
    assert server.proc is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert stop_leftovers() == []
