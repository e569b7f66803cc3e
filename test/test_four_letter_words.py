"""Four-letter words: the whitelist and the command codes against Java's
FourLetterCommands, every command through a socket of the real server, and the
output of each compared with the Java server's for the same state."""

from __future__ import annotations

import logging
import re
import socket
import struct

import pytest

from javaref import JavaZooKeeperServer, four_letter_word, wait_for
from nio_harness import Harness, RawClient, StandInServer, restore_properties, set_properties
from pyzkserver import EmbeddedServer
from pyzookeeper import system_properties
from pyzookeeper.server.command.FourLetterCommands import FourLetterCommands, java_hash_order, java_string_hash
from pyzookeeper.server.ZooTrace import ZooTrace

WHITELIST = "zookeeper.4lw.commands.whitelist"
READONLY = "readonlymode.enabled"
ALL = ["conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "ruok", "stmk", "srst", "srvr", "stat",
       "wchc", "wchp", "wchs", "mntr", "isro", "telnet close", "hash"]
WHITELISTS = [None, "", "stat, ruok, isro", "*", "ruok,*",
              "foo bar foo,,, bar :.,@#$%^&*() , , , , bar, bar, stat,   ",
              "ruok, envi, conf, stat, srvr, cons, dump,wchs, wchp, wchc, srst, crst, dirs, mntr, gtmk, isro, stmk"]


def with_whitelist(whitelist: str | None, readonly: bool, action):
    """Runs ``action()`` with the whitelist property (None: unset) and read-only
    mode set, the whitelist read afresh; restores both after."""
    saved = {WHITELIST: system_properties.getProperty(WHITELIST), READONLY: system_properties.getProperty(READONLY)}
    try:
        if whitelist is None:
            system_properties.clearProperty(WHITELIST)
        else:
            system_properties.setProperty(WHITELIST, whitelist)
        system_properties.setProperty(READONLY, "true" if readonly else "false")
        FourLetterCommands.resetWhiteList()
        return action()
    finally:
        restore_properties(saved)


def enabled(whitelist: str | None, readonly: bool = False) -> set[str]:
    return with_whitelist(whitelist, readonly, lambda: {cmd for cmd in ALL if FourLetterCommands.isEnabled(cmd)})


def test_commands_of_a_server_not_serving():
    """What the commands answer while the server is not running (a stand-in server)."""
    saved = set_properties({WHITELIST: "*"})
    FourLetterCommands.resetWhiteList()
    h = Harness(StandInServer())
    try:
        h.zks.running = False
        for word in ("srvr", "stat", "cons", "conf", "dump", "wchs", "mntr", "dirs", "crst", "srst"):
            assert four_letter_word(h.port, word) == "This ZooKeeper instance is not currently serving requests\n"
        assert four_letter_word(h.port, "hash") == "This ZooKeeper instance is not currently serving requests"
        assert four_letter_word(h.port, "isro") == "null"
        assert four_letter_word(h.port, "ruok") == "imok"
    finally:
        h.stop()
        restore_properties(saved)


def test_whitelist_defaults_and_lists():
    assert enabled(None) == {"srvr"}
    assert enabled(None, readonly=True) == {"srvr", "isro"}
    assert enabled("stat, ruok, isro") == {"stat", "ruok", "isro", "srvr"}
    assert enabled("*") == set(ALL)
    assert enabled(WHITELISTS[5]) == {"stat", "srvr"}


def test_command_codes_are_the_letters_read_as_a_length():
    for cmd in ALL:
        if cmd != "telnet close":
            assert FourLetterCommands.getCommandString(struct.unpack(">i", cmd.encode())[0]) == cmd
    assert FourLetterCommands.getCommandString(struct.unpack(">i", b"\xff\xf4\xff\xfd")[0]) == "telnet close"
    assert not FourLetterCommands.isKnown(struct.unpack(">i", b"nope")[0])


def test_whitelist_and_codes_match_java(jvm):
    from java.lang import System
    from java.util import HashSet
    from org.apache.zookeeper.server.command import FourLetterCommands as JavaFLC

    mapField = JavaFLC.class_.getDeclaredField("cmd2String")
    mapField.setAccessible(True)
    javaMap = mapField.get(None)
    assert {int(e.getKey()): str(e.getValue()) for e in javaMap.entrySet()} == FourLetterCommands.cmd2String
    # the "known commands" log line shows the map in Java's HashMap order
    ours = ", ".join(f"{k}={FourLetterCommands.cmd2String[k]}"
                     for k in java_hash_order(list(FourLetterCommands.cmd2String), lambda k: k))
    assert str(javaMap.toString()) == "{" + ours + "}"
    setField = JavaFLC.class_.getDeclaredField("whiteListedCommands")
    setField.setAccessible(True)
    try:
        for whitelist in WHITELISTS:
            for readonly in (False, True):
                if whitelist is None:
                    System.clearProperty(WHITELIST)
                else:
                    System.setProperty(WHITELIST, whitelist)
                System.setProperty(READONLY, "true" if readonly else "false")
                JavaFLC.resetWhiteList()
                javaEnabled = {cmd for cmd in ALL if JavaFLC.isEnabled(cmd)}
                assert javaEnabled == enabled(whitelist, readonly), (whitelist, readonly)

                def whitelisted() -> list[str]:
                    FourLetterCommands.isEnabled("srvr")
                    return list(FourLetterCommands.whiteListedCommands)

                added = with_whitelist(whitelist, readonly, whitelisted)
                assert set(added) == {str(c) for c in setField.get(None)}
                # the "enabled commands" log line shows the set in the order of a
                # HashSet filled in the same order (Java's own set has grown in
                # earlier rounds, which changes its order)
                fresh = HashSet()
                for cmd in added:
                    fresh.add(cmd)
                assert str(fresh.toString()) == "[" + ", ".join(java_hash_order(added, java_string_hash)) + "]"
    finally:
        System.clearProperty(WHITELIST)
        System.clearProperty(READONLY)
        JavaFLC.resetWhiteList()


@pytest.fixture
def server(tmp_path):
    """The real standalone server, embedded, with every command whitelisted."""
    saved = {WHITELIST: system_properties.getProperty(WHITELIST)}
    try:
        with EmbeddedServer(tmp_path / "py") as s:
            FourLetterCommands.resetWhiteList()
            yield s
    finally:
        restore_properties(saved)


def send_raw(port: int, data: list[bytes]) -> bytes:
    """Sends the pieces one by one, then reads until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for piece in data:
            s.sendall(piece)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_simple_commands(server):
    port = server.port
    assert four_letter_word(port, "ruok") == "imok"
    assert four_letter_word(port, "isro") == "rw"
    assert four_letter_word(port, "gtmk") == str(ZooTrace.getTextTraceLevel())
    assert four_letter_word(port, "crst") == "Connection stats reset.\n"
    assert four_letter_word(port, "srst") == "Server stats reset.\n"
    assert re.fullmatch(r"datadir_size: \d+\nlogdir_size: \d+\n", four_letter_word(port, "dirs"))
    assert four_letter_word(port, "envi").startswith("Environment:\nzookeeper.version=3.8.0")


def test_set_trace_mask_reads_eight_more_bytes(server):
    before = ZooTrace.getTextTraceLevel()
    try:
        assert send_raw(server.port, [b"stmk" + struct.pack(">q", 0x1FF)]) == b"511"
        assert four_letter_word(server.port, "gtmk") == "511"
        # With the mask in a later segment, the server (as Java's) makes one more
        # read for it: the mask is set if it has arrived by then, and otherwise the
        # read comes up short and the connection is closed without an answer.
        answer = send_raw(server.port, [b"stmk", struct.pack(">q", -2)])
        assert answer in (b"-2", b"")
        assert ZooTrace.getTextTraceLevel() == (-2 if answer else 0x1FF)
        assert four_letter_word(server.port, "ruok") == "imok"
    finally:
        ZooTrace.setTextTraceLevel(before)


def test_word_split_across_segments(server):
    assert send_raw(server.port, [b"ru", b"o", b"k"]) == b"imok"


def test_not_whitelisted(server, props_whitelist):
    props_whitelist("srvr")
    assert four_letter_word(server.port, "ruok") == "ruok is not executed because it is not in the whitelist.\n"
    assert four_letter_word(server.port, "mntr") == "mntr is not executed because it is not in the whitelist.\n"
    assert four_letter_word(server.port, "srvr").startswith("Zookeeper version: ")


@pytest.fixture
def props_whitelist():
    saved = []

    def _set(whitelist: str) -> None:
        saved.append(set_properties({WHITELIST: whitelist}))
        FourLetterCommands.resetWhiteList()

    yield _set
    for previous in reversed(saved):
        restore_properties(previous)


def test_telnet_close_and_words_after_the_handshake(server, caplog):
    caplog.set_level(logging.INFO)

    def len_error(length: int) -> list:
        return [r for r in caplog.records
                if r.exc_info and f"advertised length of {length} " in str(r.exc_info[1])]

    # whitelisted but without a command: read as a (negative) length, as Java does
    assert send_raw(server.port, [b"\xff\xf4\xff\xfd"]) == b""
    wait_for(lambda: len_error(-720899), 30, what="Len error logged")
    # once the session is set up, the letters are an (impossible) length too
    c = RawClient(server.port)
    assert c.handshake().sessionId != 0
    c.sock.sendall(b"ruok")
    assert c.closed_by_server() and c.buf == b""
    wait_for(lambda: len_error(1920298859), 30, what="Len error logged")


def test_commands_list_a_kazoo_session(server):
    from kazoo.client import KazooClient

    zk = KazooClient(hosts=server.hosts)
    zk.start()
    try:
        zk.create("/w", b"x")
        zk.get("/w", watch=lambda event: None)
        sid = f"0x{zk.client_id[0]:x}"
        cons = four_letter_word(server.port, "cons")
        assert f",sid={sid},lop=GETD," in cons
        assert sid in four_letter_word(server.port, "dump")
        assert four_letter_word(server.port, "wchc") == f"{sid}\n\t/w\n\n"
        assert four_letter_word(server.port, "wchp") == f"/w\n\t{sid}\n\n"
        assert four_letter_word(server.port, "wchs") == "1 connections watching 1 paths\nTotal watches:1\n"
        stat = four_letter_word(server.port, "stat")
        assert "Clients:\n" in stat and "Connections: 2\n" in stat
    finally:
        zk.stop()
        zk.close()


# --- the same commands against the Java server -------------------------------------------

def normalize(text: str) -> list[str]:
    """The output with versions, numbers, ids, ports and dates blanked, lines sorted
    within blocks whose order is a hash map's."""
    text = re.sub(r"Zookeeper version: .*", "Zookeeper version: V", text)
    text = re.sub(r"expire at .*:", "expire at D:", text)
    text = re.sub(r"/127\.0\.0\.1:\d+", "/127.0.0.1:P", text)
    text = re.sub(r"0x[0-9a-f]+", "0xH", text)
    text = re.sub(r"/tmp/\S+", "PATH", text)
    text = re.sub(r"-?\d+(\.\d+)?(E-?\d+)?", "N", text)
    return sorted(text.split("\n"))


SAME_SHAPE = ["srvr", "stat", "cons", "conf", "dump", "wchs", "wchp", "wchc", "dirs", "crst", "srst", "ruok", "isro",
              "gtmk", "hash"]


def words_after(tmp_path, scenario, words: list[str]) -> dict[str, dict[str, str]]:
    """``{"java"|"ours": {word: output}}``: each server gets ``scenario(zk)`` from one
    kazoo session, then answers ``words`` while that session is open; its id
    reads ``<session>``."""
    from kazoo.client import KazooClient

    outputs = {}
    saved = {WHITELIST: system_properties.getProperty(WHITELIST)}
    with JavaZooKeeperServer(tmp_path / "java") as java, EmbeddedServer(tmp_path / "py") as ours:
        FourLetterCommands.resetWhiteList()
        for name, srv in (("java", java), ("ours", ours)):
            zk = KazooClient(hosts=srv.hosts)
            zk.start()
            try:
                scenario(zk)
                session = f"0x{zk.client_id[0]:x}"
                outputs[name] = {w: four_letter_word(srv.port, w).replace(session, "<session>") for w in words}
            finally:
                zk.stop()
                zk.close()
    restore_properties(saved)
    return outputs


def test_output_has_the_shape_of_javas(java_available, tmp_path):
    def scenario(zk) -> None:
        zk.create("/w", b"x")
        zk.create("/e", b"", ephemeral=True)
        zk.get("/w", watch=lambda event: None)

    outputs = words_after(tmp_path, scenario, SAME_SHAPE + ["mntr", "envi"])
    for word in SAME_SHAPE:
        ours, java = normalize(outputs["ours"][word]), normalize(outputs["java"][word])
        if word == "dump":
            # how sessions and connections fall into expiry buckets depends on timing
            ours, java = set(ours), set(java)
        assert ours == java, word

    def keys(text: str, sep: str) -> list[str]:
        return [line.split(sep)[0] for line in text.splitlines()]

    assert keys(outputs["ours"]["mntr"], "\t") == keys(outputs["java"]["mntr"], "\t")
    assert keys(outputs["ours"]["envi"], "=") == keys(outputs["java"]["envi"], "=")


def test_whitelist_follows_its_property():
    """Servers started one after the other in one process each get their whitelist."""
    saved = {WHITELIST: system_properties.getProperty(WHITELIST)}
    try:
        system_properties.setProperty(WHITELIST, "srvr")
        assert not FourLetterCommands.isEnabled("mntr")
        system_properties.setProperty(WHITELIST, "mntr")
        assert FourLetterCommands.isEnabled("mntr")
    finally:
        restore_properties(saved)


def test_watch_dumps_list_paths_in_javas_order(java_available, tmp_path):
    """wchp lists the watch table's paths, and wchc a session's paths, in the
    order of Java's HashMap and HashSet, after watches come and go."""
    def scenario(zk) -> None:
        for i in range(40):
            zk.create(f"/w{i}", b"x")
            zk.get(f"/w{i}", watch=lambda event: None)
        for i in range(25):
            zk.exists(f"/n{i}", watch=lambda event: None)
        # fired watches leave the tables
        for i in range(0, 40, 3):
            zk.set(f"/w{i}", b"y")
        for i in range(0, 25, 4):
            zk.create(f"/n{i}")
        zk.sync("/")

    outputs = words_after(tmp_path, scenario, ["wchp", "wchc"])
    assert outputs["java"]["wchp"].count("\n") > 40
    assert outputs["ours"] == outputs["java"]
