"""Digest and IP authentication end to end with kazoo, against our server and
Java's with the same super digest: who may read nodes with digest, ip and
masked-ip ACLs, invalid ACLs, an unknown scheme in ``addauth``, and which
ensemble names the ``ensemble`` scheme lets connect."""

from __future__ import annotations

import shlex

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import AuthFailedError, InvalidACLError, NoAuthError
from kazoo.security import ACL, Id, make_digest_acl

from javaref import JavaZooKeeperServer
from pyzkserver import PyZooKeeperServer
from pyzookeeper.server.auth.DigestAuthenticationProvider import DigestAuthenticationProvider

SUPER_FLAG = ("-Dzookeeper.DigestAuthenticationProvider.superDigest="
              + DigestAuthenticationProvider.generateDigest("super:adminsecret"))


def client(hosts: str, *auth: tuple[str, str]) -> KazooClient:
    zk = KazooClient(hosts, auth_data=list(auth) or None)
    zk.start(timeout=20)
    return zk


def outcome(action) -> str:
    try:
        action()
        return "ok"
    except NoAuthError:
        return "NoAuth"
    except InvalidACLError:
        return "InvalidACL"
    except AuthFailedError:
        return "AuthFailed"


def scenario(hosts: str) -> dict[str, str]:
    results = {}
    owner = client(hosts, ("digest", "bob:bobsecret"))
    other = client(hosts, ("digest", "eve:evesecret"))
    anonymous = client(hosts)
    admin = client(hosts, ("digest", "super:adminsecret"))
    try:
        owner.create("/digest", b"d", acl=[make_digest_acl("bob", "bobsecret", all=True)])
        owner.create("/ip_local", b"i", acl=[ACL(31, Id("ip", "127.0.0.1"))])
        owner.create("/ip_mask", b"m", acl=[ACL(31, Id("ip", "127.0.0.0/8"))])
        owner.create("/ip_other", b"o", acl=[ACL(31, Id("ip", "10.0.0.0/8"))])
        for name, zk in (("owner", owner), ("other", other), ("anonymous", anonymous), ("super", admin)):
            for path in ("/digest", "/ip_local", "/ip_mask", "/ip_other"):
                results[f"{name} get {path}"] = outcome(lambda: zk.get(path))
        for acl in (ACL(31, Id("ip", "300.1.1.1")), ACL(31, Id("ip", "1.2.3.4/33")), ACL(31, Id("digest", "nocolon")),
                    ACL(31, Id("nosuchscheme", "x")), ACL(31, Id("auth", ""))):
            results[f"create with {acl.id.scheme}:{acl.id.id}"] = outcome(
                lambda: anonymous.create("/bad", b"", acl=[acl]))
        results["create auth: as owner"] = outcome(lambda: owner.create("/authacl", b"", acl=[ACL(31, Id("auth", ""))]))
        results["other get auth: node"] = outcome(lambda: other.get("/authacl"))
        results["owner get auth: node"] = outcome(lambda: owner.get("/authacl"))
        results["owner set digest acl"] = outcome(lambda: owner.set_acls("/digest", [ACL(31, Id("world", "anyone"))]))
        results["anonymous get after setAcl"] = outcome(lambda: anonymous.get("/digest"))
        results["addauth unknown scheme"] = outcome(lambda: anonymous.add_auth("nosuchscheme", "x"))
    finally:
        for zk in (owner, other, anonymous, admin):
            zk.stop()
            zk.close()
    return results


@pytest.mark.java
def test_digest_and_ip_acls_like_java(tmp_path, java_available):
    with PyZooKeeperServer(tmp_path / "py", jvm_flags=SUPER_FLAG) as ours:
        our_results = scenario(ours.hosts)
    with JavaZooKeeperServer(tmp_path / "java", jvm_args=[SUPER_FLAG]) as java:
        java_results = scenario(java.hosts)
    assert our_results == java_results
    assert our_results["owner get /digest"] == "ok" and our_results["other get /digest"] == "NoAuth"
    assert our_results["super get /digest"] == "ok" and our_results["anonymous get /ip_mask"] == "ok"
    assert our_results["anonymous get /ip_other"] == "NoAuth"
    assert our_results["create with ip:1.2.3.4/33"] == "InvalidACL"


ENSEMBLE_CFG = {"authProvider.1": "org.apache.zookeeper.server.auth.EnsembleAuthenticationProvider"}
ENSEMBLE_FLAG = "-Dzookeeper.ensembleAuthName=prod, staging"


def ensemble_scenario(hosts: str) -> dict[str, str]:
    results = {}
    for name in ("prod", "staging", "", "other"):
        zk = client(hosts)
        try:
            try:
                zk.add_auth("ensemble", name)
                zk.exists("/")
                results[name] = "ok"
            except Exception as e:
                results[name] = type(e).__name__
        finally:
            zk.stop()
            zk.close()
    return results


@pytest.mark.java
def test_ensemble_names_like_java(tmp_path, java_available):
    with PyZooKeeperServer(tmp_path / "py", extra_cfg=ENSEMBLE_CFG, jvm_flags=shlex.quote(ENSEMBLE_FLAG)) as ours:
        our_results = ensemble_scenario(ours.hosts)
    with JavaZooKeeperServer(tmp_path / "java", extra_cfg=ENSEMBLE_CFG, jvm_args=[ENSEMBLE_FLAG]) as java:
        java_results = ensemble_scenario(java.hosts)
    assert our_results == java_results
    assert our_results["prod"] == our_results["staging"] == our_results[""] == "ok"
    assert our_results["other"] != "ok"
