"""SASL DIGEST-MD5 on the server: Java's own SASL client against our
ZooKeeperSaslServer, side by side with Java's DigestMD5Server and ZooKeeper's
Java SaslServerCallbackHandler fed the same JAAS file. Outcomes, authorization
ids and error messages must agree. The JAAS file reader is compared with the
JDK's on well-formed and malformed files, and the server's login set-up
(Java's ServerCnxnFactory.configureSaslLogin) is checked for its errors.
"""

from __future__ import annotations

import logging
import re

import pytest

from pyzookeeper import system_properties
from pyzookeeper.server.auth.jaas_config import Configuration, JaasConfigurationError, Login, parse_jaas_config
from pyzookeeper.server.auth.KerberosName import KerberosName
from pyzookeeper.server.auth.sasl_digest_md5 import DigestMD5Server, parseDirectives
from pyzookeeper.server.auth.SaslServerCallbackHandler import SaslServerCallbackHandler
from pyzookeeper.server.ZooKeeperSaslServer import SaslException, ZooKeeperSaslServer, configure_sasl_login

JAAS = """
Server {
    org.apache.zookeeper.server.auth.DigestLoginModule required
    user_super="adminsecret"
    user_bob="bobsecret"
    user_jöhn="pässwörd"
    "user_用户"="密码"
    "user_zk/host@EXAMPLE.COM"="kpw"
    "user_joe@EXAMPLE.COM"="jpw"
    user_empty="";
};
Client {
    org.apache.zookeeper.server.auth.DigestLoginModule required
    username="bob"
    password="bobsecret";
};
"""


@pytest.fixture(autouse=True)
def clean_state():
    saved = system_properties.getProperties()
    Configuration.refresh()
    KerberosName._resetForTesting()
    yield
    for name in system_properties.getProperties():
        system_properties.clearProperty(name)
    for name, value in saved.items():
        system_properties.setProperty(name, value)
    Configuration.refresh()
    KerberosName._resetForTesting()


@pytest.fixture
def jaas_file(tmp_path):
    path = tmp_path / "jaas.conf"
    path.write_text(JAAS, encoding="utf-8")
    system_properties.setProperty("java.security.auth.login.config", str(path))
    return path


@pytest.fixture
def java_side(jvm, jaas_file):
    """Java's SASL client and server factories, the server with ZooKeeper's handler."""
    from java.io import File
    from java.lang import String
    from java.security import URIParameter
    from javax.security.auth.callback import CallbackHandler, NameCallback, PasswordCallback
    from javax.security.auth.login import Configuration as JConfiguration
    from javax.security.sasl import RealmCallback, Sasl
    from org.apache.zookeeper.server.auth import SaslServerCallbackHandler as JHandler

    @jvm.JImplements(CallbackHandler)
    class ClientHandler:
        def __init__(self, user, password):
            self.user = user
            self.password = password

        @jvm.JOverride
        def handle(self, callbacks):
            for cb in callbacks:
                if isinstance(cb, NameCallback):
                    cb.setName(String(self.user))
                elif isinstance(cb, PasswordCallback):
                    cb.setPassword(String(self.password).toCharArray())
                elif isinstance(cb, RealmCallback):
                    cb.setText(cb.getDefaultText())

    config = JConfiguration.getInstance("JavaLoginConfig", URIParameter(File(str(jaas_file)).toURI()))

    class Side:
        @staticmethod
        def client(user, password, authzid):
            return Sasl.createSaslClient(["DIGEST-MD5"], authzid, "zookeeper", "zk-sasl-md5", None,
                                         ClientHandler(user, password))

        @staticmethod
        def server():
            return Sasl.createSaslServer("DIGEST-MD5", "zookeeper", "zk-sasl-md5", None, JHandler(config))

    return Side


def handshake(client, evaluate, complete, authorization_id):
    """ZooKeeper's exchange: empty token, challenge, response, rspauth."""
    try:
        challenge = bytes(evaluate(b""))
        response = bytes(client.evaluateChallenge(challenge))
        rspauth = bytes(evaluate(response))
        assert complete()
        assert client.evaluateChallenge(rspauth) is None
        assert client.isComplete()
        return ("ok", authorization_id())
    except Exception as e:
        return ("fail", _message(e))


def _message(e) -> str:
    text = str(e.getMessage()) if hasattr(e, "getMessage") else str(e)
    return text


def java_handshake(java_side, user, password, authzid):
    server = java_side.server()
    return handshake(java_side.client(user, password, authzid), server.evaluateResponse, server.isComplete,
                     lambda: str(server.getAuthorizationID()))


def our_handshake(java_side, user, password, authzid):
    server = ZooKeeperSaslServer(configure_sasl_login())
    return handshake(java_side.client(user, password, authzid), server.evaluateResponse, server.isComplete,
                     server.getAuthorizationID)


CASES = [
    ("bob", "bobsecret", "bob"), ("bob", "bobsecret", None), ("bob", "bobsecret", "alice"),
    ("bob", "wrong", "bob"), ("bob", "", None), ("eve", "x", "eve"), ("super", "adminsecret", "super"),
    ("jöhn", "pässwörd", "jöhn"), ("jöhn", "passwörd", None), ("用户", "密码", "用户"), ("用户", "密", None),
    ("zk/host@EXAMPLE.COM", "kpw", None), ("joe@EXAMPLE.COM", "jpw", "joe@EXAMPLE.COM"), ("empty", "", None),
]


@pytest.mark.java
def test_handshakes_agree_with_java(java_side):
    for user, password, authzid in CASES:
        java = java_handshake(java_side, user, password, authzid)
        ours = our_handshake(java_side, user, password, authzid)
        assert ours == java, (user, password, authzid)
    assert our_handshake(java_side, "bob", "bobsecret", "bob") == ("ok", "bob")
    assert our_handshake(java_side, "bob", "bobsecret", "alice") == ("ok", "bob")
    assert our_handshake(java_side, "bob", "nope", "bob") == (
        "fail", "DIGEST-MD5: digest response format violation. Mismatched response.")


@pytest.mark.java
def test_kerberos_name_rules_and_properties_agree_with_java(java_side):
    from java.lang import System
    from org.apache.zookeeper.server.auth import KerberosName as JKerberosName

    settings = [
        {"zookeeper.security.auth_to_local": "RULE:[2:$1@$0](zk@.*)s/@.*// RULE:[1:$1@$0](.*@EXAMPLE.COM)s/@.*//"},
        {"zookeeper.security.auth_to_local": "RULE:[2:$1@$0](zk@.*)s/@.*//",
         "zookeeper.kerberos.removeHostFromPrincipal": "true"},
        {"zookeeper.security.auth_to_local": "RULE:[2:$1@$0](zk@.*)s/@.*//",
         "zookeeper.kerberos.removeHostFromPrincipal": "true", "zookeeper.kerberos.removeRealmFromPrincipal": "true"},
    ]
    try:
        for props in settings:
            for name, value in props.items():
                System.setProperty(name, value)
                system_properties.setProperty(name, value)
            JKerberosName.setConfiguration()
            KerberosName._resetForTesting()
            for user, password in [("zk/host@EXAMPLE.COM", "kpw"), ("joe@EXAMPLE.COM", "jpw"), ("bob", "bobsecret")]:
                java = java_handshake(java_side, user, password, user)
                ours = our_handshake(java_side, user, password, user)
                assert ours == java and ours[0] == "ok", (props, user)
            for name in props:
                System.clearProperty(name)
                system_properties.clearProperty(name)
    finally:
        for name in ("zookeeper.security.auth_to_local", "zookeeper.kerberos.removeHostFromPrincipal",
                     "zookeeper.kerberos.removeRealmFromPrincipal"):
            System.clearProperty(name)
        JKerberosName.setConfiguration()


@pytest.mark.java
def test_super_password_property(java_side):
    system_properties.setProperty("zookeeper.SASLAuthenticationProvider.superPassword", "override")
    assert our_handshake(java_side, "super", "override", "super") == ("ok", "super")
    assert our_handshake(java_side, "super", "adminsecret", "super")[0] == "fail"


def crafted_responses(nonce: str) -> list[bytes]:
    base = {"charset": "utf-8", "username": '"bob"', "realm": '"zk-sasl-md5"', "nonce": f'"{nonce}"',
            "nc": "00000001", "cnonce": '"abc"', "digest-uri": '"zookeeper/zk-sasl-md5"', "maxbuf": "65536",
            "response": "0123456789abcdef0123456789abcdef", "qop": "auth"}

    def build(**changes):
        fields = dict(base)
        for key, value in changes.items():
            key = key.replace("_", "-")
            if value is None:
                fields.pop(key, None)
            else:
                fields[key] = value
        return ",".join(f"{k}={v}" for k, v in fields.items()).encode()

    return [
        b"", b"garbage", b"=x", b"a b", b"username", b'username="unterminated', b'username="bob"x', b"a,=b",
        build(username=None), build(realm=None), build(realm='"other"'), build(nonce=None), build(nonce='"zz"'),
        build(cnonce=None), build(nc="00000002"), build(qop="auth-int"), build(qop="auth-conf"), build(qop="bogus"),
        build(digest_uri=None), build(digest_uri='"zookeeper/other"'), build(digest_uri='"ZOOKEEPER/ZK-SASL-MD5"'),
        build(response=None), build(charset="latin1"), build(username='"eve"'),
        build() + b',username="twice"', build(authzid='"x"'), build() + b",unknown=1,auth-param=2",
        b"x" * 4097,
    ]


@pytest.mark.java
def test_malformed_responses_fail_like_java(java_side):
    for index in range(len(crafted_responses("n"))):
        results = []
        for evaluate in ("java", "ours"):
            server = java_side.server() if evaluate == "java" else ZooKeeperSaslServer(configure_sasl_login())
            challenge = bytes(server.evaluateResponse(b""))
            nonce = re.search(rb'nonce="([^"]+)"', challenge).group(1).decode()
            try:
                server.evaluateResponse(crafted_responses(nonce)[index])
                results.append(("ok", None))
            except Exception as e:
                results.append((type(e).__name__.rsplit(".", 1)[-1], _message(e)))
            try:
                server.evaluateResponse(b"again")
                results.append("accepted")
            except Exception as e:
                results.append(_message(e))
        java, java_again, ours, ours_again = results
        assert ours[1] == java[1], index
        assert ours_again == java_again == "DIGEST-MD5: Server at illegal state" or index == len(
            crafted_responses("n")) - 1
        assert ours[0] == "SaslException"


def test_challenge_format_and_states(jaas_file):
    server = ZooKeeperSaslServer(configure_sasl_login())
    with pytest.raises(RuntimeError, match="DIGEST-MD5 server negotiation not complete"):
        server.getAuthorizationID()
    challenge = server.evaluateResponse(b"ignored initial response")
    assert re.fullmatch(rb'realm="zk-sasl-md5",nonce="[A-Za-z0-9+/]{40}",charset=utf-8,algorithm=md5-sess',
                        challenge)
    assert not server.isComplete()
    other = ZooKeeperSaslServer(configure_sasl_login()).evaluateResponse(b"")
    assert other != challenge


def test_parse_directives_unquotes_and_keeps_bytes():
    table = parseDirectives(b' username="a\\"b" , realm=r,, nonce="n\xc3\xa9",qop=auth ')
    assert table[0] == b'a"b' and table[1] == b"r" and table[2] == b"n\xc3\xa9" and table[5] == b"auth"
    with pytest.raises(SaslException, match="peer sent more than one USERNAME directive: b"):
        parseDirectives(b"username=a,USERNAME=b")


def test_callback_handler_section_and_users(jaas_file):
    handler = SaslServerCallbackHandler(Configuration.getConfiguration())
    assert handler.credentials["bob"] == "bobsecret" and handler.credentials["用户"] == "密码"
    assert "username" not in handler.credentials
    system_properties.setProperty("zookeeper.sasl.serverconfig", "Missing")
    with pytest.raises(OSError, match="Could not find a 'Missing' entry in this configuration: Server cannot start."):
        SaslServerCallbackHandler(Configuration.getConfiguration())


def test_configure_sasl_login_outcomes(tmp_path, caplog):
    assert configure_sasl_login() is None

    good = tmp_path / "good.conf"
    good.write_text(JAAS, encoding="utf-8")
    system_properties.setProperty("java.security.auth.login.config", str(good))
    login = configure_sasl_login()
    assert isinstance(login, Login) and login.getLoginContextName() == "Server"
    assert isinstance(login.callbackHandler, SaslServerCallbackHandler)
    assert login.getSubject().getPrincipals() == set()

    system_properties.setProperty("zookeeper.sasl.serverconfig", "Client")
    assert configure_sasl_login() is not None
    system_properties.setProperty("zookeeper.sasl.serverconfig", "Nowhere")
    assert configure_sasl_login() is None
    system_properties.clearProperty("zookeeper.sasl.serverconfig")

    missing = tmp_path / "missing.conf"
    system_properties.setProperty("java.security.auth.login.config", str(missing))
    with caplog.at_level(logging.ERROR), pytest.raises(OSError) as info:
        configure_sasl_login()
    assert str(info.value) == f"No JAAS configuration section named 'Server' was found in '{missing}'."
    assert "(No such file or directory)" in caplog.text

    broken = tmp_path / "broken.conf"
    broken.write_text("Server {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  user_a=1;\n};\n")
    system_properties.setProperty("java.security.auth.login.config", str(broken))
    system_properties.setProperty("zookeeper.sasl.serverconfig", "Server")
    with pytest.raises(OSError) as info:
        configure_sasl_login()
    assert str(info.value) == (f"No JAAS configuration section named 'Server' was found in '{broken}'. "
                               "But zookeeper.sasl.serverconfig was set.")
    system_properties.clearProperty("zookeeper.sasl.serverconfig")

    kerberos = tmp_path / "krb.conf"
    kerberos.write_text('Server {\n com.sun.security.auth.module.Krb5LoginModule required\n useKeyTab=true\n'
                        ' keyTab="/etc/zk.keytab" principal="zookeeper/host@EXAMPLE.COM";\n};\n')
    system_properties.setProperty("java.security.auth.login.config", str(kerberos))
    with pytest.raises(OSError, match="Could not configure server because SASL configuration did not allow the  "
                                      "ZooKeeper server to authenticate itself properly: "
                                      "javax.security.auth.login.LoginException: .*GSSAPI.* not supported"):
        configure_sasl_login()

    unknown = tmp_path / "unknown.conf"
    unknown.write_text("Server {\n com.example.NoSuchModule required;\n};\n")
    system_properties.setProperty("java.security.auth.login.config", str(unknown))
    with pytest.raises(OSError, match="unable to find LoginModule class: com.example.NoSuchModule"):
        configure_sasl_login()


def test_configuration_follows_property_changes(tmp_path):
    first = tmp_path / "a.conf"
    first.write_text("Server { m required user_a=\"1\"; };")
    second = tmp_path / "b.conf"
    second.write_text("Other { m required; };")
    system_properties.setProperty("java.security.auth.login.config", str(first))
    assert Configuration.getConfiguration().getAppConfigurationEntry("Server")[0].getOptions() == {"user_a": "1"}
    system_properties.setProperty("java.security.auth.login.config", "=" + str(second))
    assert Configuration.getConfiguration().getAppConfigurationEntry("Server") is None
    assert Configuration.getConfiguration().getAppConfigurationEntry("Other")[0].getLoginModuleName() == "m"
    system_properties.setProperty("java.security.auth.login.config", first.as_uri())
    assert Configuration.getConfiguration().getAppConfigurationEntry("Server") is not None


JAAS_TEXTS = [
    JAAS,
    "Server { a.b.C required k=v; };",
    "Server { a.b.C REQUIRED k=v k2=\"quoted value\" ; x.Y optional; };",
    "A { m sufficient; }; B { m requisite a=\"1\"; };",
    "/* block\ncomment */ Server {\n m required // line comment\n a=\"b\";\n};",
    "Server {\r\n m required\r\n a='single';\r\n};",
    "Server { m required a=1; };",
    "Server { m bogus; };",
    "Server { m required a; };",
    "Server { m required a=; };",
    "Server { m required a=\"x\" }",
    "Server { m required a=\"x\";",
    "Server m required;",
    "Server { m required; }; Server { n optional; };",
    "Server { m required a=\"${user.home}/x\" b=\"${/}\" c=\"${{keep}}\"; };",
    "Server { m required a=\"${no.such.property}\"; };",
    "Server { m required a=\"\\t\\101\\n\\q\" b=\"unterminated\n; };",
    "Server { m required a=x/y c=d; };",
    "Server { -m required; };",
    "Server { m required a=-1; };",
    "{ m required; };",
    "Server { };",
    "",
    "// only a comment",
    "Server { m required a=\"1\"; };\n" * 1 + "\n" * 1200 + "Server {",
    "Sérvér { m required ключ=\"значение\" 键=值; };",
    "Server { m required user_bob=\"a\\\"b\"; };",
]


@pytest.mark.java
def test_jaas_reader_agrees_with_java(jvm, tmp_path):
    from java.io import File
    from java.security import URIParameter
    from javax.security.auth.login import Configuration as JConfiguration

    for index, text in enumerate(JAAS_TEXTS):
        path = tmp_path / f"case{index}.conf"
        path.write_text(text, encoding="utf-8")
        try:
            config = JConfiguration.getInstance("JavaLoginConfig", URIParameter(File(str(path)).toURI()))
            java = ("ok", {
                name: _java_entries(config.getAppConfigurationEntry(name))
                for name in ("Server", "Client", "A", "B", "Sérvér")})
        except Exception as e:
            cause = e
            while cause.getCause() is not None:
                cause = cause.getCause()
            java = ("error", str(cause.getMessage()))
        try:
            sections = parse_jaas_config(text)
            config = Configuration(sections)
            ours = ("ok", {
                name: [(e.getLoginModuleName(), e.getControlFlag().upper(), e.getOptions())
                       for e in config.getAppConfigurationEntry(name) or []] or None
                for name in ("Server", "Client", "A", "B", "Sérvér")})
        except JaasConfigurationError as e:
            ours = ("error", str(e))
        assert ours == java, (index, text)


def _java_entries(entries):
    if entries is None:
        return None
    result = []
    for entry in entries:
        flag = str(entry.getControlFlag().toString()).rsplit(" ", 1)[-1].upper()
        options = {str(k): str(v) for k, v in dict(entry.getOptions()).items()}
        result.append((str(entry.getLoginModuleName()), flag, options))
    return result


def test_digest_md5_server_rejects_oversized_and_late_calls():
    class Handler:
        def handle(self, callbacks):
            pass

    server = DigestMD5Server("zookeeper", "zk-sasl-md5", Handler())
    with pytest.raises(SaslException, match="Invalid digest response length. Got:  4097 Expected < 4096"):
        server.evaluateResponse(b"x" * 4097)
    assert server.getMechanismName() == "DIGEST-MD5"
