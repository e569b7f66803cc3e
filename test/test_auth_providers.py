"""Authentication providers, checked against Java's classes from the Debian jar.

The digest of ``user:password`` pairs (ASCII, non-ASCII, astral, odd
separators, random text), IP ACL matching and validity with masks, the id
checks of the digest and sasl schemes and Kerberos name shortening are
compared with org.apache.zookeeper.server.auth.* through JPype. The registry,
AuthUtil and AuthenticationHelper are checked for Java's behaviour.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import random
import subprocess
import sys

import pytest

from pyzookeeper import system_properties
from pyzookeeper.data.Id import Id
from pyzookeeper.KeeperException import Code
from pyzookeeper.server.auth.DigestAuthenticationProvider import DigestAuthenticationProvider
from pyzookeeper.common.inet_address import InetSocketAddress
from pyzookeeper.server.auth.IPAuthenticationProvider import IPAuthenticationProvider
from pyzookeeper.server.auth.KerberosName import KerberosName
from pyzookeeper.server.auth.ProviderRegistry import ProviderRegistry
from pyzookeeper.server.auth.SASLAuthenticationProvider import SASLAuthenticationProvider
from pyzookeeper.server.auth.ServerAuthenticationProvider import MatchValues, ServerAuthenticationProvider, ServerObjs
from pyzookeeper.server.auth.WrappedAuthenticationProvider import WrappedAuthenticationProvider
from pyzookeeper.server.AuthenticationHelper import AuthenticationHelper
from pyzookeeper.server.util import AuthUtil


@pytest.fixture(autouse=True)
def clean_state():
    saved = system_properties.getProperties()
    ProviderRegistry.reset()
    DigestAuthenticationProvider._resetForTesting()
    KerberosName._resetForTesting()
    yield
    for name in system_properties.getProperties():
        system_properties.clearProperty(name)
    for name, value in saved.items():
        system_properties.setProperty(name, value)
    ProviderRegistry.reset()
    DigestAuthenticationProvider._resetForTesting()
    KerberosName._resetForTesting()


class FakeCnxn:
    """The part of ServerCnxn the providers use."""

    def __init__(self, remote=InetSocketAddress("127.0.0.1", 40000)) -> None:
        self.authInfo: list[Id] = []
        self.remote = remote
        self.closed = None

    def addAuthInfo(self, id: Id) -> None:
        if id not in self.authInfo:
            self.authInfo.append(id)

    def getAuthInfo(self) -> list[Id]:
        return list(self.authInfo)

    def getRemoteSocketAddress(self):
        return self.remote


ID_PASSWORDS = [
    "super:test", "bob:bobsecret", "user:", ":password", "", "no-colon", "a:b:c", "::", "ünïcødé:pässwörd",
    "用户:密码", "emoji😀:𝄞secret", "tab\tuser:new\nline", "sp ace:pa ss", "x" * 1000 + ":" + "y" * 1000,
]


def random_texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    alphabet = "ab:Z09 é中😀\u0000\u07ff\uffff"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(count)]


@pytest.mark.java
def test_generate_digest_matches_java(jvm):
    from org.apache.zookeeper.server.auth import DigestAuthenticationProvider as JDigest

    for text in ID_PASSWORDS + random_texts(300):
        assert DigestAuthenticationProvider.generateDigest(text) == str(JDigest.generateDigest(text)), text


@pytest.mark.java
def test_digest_algorithms_match_java_message_digest(jvm):
    from java.lang import String
    from java.security import MessageDigest
    from java.util import Base64

    for algorithm in ["SHA1", "SHA-1", "sha", "SHA-256", "SHA256", "sha-384", "SHA-512", "SHA-512/256", "SHA3-256",
                      "MD5", "OID.2.16.840.1.101.3.4.2.1"]:
        system_properties.setProperty(DigestAuthenticationProvider.DIGEST_ALGORITHM_KEY, algorithm)
        DigestAuthenticationProvider._resetForTesting()
        for text in ["super:test", "用户:密码😀"]:
            raw = MessageDigest.getInstance(algorithm).digest(String(text).getBytes("UTF-8"))
            expected = text.split(":", 1)[0] + ":" + str(Base64.getEncoder().encodeToString(raw))
            assert DigestAuthenticationProvider.generateDigest(text) == expected, algorithm


def test_unknown_digest_algorithm_is_refused():
    system_properties.setProperty(DigestAuthenticationProvider.DIGEST_ALGORITHM_KEY, "NOPE-1")
    with pytest.raises(RuntimeError, match="don't support this ACL digest algorithm: NOPE-1 in the current"):
        DigestAuthenticationProvider()


def test_digest_default_is_sha1():
    expected = "bob:" + base64.b64encode(hashlib.sha1(b"bob:secret").digest()).decode()
    assert DigestAuthenticationProvider.generateDigest("bob:secret") == expected
    assert DigestAuthenticationProvider.DIGEST_ALGORITHM == "SHA1"


@pytest.mark.java
def test_digest_id_checks_match_java(jvm):
    from org.apache.zookeeper.server.auth import DigestAuthenticationProvider as JDigest

    java = JDigest()
    ours = DigestAuthenticationProvider()
    for id in ["a:b", "a:", ":b", "a::", "a:b:", "a:b:c", "::", ":", "", "abc", "a::b", "用户:x"]:
        assert ours.isValid(id) == bool(java.isValid(id)), id
        try:
            expected = str(java.getUserName(id))
        except Exception:
            expected = IndexError
        if expected is IndexError:
            with pytest.raises(IndexError):
                ours.getUserName(id)
        else:
            assert ours.getUserName(id) == expected, id
        for other in ["a:b", id]:
            assert ours.matches(id, other) == bool(java.matches(id, other))


def test_digest_handle_authentication_adds_ids_and_super():
    superDigest = DigestAuthenticationProvider.generateDigest("super:adminsecret")
    system_properties.setProperty(DigestAuthenticationProvider.SUPER_DIGEST_KEY, superDigest)
    DigestAuthenticationProvider._resetForTesting()
    provider = DigestAuthenticationProvider()
    cnxn = FakeCnxn()
    assert provider.handleAuthentication(cnxn, b"bob:secret") == Code.OK
    assert cnxn.authInfo == [Id("digest", DigestAuthenticationProvider.generateDigest("bob:secret"))]
    cnxn = FakeCnxn()
    assert provider.handleAuthentication(cnxn, "super:adminsecret".encode()) == Code.OK
    assert cnxn.authInfo == [Id("super", ""), Id("digest", superDigest)]
    cnxn = FakeCnxn()
    assert provider.handleAuthentication(cnxn, b"\xff\xfe:pw") == Code.OK
    assert cnxn.authInfo[0].id.startswith("\ufffd\ufffd:")


def test_digest_main_prints_like_java():
    out = subprocess.run([sys.executable, "-m", "pyzookeeper.server.auth.DigestAuthenticationProvider",
                          "super:test", "bob:x"], capture_output=True, text=True, check=True).stdout
    assert out == ("super:test->super:D/InIHSb7yEEbrWz8b9l71RjZJU=\n"
                   "bob:x->" + DigestAuthenticationProvider.generateDigest("bob:x") + "\n")


@pytest.mark.java
def test_digest_cli_output_equals_java_cli(java_available):
    from javaref import run_java

    args = ["super:test", "bob:bobsecret", "用户:密码"]
    java_out = run_java("org.apache.zookeeper.server.auth.DigestAuthenticationProvider", *args).stdout
    ours = subprocess.run([sys.executable, "-m", "pyzookeeper.server.auth.DigestAuthenticationProvider", *args],
                          capture_output=True, text=True, check=True).stdout
    assert ours == java_out


IP_ACLS = ["10.0.0.0/8", "10.0.0.1", "10.1.2.3/16", "192.168.1.0/24", "192.168.1.128/25", "0.0.0.0/0", "1.2.3.4/32",
           "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/", "1.2.3/8", "1.2.3.4.5", "256.1.1.1", "-1.2.3.4", "+1.2.3.4",
           "01.002.3.4", "1.2.3.4/08", "1.2.3.4/+8", "::1", "0:0:0:0:0:0:0:1", "fe80::/10", "", "/", "a.b.c.d",
           " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/ 8", "1.2.3.4/99999999999", "127.0.0.1/31", "127.0.0.0/7"]
IP_IDS = ["10.0.0.1", "10.255.255.255", "11.0.0.1", "10.1.200.3", "192.168.1.1", "192.168.1.200", "1.2.3.4",
          "127.0.0.1", "126.0.0.1", "0:0:0:0:0:0:0:1", "::1", "", "1.2.3", "01.2.3.4"]


@pytest.mark.java
def test_ip_matches_and_is_valid_equal_java(jvm):
    from org.apache.zookeeper.server.auth import IPAuthenticationProvider as JIP

    java = JIP()
    ours = IPAuthenticationProvider()
    rng = random.Random(11)
    acls = IP_ACLS + [f"{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(0, 3)}.0/{rng.randint(0, 32)}"
                      for _ in range(200)]
    ids = IP_IDS + [f"{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(0, 3)}.{rng.randint(0, 255)}"
                    for _ in range(50)]
    for acl in acls:
        assert ours.isValid(acl) == bool(java.isValid(acl)), acl
        for id in ids:
            assert ours.matches(id, acl) == bool(java.matches(id, acl)), (id, acl)


def test_ip_mask_examples():
    ip = IPAuthenticationProvider()
    assert ip.matches("10.20.30.40", "10.0.0.0/8")
    assert not ip.matches("11.20.30.40", "10.0.0.0/8")
    assert ip.matches("192.168.1.77", "192.168.1.0/25")
    assert not ip.matches("192.168.1.200", "192.168.1.0/25")
    assert ip.matches("1.2.3.4", "9.9.9.9/0")
    assert not ip.matches("::1", "::1")
    assert not ip.isValid("10.0.0.0/33")
    assert not ip.isAuthenticated()


def test_ip_handle_authentication_uses_java_host_address():
    ip = IPAuthenticationProvider()
    for host, expected in [("127.0.0.1", "127.0.0.1"), ("::1", "0:0:0:0:0:0:0:1"),
                           ("2001:db8::ab", "2001:db8:0:0:0:0:0:ab")]:
        cnxn = FakeCnxn(InetSocketAddress(host, 5))
        assert ip.handleAuthentication(cnxn, b"ignored") == Code.OK
        assert cnxn.authInfo == [Id("ip", expected)]


@pytest.mark.java
def test_sasl_provider_matches_java(jvm):
    from java.lang import System
    from org.apache.zookeeper.server.auth import SASLAuthenticationProvider as JSasl

    java = JSasl()
    ours = SASLAuthenticationProvider()
    names = ["bob", "bob@EXAMPLE.COM", "zk/host@R", "a@b@c", "a/b/c@d", "/@", "", "@", "a/b", "x/y@"]
    for id in names:
        assert ours.isValid(id) == bool(java.isValid(id)), id
    System.setProperty("zookeeper.letAnySaslUserDoX", "anyone")
    system_properties.setProperty("zookeeper.letAnySaslUserDoX", "anyone")
    try:
        for id in ["super", "bob", "anyone"]:
            for acl in ["bob", "anyone", "super", "carol"]:
                assert ours.matches(id, acl) == bool(java.matches(id, acl)), (id, acl)
    finally:
        System.clearProperty("zookeeper.letAnySaslUserDoX")
    assert ours.handleAuthentication(FakeCnxn(), b"x") == Code.AUTHFAILED


@pytest.mark.java
def test_kerberos_short_names_match_java(jvm):
    from java.lang import System
    from org.apache.zookeeper.server.auth import KerberosName as JKerberosName

    rules = ("RULE:[1:$1@$0](.*@FOO\\.COM)s/@.*// RULE:[2:$1](zk)s/z/Z/g "
             "RULE:[2:$2-$1](.*)s/(.)-(.*)/$2_$1/ DEFAULT")
    System.setProperty("zookeeper.security.auth_to_local", rules)
    system_properties.setProperty("zookeeper.security.auth_to_local", rules)
    try:
        JKerberosName.setConfiguration()
        for name in ["bob", "joe@FOO.COM", "joe@BAR.COM", "zk/host@R", "zkz/host@R", "svc/h@R", "bob@", "/h@R"]:
            try:
                expected = str(JKerberosName(name).getShortName())
            except Exception as e:
                expected = type(e)
            ours = KerberosName(name)
            assert str(ours) == str(JKerberosName(name).toString())
            if isinstance(expected, str):
                assert ours.getShortName() == expected, name
            else:
                with pytest.raises(OSError):
                    ours.getShortName()
    finally:
        System.clearProperty("zookeeper.security.auth_to_local")
        JKerberosName.setConfiguration()
    assert [str(r) for r in KerberosName.parseRules(rules)] == [
        str(r) for r in rules.split(" ")]


def test_registry_builtins_and_java_class_names(caplog):
    system_properties.setProperty("zookeeper.authProvider.1",
                                  "org.apache.zookeeper.server.auth.SASLAuthenticationProvider")
    system_properties.setProperty("zookeeper.authProvider.2",
                                  "pyzookeeper.server.auth.KeyAuthenticationProvider.KeyAuthenticationProvider")
    system_properties.setProperty("zookeeper.authProvider.3", "pyzookeeper.server.auth.EnsembleAuthenticationProvider")
    system_properties.setProperty("zookeeper.authProvider.4", "org.apache.zookeeper.server.auth.NoSuchProvider")
    system_properties.setProperty("zookeeper.authProvider.5",
                                  "org.apache.zookeeper.server.auth.X509AuthenticationProvider")
    with caplog.at_level(logging.WARNING):
        assert isinstance(ProviderRegistry.getProvider("sasl"), SASLAuthenticationProvider)
    assert sorted(ProviderRegistry.listProviders().split()) == ["digest", "ensemble", "ip", "key", "sasl"]
    assert ProviderRegistry.listProviders().endswith(" ")
    problems = [r for r in caplog.records if r.getMessage().startswith("Problems loading")]
    assert [r.getMessage() for r in problems] == [
        "Problems loading org.apache.zookeeper.server.auth.NoSuchProvider",
        "Problems loading org.apache.zookeeper.server.auth.X509AuthenticationProvider"]
    assert "TLS client connections" in str(problems[1].exc_info[1])
    key = ProviderRegistry.getServerProvider("key")
    assert key is ProviderRegistry.getProvider("key")
    sasl = ProviderRegistry.getServerProvider("sasl")
    assert isinstance(sasl, WrappedAuthenticationProvider) and sasl.getScheme() == "sasl"
    assert ProviderRegistry.getServerProvider("sasl") is sasl
    assert ProviderRegistry.getServerProvider("nope") is None
    ProviderRegistry.removeProvider("sasl")
    assert ProviderRegistry.getProvider("sasl") is None and ProviderRegistry.getServerProvider("sasl") is None


class CountingProvider(ServerAuthenticationProvider):
    """A custom provider loaded by its Python path."""

    def getScheme(self) -> str:
        return "count"

    def handleAuthentication(self, serverObjs, authData):
        serverObjs.getCnxn().addAuthInfo(Id("count", str(len(authData))))
        return Code.OK

    def matches(self, serverObjs, matchValues):
        return int(matchValues.getId()) >= int(matchValues.getAclExpr()) and matchValues.getPath() == "/p"

    def isAuthenticated(self) -> bool:
        return True

    def isValid(self, id: str) -> bool:
        return id.isdigit()


def test_registry_custom_python_provider_and_add_or_update():
    ProviderRegistry.initialize()
    assert ProviderRegistry.getProvider("count") is None
    system_properties.setProperty("zookeeper.authProvider.count", "test_auth_providers:CountingProvider")
    ProviderRegistry.addOrUpdateProvider("zookeeper.authProvider.count")
    provider = ProviderRegistry.getServerProvider("count")
    assert type(provider).__name__ == "CountingProvider"
    cnxn = FakeCnxn()
    assert provider.handleAuthentication(ServerObjs(None, cnxn), b"12345") == Code.OK
    assert cnxn.authInfo == [Id("count", "5")]
    assert provider.matches(ServerObjs(None, cnxn), MatchValues("/p", "5", "3", 1, None))
    assert not provider.matches(ServerObjs(None, cnxn), MatchValues("/q", "5", "3", 1, None))


def test_wrapped_provider_delegates_with_server_objs():
    digest = ProviderRegistry.getServerProvider("digest")
    assert isinstance(digest, WrappedAuthenticationProvider)
    cnxn = FakeCnxn()
    assert digest.handleAuthentication(ServerObjs(object(), cnxn), b"u:p") == Code.OK
    expected = DigestAuthenticationProvider.generateDigest("u:p")
    assert digest.matches(ServerObjs(None, cnxn), MatchValues("/", expected, expected, 31, []))
    assert digest.isAuthenticated() and digest.isValid("u:x") and not digest.isValid("u")
    ip = ProviderRegistry.getServerProvider("ip")
    assert ip.matches(ServerObjs(None, cnxn), MatchValues("/", "10.1.1.1", "10.0.0.0/8", 1, None))


def test_digest_can_be_disabled(caplog):
    system_properties.setProperty("zookeeper.DigestAuthenticationProvider.enabled", "FALSE")
    with caplog.at_level(logging.INFO):
        assert ProviderRegistry.getProvider("digest") is None
    assert "zookeeper.DigestAuthenticationProvider.enabled = false" in caplog.text
    assert ProviderRegistry.getProvider("ip") is not None


def test_auth_util_users_and_client_infos():
    ids = [Id("digest", "bob:hash="), Id("ip", "127.0.0.1"), Id("super", ""), Id("unknown", "x"), Id("digest", " :h")]
    assert AuthUtil.getUser(Id("digest", "bob:hash=")) == "bob"
    assert AuthUtil.getUser(Id("unknown", "x")) is None
    assert AuthUtil.getUsers(ids) == "bob,127.0.0.1"
    assert AuthUtil.getUsers([]) is None and AuthUtil.getUsers(None) is None
    infos = AuthUtil.getClientInfos(ids)
    assert [(i.authScheme, i.user) for i in infos] == [
        ("digest", "bob"), ("ip", "127.0.0.1"), ("super", ""), ("unknown", ""), ("digest", " ")]
    from pyzookeeper.server.util.AuthUtil import AuthUtil as AuthUtilClass

    assert AuthUtilClass.getUsers(ids) == "bob,127.0.0.1"


class ReplyCnxn(FakeCnxn):
    def __init__(self, ids) -> None:
        super().__init__()
        self.authInfo = list(ids)
        self.sent = []

    def sendResponse(self, header, record, tag):
        self.sent.append((header, record, tag))

    def sendCloseSession(self):
        self.sent.append("close")

    def disableRecv(self):
        self.sent.append("disableRecv")


def test_authentication_helper_enforcement(caplog):
    helper = AuthenticationHelper()
    assert not helper.isEnforceAuthEnabled() and not helper.isSaslAuthRequired()
    assert helper.enforceAuthentication(ReplyCnxn([]), 1)

    system_properties.setProperty("zookeeper.enforce.auth.enabled", "true")
    with pytest.raises(ValueError, match="zookeeper.enforce.auth.enabled is true zookeeper.enforce.auth.schemes "
                                         "must be  configured."):
        AuthenticationHelper()
    system_properties.setProperty("zookeeper.enforce.auth.schemes", "digest, nope")
    with pytest.raises(ValueError, match="Authentication scheme nope is not available."):
        AuthenticationHelper()
    system_properties.setProperty("zookeeper.enforce.auth.schemes", "digest , ip")
    helper = AuthenticationHelper()
    assert helper.enforceAuthSchemes == ["digest", "ip"] and not helper.isSaslAuthRequired()
    assert helper.enforceAuthentication(ReplyCnxn([Id("ip", "127.0.0.1")]), 3)
    cnxn = ReplyCnxn([Id("world", "anyone")])
    with caplog.at_level(logging.ERROR):
        assert not helper.enforceAuthentication(cnxn, 7)
    header = cnxn.sent[0][0]
    assert (header.xid, header.zxid, header.err) == (7, 0, Code.SESSIONCLOSEDREQUIRESASLAUTH)
    assert cnxn.sent[1:] == ["close", "disableRecv"]
    assert ("Client authentication scheme(s) [world] does not match with any of the expected authentication "
            "scheme [digest, ip], closing session.") in caplog.text

    system_properties.setProperty("zookeeper.sessionRequireClientSASLAuth", "true")
    system_properties.setProperty("zookeeper.authProvider.sasl",
                                  "org.apache.zookeeper.server.auth.SASLAuthenticationProvider")
    ProviderRegistry.reset()
    helper = AuthenticationHelper()
    assert helper.isEnforceAuthEnabled() and helper.isSaslAuthRequired() and helper.enforceAuthSchemes == ["sasl"]
