"""NIOServerCnxnFactory / NIOServerCnxn through real sockets: framing, bad input,
throttling, flow control, limits, expiry and shutdown.

The server behind the connections is the stand-in of nio_harness (see there why).
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time

import pytest

from javaref import wait_for
from nio_harness import (BAD_BUFFER, CLOSE_SESSION, ECHO, FIRE_WATCH, INT, INVALIDATE, PING, Harness, StandInServer, frame,
                         nio_threads, request, restore_properties, set_properties, wait_no_nio_threads,
                         watcher_event)
from pyzookeeper.proto.ConnectRequest import ConnectRequest
from pyzookeeper.proto.ConnectResponse import ConnectResponse
from pyzookeeper.server.NIOServerCnxn import RECV_SIZE

NIO_LOGGERS = ("pyzookeeper.server.NIOServerCnxn", "pyzookeeper.server.NIOServerCnxnFactory",
               "pyzookeeper.server.RateLogger", "pyzookeeper.server.WorkerService")


@pytest.fixture
def start(caplog):
    """start(props=..., **harness_args) -> a running Harness, stopped after the test."""
    caplog.set_level(logging.INFO)
    harnesses: list[Harness] = []
    saved: list[dict] = []

    def _start(props: dict | None = None, throttleAbove: int | None = None, **kwargs) -> Harness:
        saved.append(set_properties(props or {}))
        h = Harness(StandInServer(throttleAbove), **kwargs)
        harnesses.append(h)
        return h

    yield _start
    for h in harnesses:
        h.stop()
    for previous in reversed(saved):
        restore_properties(previous)
    wait_no_nio_threads()
    assert nio_threads() == []


def records(caplog, level=logging.INFO, contains: str = "") -> list[logging.LogRecord]:
    return [r for r in caplog.records
            if r.name in NIO_LOGGERS and r.levelno >= level and contains in r.getMessage()]


def test_handshake_then_pipelined_requests_answered_in_order(start):
    h = start()
    c = h.client()
    rsp = c.handshake(timeOut=12000)
    assert rsp.timeOut == 12000 and rsp.sessionId != 0
    c.sock.sendall(b"".join(frame(request(xid, ECHO, b"x%d" % xid)) for xid in range(1, 301)))
    for xid in range(1, 301):
        assert c.read_echo() == (xid, b"x%d" % xid)
    cnxn = h.factory.getConnections()[0]
    assert cnxn.getSessionId() == rsp.sessionId
    wait_for(lambda: cnxn.getPacketsSent() == 301, 30, what="packets sent")
    assert cnxn.getPacketsReceived() == 301
    assert cnxn.getOutstandingRequests() == 0
    assert h.zks.stats.getPacketsReceived() == 301


def test_frames_split_at_every_byte(start):
    h = start()
    c = h.client()
    c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    data = frame(ConnectRequest(0, 0, 30000, 0, bytes(16)).toByteArray() + b"\0")
    data += frame(request(7, ECHO, b"split")) + frame(request(8, PING))
    for i in range(len(data)):
        c.sock.send(data[i:i + 1])
    c.read_frame()
    assert c.read_echo() == (7, b"split")
    ping, body = c.read_reply()
    assert (ping.xid, ping.zxid, ping.err, body) == (-2, 0x1F, 0, b"")


@pytest.mark.parametrize("size", [RECV_SIZE - 8, RECV_SIZE * 3 + 5, 1_000_000])
def test_large_frames_arrive_whole(start, size):
    h = start()
    c = h.client()
    c.handshake()
    payload = bytes(range(256)) * (size // 256) + b"z" * (size % 256)
    c.send_frame(request(1, ECHO, payload))
    c.send_frame(request(2, ECHO, b"after"))
    assert c.read_echo() == (1, payload)
    assert c.read_echo() == (2, b"after")


@pytest.mark.parametrize("length", [-5, 1048576, 0x7FFFFFFF])
def test_bad_length_closes_only_that_connection(start, caplog, length):
    h = start()
    good = h.client()
    good.handshake()
    bad = h.client()
    bad.handshake()
    port = bad.sock.getsockname()[1]
    bad.sock.sendall(INT.pack(length) + b"abcd")
    assert bad.closed_by_server()
    expected = (f"Len error. A message from /127.0.0.1:{port} with advertised length of {length} is either"
                " a malformed message or too large to process (length is greater than jute.maxbuffer=1048575)")
    wait_for(lambda: records(caplog, logging.WARNING, "Close of session"), 30, what="log line")
    [record] = records(caplog, logging.WARNING, "Close of session")
    assert record.getMessage() == f"Close of session 0x{bad.sessionId:x}"
    assert str(record.exc_info[1]) == expected
    good.send_frame(request(1, ECHO, b"still here"))
    assert good.read_echo() == (1, b"still here")
    h.wait_connections(1)


def test_largest_allowed_frame_is_jute_maxbuffer(start):
    h = start()
    c = h.client()
    c.handshake()
    body = b"m" * (1048575 - 8)
    c.send_frame(request(3, ECHO, body))
    assert c.read_echo() == (3, body)


def test_garbage_instead_of_a_handshake(start, caplog):
    h = start()
    c = h.client()
    c.sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert c.closed_by_server()
    wait_for(lambda: records(caplog, logging.WARNING), 30, what="log line")
    warnings = records(caplog, logging.WARNING)
    assert [r.getMessage() for r in warnings] == ["Close of session 0x0"]
    assert "advertised length of 1195725856" in str(warnings[0].exc_info[1])
    h.wait_connections(0)
    other = h.client()
    assert other.handshake().sessionId != 0


def test_request_before_handshake_is_not_a_connect_request(start, caplog):
    h = start()
    c = h.client()
    c.send_frame(request(1, ECHO))
    assert c.closed_by_server()
    h.wait_connections(0)
    [record] = records(caplog, logging.WARNING)
    assert record.getMessage() == "Close of session 0x0"
    assert h.client().handshake().sessionId != 0


def test_client_closing_is_logged_once_at_info(start, caplog):
    h = start()
    c = h.client()
    c.handshake()
    port = c.sock.getsockname()[1]
    sid = c.sessionId
    c.close()
    h.wait_connections(0)
    wait_for(lambda: records(caplog, contains="Unable to read"), 30, what="log line")
    lines = [r.getMessage() for r in caplog.records if r.name == "pyzookeeper.server.NIOServerCnxn"]
    assert lines == [
        "Unable to read additional data from client, it probably closed the socket:"
        f" address = /127.0.0.1:{port}, session = 0x{sid:x}"]


def test_abrupt_resets_and_half_frames_do_not_hurt_others(start, caplog):
    h = start()
    good = h.client()
    good.handshake()
    sessions = []
    for i in range(20):
        c = h.client()
        if i % 2:
            sessions.append(c.handshake().sessionId)
            c.sock.sendall(INT.pack(100) + b"half")
        else:
            c.sock.sendall(INT.pack(40))
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
    h.wait_connections(1)
    good.send_frame(request(9, ECHO, b"ok"))
    assert good.read_echo() == (9, b"ok")

    def dropped() -> list[str]:
        return [r.getMessage() for r in records(caplog) if r.getMessage().startswith("Close of session 0x")]

    # one WARN per dropped connection; one reset before it was even registered leaves none
    wait_for(lambda: len(dropped()) >= 10, 30, what="log lines")
    for sid in sessions:
        assert dropped().count(f"Close of session 0x{sid:x}") == 1
    assert len(dropped()) <= 20
    assert not records(caplog, logging.ERROR)


def test_send_close_session_flushes_reply_then_closes(start):
    h = start()
    c = h.client()
    c.handshake()
    c.send_frame(request(5, CLOSE_SESSION))
    reply, body = c.read_reply()
    assert (reply.xid, reply.err, body) == (5, 0, b"")
    assert c.closed_by_server()
    h.wait_connections(0)


def test_invalid_connection_is_closed_after_what_was_queued(start):
    """What the request throttler does when it drops a request of the connection."""
    h = start()
    c = h.client()
    c.handshake()
    c.sock.sendall(frame(request(1, ECHO, b"before")) + frame(request(2, INVALIDATE)))
    assert c.read_echo() == (1, b"before")
    reply, _ = c.read_reply()
    assert reply.xid == 2
    assert c.closed_by_server()
    h.wait_connections(0)


def test_server_bug_in_a_reply_closes_only_that_connection(start, caplog):
    h = start()
    good, bad = h.client(), h.client()
    good.handshake()
    bad.handshake()
    bad.send_frame(request(1, BAD_BUFFER))
    assert bad.closed_by_server()
    wait_for(lambda: records(caplog, logging.WARNING, "Unexpected exception"), 30, what="log line")
    good.send_frame(request(2, ECHO, b"fine"))
    assert good.read_echo() == (2, b"fine")
    h.wait_connections(1)


def test_watch_event_is_a_notification_frame(start):
    h = start()
    c = h.client()
    c.handshake()
    c.send_frame(request(4, FIRE_WATCH))
    notification, body = c.read_reply()
    assert (notification.xid, notification.zxid, notification.err) == (-1, -1, 0)
    event = watcher_event(body)
    assert (event.type, event.state, event.path) == (3, 3, "/watched")
    reply, _ = c.read_reply()
    assert reply.xid == 4


def test_throttled_connection_stops_reading_until_replies_go_out(start):
    """Once over the outstanding limit the connection takes no more requests, not
    even those already received in the same read; replies going out resume it."""
    h = start(throttleAbove=3)
    h.zks.hold = True
    c = h.client()
    c.handshake()
    c.sock.sendall(b"".join(frame(request(xid, ECHO, b"%d" % xid)) for xid in range(1, 21)))
    wait_for(lambda: h.zks.packets == 4, 30, what="4 requests taken")
    cnxn = h.factory.getConnections()[0]
    # the worker hands the connection back; the other 16 requests wait unread
    wait_for(cnxn.isSelectable, 30, what="connection back on its selector")
    assert cnxn.throttled and cnxn.getInterestOps() == 0
    assert h.zks.packets == 4
    got = []
    while len(got) < 20:
        wait_for(lambda: h.zks.held, 30, what="requests taken")
        got += [c.read_echo() for _ in range(h.zks.release())]
    assert got == [(xid, b"%d" % xid) for xid in range(1, 21)]
    assert h.zks.maxHeld == 4
    wait_for(lambda: not cnxn.throttled, 30, what="throttle lifted")


def test_unread_replies_queue_up_and_arrive_intact(start):
    """The client does not read while large replies are queued: the server keeps
    writing what the socket takes, in order, with partial writes in between."""
    h = start()
    c = h.client(timeout=30, rcvbuf=16384)
    c.handshake()
    bodies = [bytes([i]) * 200_000 for i in range(30)]
    for i, body in enumerate(bodies):
        c.send_frame(request(i + 1, ECHO, body))
    cnxn = h.factory.getConnections()[0]
    wait_for(lambda: cnxn.getPacketsReceived() == 31, 30, what="all requests read")
    assert cnxn.getWriteInterest()
    for i, body in enumerate(bodies):
        assert c.read_echo() == (i + 1, body)


def refused(h: Harness) -> bool:
    """Whether the server closes a new connection at once (the reset may already
    fail the connect)."""
    try:
        c = h.client()
    except ConnectionError:
        return True
    return c.closed_by_server()


def test_connection_throttle_refusal(start, caplog):
    h = start()
    h.zks.refuseConnections = True
    c = h.client()
    c.send_frame(ConnectRequest(0, 0, 30000, 0, bytes(16)).toByteArray() + b"\0")
    assert c.closed_by_server()
    wait_for(lambda: records(caplog, logging.WARNING, "Closing session 0x0"), 30, what="log line")
    [record] = records(caplog, logging.WARNING, "Closing session")
    assert str(record.exc_info[1]) == "Connection throttle rejected connection"
    h.zks.refuseConnections = False
    assert h.client().handshake().sessionId != 0


def test_per_ip_limit(start, caplog):
    h = start(maxcc=2)
    a, b = h.client(), h.client()
    a.handshake()
    b.handshake()
    assert refused(h)
    wait_for(lambda: records(caplog, logging.WARNING, "Too many connections"), 30, what="log line")
    [record] = records(caplog, logging.WARNING, "Too many connections")
    assert record.getMessage() == ("Message:Error accepting new connection: Too many connections from /127.0.0.1"
                                   " - max is 2 Value:null")
    a.close()
    h.wait_connections(1)
    d = h.client()
    assert d.handshake().sessionId != 0


def test_total_connection_limit(start, caplog):
    h = start(props={"zookeeper.maxCnxns": "3"})
    clients = [h.client() for _ in range(3)]
    for c in clients:
        c.handshake()
    assert refused(h)
    wait_for(lambda: [r for r in caplog.records if "Too many connections 3 - max is 3" in r.getMessage()],
             5, what="log line")


def test_sessionless_connection_expires(start):
    h = start(props={"zookeeper.nio.sessionlessCnxnTimeout": "300"})
    idle = h.client()
    assert idle.closed_by_server(timeout=30)
    h.wait_connections(0)


def test_thousand_connections_at_once(start):
    h = start(maxcc=0, backlog=1024)
    clients = [h.client(timeout=30) for _ in range(1000)]
    hello = frame(ConnectRequest(0, 0, 30000, 0, bytes(16)).toByteArray() + b"\0")
    for c in clients:
        c.sock.sendall(hello + frame(request(1, PING)))
    sessions = set()
    for c in clients:
        sessions.add(ConnectResponse.fromByteArray(c.read_frame()).sessionId)
        reply, _ = c.read_reply()
        assert reply.xid == -2
    assert len(sessions) == 1000
    assert h.factory.getNumAliveConnections() == 1000
    for c in clients:
        c.close()
    h.wait_connections(0, timeout=30)


@pytest.mark.skipif(not socket.has_ipv6, reason="no IPv6")
def test_ipv6_addresses_as_java_writes_them(start):
    try:
        h = start(host="::1")
    except OSError as e:
        pytest.skip(f"IPv6 loopback unusable: {e}")
    c = h.client()
    c.handshake()
    port = c.sock.getsockname()[1]
    cnxn = h.factory.getConnections()[0]
    assert str(cnxn.getRemoteSocketAddress()) == f"/[0:0:0:0:0:0:0:1]:{port}"
    assert cnxn.getHostAddress() == "0:0:0:0:0:0:0:1"
    assert [(i.scheme, i.id) for i in cnxn.getAuthInfo()] == [("ip", "0:0:0:0:0:0:0:1")]
    assert str(cnxn) == f"ip: /[0:0:0:0:0:0:0:1]:{port} sessionId: 0x{c.sessionId:x}"


def test_shutdown_closes_clients_and_stops_threads(start):
    h = start()
    clients = [h.client() for _ in range(5)]
    for c in clients:
        c.handshake()
    assert any(name.startswith("NIOWorkerThread-") for name in nio_threads())
    h.stop()
    for c in clients:
        assert c.closed_by_server()
    wait_no_nio_threads()
    assert nio_threads() == []
    assert h.zks.running is False


def test_workers_zero_means_selector_does_the_io(start):
    h = start(props={"zookeeper.nio.numWorkerThreads": "0"})
    c = h.client()
    c.handshake()
    c.sock.sendall(b"".join(frame(request(x, ECHO, b"w")) for x in range(1, 51)))
    assert [c.read_echo()[0] for _ in range(50)] == list(range(1, 51))
    assert not any(name.startswith("NIOWorkerThread") for name in nio_threads())


def test_concurrent_clients_pipelining(start):
    h = start()
    errors = []

    def run(n: int) -> None:
        try:
            c = h.client()
            c.handshake()
            for rnd in range(20):
                c.sock.sendall(b"".join(frame(request(rnd * 32 + i + 1, ECHO, b"%d-%d" % (n, i)))
                                        for i in range(32)))
                for i in range(32):
                    assert c.read_echo() == (rnd * 32 + i + 1, b"%d-%d" % (n, i))
            c.close()
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    h.wait_connections(0)
