"""SASL DIGEST-MD5 end to end: zkCli.sh (the Java client, with a client JAAS
file through CLIENT_JVMFLAGS) against our server and against Java's, both
with the same server JAAS file and ``authProvider.1=...SASLAuthenticationProvider``.
The client's output must agree: a ``sasl:bob`` ACL is created and enforced,
``whoami`` shows the SASL id, ``zookeeper.superUser`` reads everything, a
wrong password fails authentication."""

from __future__ import annotations

import os
import subprocess

import pytest

from javaref import QUICK_START, ZKCLI, JavaZooKeeperServer
from pyzkserver import PyZooKeeperServer

pytestmark = pytest.mark.java

SERVER_JAAS = """Server {
    org.apache.zookeeper.server.auth.DigestLoginModule required
    user_super="adminsecret"
    user_bob="bobsecret"
    user_alice="alicesecret";
};
"""
CLIENT_JAAS = """Client {{
    org.apache.zookeeper.server.auth.DigestLoginModule required
    username="{user}"
    password="{password}";
}};
"""
SASL_PROVIDER = {"authProvider.1": "org.apache.zookeeper.server.auth.SASLAuthenticationProvider"}


def zkcli(hosts: str, jaas, *command: str) -> str:
    env = dict(os.environ)
    env.pop("CLIENT_JVMFLAGS", None)
    env["JVMFLAGS"] = " ".join(QUICK_START)
    if jaas is not None:
        env["CLIENT_JVMFLAGS"] = f"-Djava.security.auth.login.config={jaas}"
    result = subprocess.run([str(ZKCLI), "-server", hosts, *command], env=env, capture_output=True, text=True,
                            timeout=120)
    lines = (result.stdout + result.stderr).splitlines()
    return "\n".join(line for line in lines if line.strip() and not line.startswith(("SLF4J", "Connecting to")))


def events_apart(output: str) -> str:
    """zkCli prints watch events from its event thread and results from its
    main thread, so the two interleave either way: the events (in order), then
    the rest (in order)."""
    lines = [line for line in output.splitlines() if line != "WATCHER::"]
    events = [line for line in lines if line.startswith("WatchedEvent ")]
    rest = [line for line in lines if not line.startswith("WatchedEvent ")]
    return "\n".join(events + ["--"] + rest)


def session(hosts: str, tmp_path) -> dict[str, str]:
    jaas = {}
    for user, password in (("bob", "bobsecret"), ("alice", "alicesecret"), ("bob", "wrong"), ("super", "adminsecret")):
        path = tmp_path / f"client-{user}-{password}.conf"
        path.write_text(CLIENT_JAAS.format(user=user, password=password))
        jaas[user, password] = path
    bob = jaas["bob", "bobsecret"]
    results = {
        "create": zkcli(hosts, bob, "create", "/sasl_node", "data", "sasl:bob:cdrwa"),
        "getAcl": zkcli(hosts, bob, "getAcl", "/sasl_node"),
        "get_bob": zkcli(hosts, bob, "get", "/sasl_node"),
        "whoami": "\n".join(sorted(zkcli(hosts, bob, "whoami").splitlines())),
        "get_alice": zkcli(hosts, jaas["alice", "alicesecret"], "get", "/sasl_node"),
        "get_anonymous": zkcli(hosts, None, "get", "/sasl_node"),
        "get_super_user": zkcli(hosts, jaas["super", "adminsecret"], "get", "/sasl_node"),
        "get_wrong_password": zkcli(hosts, jaas["bob", "wrong"], "get", "/sasl_node"),
    }
    return {name: events_apart(output) for name, output in results.items()}


@pytest.fixture
def server_jaas(tmp_path):
    path = tmp_path / "server-jaas.conf"
    path.write_text(SERVER_JAAS)
    return path


def test_zkcli_sasl_against_ours_and_java(tmp_path, server_jaas, java_available):
    if not ZKCLI.exists():
        pytest.skip(f"{ZKCLI} is missing")
    flags = [f"-Djava.security.auth.login.config={server_jaas}", "-Dzookeeper.superUser=super"]
    with PyZooKeeperServer(tmp_path / "py", extra_cfg=SASL_PROVIDER, jvm_flags=" ".join(flags)) as ours:
        our_results = session(ours.hosts, tmp_path)
    with JavaZooKeeperServer(tmp_path / "java", extra_cfg=SASL_PROVIDER, jvm_args=flags) as java:
        java_results = session(java.hosts, tmp_path)
    assert our_results == java_results
    assert our_results["create"].endswith("Created /sasl_node")
    assert our_results["getAcl"].endswith("'sasl,'bob\n: cdrwa")
    assert our_results["get_bob"].endswith("data")
    assert "sasl: bob" in our_results["whoami"]
    assert our_results["get_alice"].endswith("Insufficient permission : /sasl_node")
    assert our_results["get_anonymous"].endswith("Insufficient permission : /sasl_node")
    assert "state:AuthFailed" in our_results["get_wrong_password"]
    assert our_results["get_super_user"].endswith("data")
