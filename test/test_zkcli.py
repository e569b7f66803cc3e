"""zkCli.sh, the Java command-line client, against our server and Java's.

One scripted session (commands on zkCli's standard input) runs against a fresh
Java 3.8 server and a fresh server of ours with the same settings; the two
transcripts must be equal once times, session ids and ports are masked. Both
servers start empty, so zxids are compared as they are.

zkCli prints watch notifications from its event thread, interleaved with the
commands' output at points that depend on thread timing; they are taken out of
the transcript and compared as a sequence of their own.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import os
import re
import subprocess

import pytest

from javaref import QUICK_START, ZKCLI, JavaZooKeeperServer, wait_for
from pyzkserver import PyZooKeeperServer
from pyzookeeper.ZooDefs import OpCode
from rawclient import RawClient, RequestWriter, decode_reply

JVM_FLAGS = ["-Dzookeeper.extendedTypesEnabled=true"]
CFG = {"tickTime": "2000"}
ALICE = "alice:" + base64.b64encode(hashlib.sha1(b"alice:secret").digest()).decode()

SCRIPT = f"""
version
whoami
ls /
ls -s /
create /zk
create /zk
create /zk/a hello
create -s /zk/seq one
create -s /zk/seq two
create -e /zk/eph ephemeral
create -e -s /zk/ephseq x
create /zk/eph/child x
create -c /zk/cont
create /zk/cont/c1 in-container
create -t 3600000 /zk/ttl with-ttl
create -t 3600000 -s /zk/ttlseq x
create -t 0 /zk/ttlzero x
create -t 100 -e /zk/ttleph x
create /nope/child x
create zk/rel x
create /zk/ä unicode-ä
create /zk/acl secret digest:{ALICE}:cdrwa
create /zk/wr data world:anyone:rw
ls /zk
ls -s /zk
ls -R /zk
ls /nope
get /zk/a
get -s /zk/a
get /nope
get /zk/acl
get -s /zk/seq0000000000
set /zk/a hello2
set -s /zk/a hello3
set -v 1 /zk/a bad-version
set -v 2 /zk/a good-version
set /nope x
stat /zk/a
stat /zk/eph
stat /zk/ttl
stat /zk/cont
stat /nope
getAcl /zk/a
getAcl -s /zk/a
getAcl /zk/acl
setAcl /zk/wr world:anyone:r
setAcl -s /zk/wr world:anyone:rw
setAcl -v 9 /zk/wr world:anyone:r
setAcl /zk/wr nosuch:x:rw
setAcl /nope world:anyone:r
addauth digest alice:secret
whoami
get /zk/acl
getAcl /zk/acl
create /zk/mine mine auth::cdrwa
getAcl /zk/mine
setAcl -R /zk/tree world:anyone:cdrwa
create /zk/tree
create /zk/tree/a
create /zk/tree/a/b
create /zk/tree/c
setAcl -R /zk/tree world:anyone:cdrwa
getAllChildrenNumber /zk
getAllChildrenNumber /zk/tree
getAllChildrenNumber /nope
getEphemerals
getEphemerals /zk/e
getEphemerals /nope
sync /
sync /zk
sync /nope
get -w /zk/a
set /zk/a watched
ls -w /zk/tree
create /zk/tree/d
stat -w /zk/gone
create /zk/gone
stat -w /zk/gone
delete /zk/gone
addWatch /zk/tree
create /zk/tree/e
set /zk/tree x
addWatch -m PERSISTENT_RECURSIVE /zk/tree/a
create /zk/tree/a/b/deep
set /zk/tree/a/b/deep y
delete /zk/tree/a/b/deep
addWatch -m WRONG /zk/tree
removewatches /zk/tree
removewatches /zk/tree
get -w /zk/a
ls -w /zk/a
removewatches /zk/a -d
removewatches /zk/a -c
removewatches /zk/a -a
removewatches /nope
printwatches
delete /zk/tree
delete -v 7 /zk/tree/c
delete /zk/tree/c
delete /nope
deleteall /zk/tree
ls /zk
create /zk/batch
create /zk/batch/1
create /zk/batch/2
create /zk/batch/3
create /zk/batch/3/x
deleteall -b 2 /zk/batch
ls /zk
delete /zk/cont/c1
ls /zk
create /zk/q
create /zk/q/1
setquota -n 2 /zk/q
setquota -b 10 /zk/q
listquota /zk/q
create /zk/q/2
create /zk/q/3 0123456789abc
listquota /zk/q
setquota -n 5 /zk/nope
setquota -n 5 /zk/q/1
delquota -b /zk/q
listquota /zk/q
delquota /zk/q
listquota /zk/q
setquota -N 3 /zk/q
setquota -B 20 /zk/q
listquota /zk/q
delquota -N /zk/q
delquota -B /zk/q
listquota /zk/q
delquota /zk/nope
listquota /nope
ls /zookeeper/quota
config
config -s
reconfig -add server.5=127.0.0.1:1234:1235;1236
history
redo 2
nosuchcommand
create
ls -R /
quit
"""

SESSION_ID = re.compile(r"0x[0-9a-f]{9,16}")
TIME = re.compile(r"(ctime|mtime) = .*")
WATCHED = re.compile(r"WatchedEvent state:\S+ type:\S+ path:\S+")
NOISE = ("SLF4J:", "JLine support", "Connecting to ", "Welcome to ZooKeeper")
# quit closes the session and exits the JVM at once: the event thread prints
# the Closed event or not, whichever server is on the other end
CLOSED = "WatchedEvent state:Closed type:None path:null"


def run_zkcli(port: int, script: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLIENT_JVMFLAGS="-Dzookeeper.sasl.client=false", JVMFLAGS=" ".join(QUICK_START))
    return subprocess.run([str(ZKCLI), "-server", f"127.0.0.1:{port}"], input=script, capture_output=True,
                          text=True, timeout=120, env=env)


def normalise(text: str, port: int) -> tuple[list[str], list[str]]:
    """(output lines, watch events) with times, session ids and the port masked.
    getEphemerals' paths are sorted, as their order is checked on its own in
    test_differential_java.py::test_ephemerals_order."""
    lines, events = [], []
    for line in text.splitlines():
        line = TIME.sub(r"\1 = <time>", line).replace(str(port), "<port>")
        line = SESSION_ID.sub("<session>", line)
        if line.startswith(NOISE) or line in ("", "WATCHER::", CLOSED):
            continue
        if line.startswith("[/") and line.endswith("]"):
            line = "[" + ", ".join(sorted(line[1:-1].split(", "))) + "]"
        if WATCHED.fullmatch(line):
            events.append(line)
            continue
        lines.append(line)
    return lines, events


def diff(java: list[str], py: list[str]) -> str:
    return "\n".join(difflib.unified_diff(java, py, "java", "py", lineterm="", n=2))


@pytest.fixture(scope="module")
def zkcli_available(java_available):
    if not ZKCLI.exists():
        pytest.skip(f"{ZKCLI} is missing")


def transcripts(tmp_path, script: str, cfg: dict | None = None, flags: list[str] | None = None):
    """zkCli's transcript of ``script`` against a fresh Java server and one of ours."""
    settings = dict(CFG, **(cfg or {}))
    flags = JVM_FLAGS + list(flags or [])
    out = {}
    for name, server in (("java", JavaZooKeeperServer(tmp_path / "java", extra_cfg=settings, jvm_args=flags)),
                         ("py", PyZooKeeperServer(tmp_path / "py", extra_cfg=settings, jvm_flags=" ".join(flags)))):
        with server:
            result = run_zkcli(server.port, script)
            out[name] = (normalise(result.stdout, server.port), normalise(result.stderr, server.port))
    return out


def test_zkcli_session_matches_java(zkcli_available, tmp_path):
    out = transcripts(tmp_path, SCRIPT)
    (java_stdout, java_events), (java_stderr, _) = out["java"]
    (py_stdout, py_events), (py_stderr, _) = out["py"]
    assert py_stdout == java_stdout, diff(java_stdout, py_stdout)
    assert py_stderr == java_stderr, diff(java_stderr, py_stderr)
    assert py_events == java_events, diff(java_events, py_events)
    # the script did reach the server: a few landmarks of its transcript
    assert "Created /zk/seq0000000001" in java_stderr and "Created /zk/ttlseq0000000007" in java_stderr
    assert "Node already exists: /zk" in java_stderr
    assert "WatchedEvent state:SyncConnected type:NodeDataChanged path:/zk/a" in java_events
    assert any(line.startswith("Output quota for /zk/q count=2") for line in java_stdout)


CONTAINER_SCRIPT = """
create -c /c1
create /c1/a
create -c /c2
create -c /c3
create /c3/a
create /c3/a/b
create -t 300 /ttl1 x
create -t 600000 /ttl2 x
create /ttl2/child
create -t 600000 /ttl3 x
delete /c1/a
delete /c3/a/b
quit
"""
AFTER_CLEANUP = """
ls -R /
stat /
stat /c2
stat /c3
stat /ttl2
stat /ttl3
getAllChildrenNumber /
quit
"""
# what the ContainerManager leaves: /c1 (emptied) and /ttl1 (expired) go; a
# container that never had children, one with a child left, a TTL node with a
# child and one whose TTL has not run out stay
REMAINING = {b"c2", b"c3", b"ttl2", b"ttl3", b"zookeeper"}


def root_children(client: RawClient) -> set[bytes]:
    client.send_request(7, OpCode.getChildren, RequestWriter().string("/").bool(False).getvalue())
    hdr, body = client.read_message()
    return set(decode_reply(OpCode.getChildren, body)[0])


def mask_root_pzxid(lines: list[str]) -> list[str]:
    """The root's pZxid is the zxid of the last cleanup delete, which the first
    zkCli's closeSession may come before or after (on Java's server too)."""
    lines = lines[:]
    root = lines.index("cZxid = 0x0")
    pzxid = next(i for i in range(root, len(lines)) if lines[i].startswith("pZxid = "))
    # the two cleanup deletes come after the script's 15 txns
    assert int(lines[pzxid].removeprefix("pZxid = "), 16) >= 0x10, lines[pzxid]
    lines[pzxid] = "pZxid = <last cleanup delete>"
    return lines


def test_containers_and_ttl_nodes_are_cleaned_up_like_java(zkcli_available, tmp_path):
    """zkCli creates containers and TTL nodes on servers whose ContainerManager
    runs every 100 ms; both servers delete the same nodes, and what remains
    reads the same."""
    flags = JVM_FLAGS + ["-Dznode.container.checkIntervalMs=100"]
    out = {}
    for name, server in (("java", JavaZooKeeperServer(tmp_path / "java", extra_cfg=CFG, jvm_args=flags)),
                         ("py", PyZooKeeperServer(tmp_path / "py", extra_cfg=CFG, jvm_flags=" ".join(flags)))):
        with server:
            with RawClient("127.0.0.1", server.port) as watcher:
                watcher.connect()
                created = run_zkcli(server.port, CONTAINER_SCRIPT)
                assert "Created /ttl3" in created.stderr, created.stderr
                wait_for(lambda: root_children(watcher) == REMAINING, timeout=30,
                         what=f"the {name} server's ContainerManager")
                result = run_zkcli(server.port, AFTER_CLEANUP)
                stdout, events = normalise(result.stdout, server.port)
                out[name] = (normalise(created.stderr, server.port), (mask_root_pzxid(stdout), events),
                             normalise(result.stderr, server.port))
    assert out["py"] == out["java"], diff(out["java"][1][0], out["py"][1][0])


QUOTA_SCRIPT = """
create /soft
setquota -n 2 /soft
create /soft/a
create /soft/b
create /soft/c
create /softb
setquota -b 5 /softb
create /softb/a 0123456789
set /softb/a 01234567890123
create /hard
setquota -N 2 /hard
create /hard/a
create /hard/b
create /hard/b/deep
set /hard/a whatever
create /hardb
setquota -B 5 /hardb
create /hardb/a 0123
create /hardb/b 01
set /hardb/a 0123456
set /hardb/a 01
create /hardb/c 012
setquota -n 1 /hard/a
listquota /soft
listquota /softb
listquota /hard
listquota /hardb
deleteall /hard/a
create /hard/c
delquota -N /hard
create /hard/d
listquota /hard
ls -R /zookeeper/quota
quit
"""
# Java's RateLogger holds back a message equal to the one before it for 100 ms,
# so the script never exceeds a quota twice in a row with the same numbers
QUOTA_LOG = re.compile(r"(WARN|ERROR)\s.*? - (Message:.*)$")


def quota_messages(log: str, port: int) -> list[str]:
    return [f"{m.group(1)} {m.group(2)}".replace(str(port), "<port>")
            for m in map(QUOTA_LOG.search, log.splitlines()) if m and "uota" in m.group(2)]


@pytest.mark.parametrize("enforce", [True, False], ids=["enforced", "not-enforced"])
def test_quotas_like_java(zkcli_available, tmp_path, enforce):
    """Soft limits (-n/-b) only log; hard limits (-N/-B) answer QUOTAEXCEEDED
    when zookeeper.enforceQuota is true, for creates, setData and a multi.
    Without it nothing is checked or logged."""
    flags = JVM_FLAGS + [f"-Dzookeeper.enforceQuota={str(enforce).lower()}"]
    out = {}
    for name, server in (("java", JavaZooKeeperServer(tmp_path / "java", extra_cfg=CFG, jvm_args=flags)),
                         ("py", PyZooKeeperServer(tmp_path / "py", extra_cfg=CFG, jvm_flags=" ".join(flags)))):
        with server:
            result = run_zkcli(server.port, QUOTA_SCRIPT)
            with RawClient("127.0.0.1", server.port) as client:
                client.connect()
                w = RequestWriter()
                for path in ("/hardb/m1", "/hardb/m2"):
                    w.int(OpCode.create).bool(False).int(-1)
                    w.string(path).buffer(b"xyz").acls([(31, "world", "anyone")]).int(0)
                client.send_request(1, OpCode.multi, w.int(-1).bool(True).int(-1).getvalue())
                hdr, body = client.read_message()
                multi = (hdr.err, decode_reply(OpCode.multi, body))
        # the log is read once the server has stopped and flushed it
        out[name] = (normalise(result.stdout, server.port), normalise(result.stderr, server.port), multi,
                     quota_messages(server.log_text(), server.port))
    java_stdout, java_stderr, java_multi, java_log = out["java"]
    py_stdout, py_stderr, py_multi, py_log = out["py"]
    assert py_stdout == java_stdout, diff(java_stdout[0], py_stdout[0])
    assert py_stderr == java_stderr, diff(java_stderr[0], py_stderr[0])
    assert py_multi == java_multi, (java_multi, py_multi)
    assert py_log == java_log, diff(java_log, py_log)
    exceeded = [line for line in java_stderr[0] if "Quota has exceeded" in line]
    if enforce:
        assert exceeded and any("softCountLimit=2" in line for line in java_log)
        assert java_multi[1][0][1] == -125
    else:
        assert not exceeded and not java_log and java_multi[0] == 0
