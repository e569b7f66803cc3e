"""The JAAS login configuration file (``-Djava.security.auth.login.config``)
read the way Java's default ``javax.security.auth.login.Configuration`` reads
it, and the login of a server section.

Python-only: it stands in for the JDK classes ZooKeeper's SASL code relies on
(``Configuration``, ``AppConfigurationEntry``, ``Subject``) and for
``org.apache.zookeeper.Login`` on the server side, where only
``DigestLoginModule`` (SASL DIGEST-MD5) is supported; a Kerberos module
(GSSAPI) is refused with a LoginException.

The file syntax is Java's, including its tokenizer's quirks::

    Server {
        org.apache.zookeeper.server.auth.DigestLoginModule required
        user_super="adminsecret"
        user_bob="bobsecret";
    };
"""

from __future__ import annotations

import getpass
import logging
import os
import threading
import urllib.parse
from pathlib import Path

from pyzookeeper import system_properties

LOG = logging.getLogger(__name__)

JAAS_CONF_KEY = "java.security.auth.login.config"

_TT_EOF = -1
_TT_EOL = ord("\n")
_TT_NUMBER = -2
_TT_WORD = -3
_NEED_CHAR = 0x7FFFFFFF
_SKIP_LF = 0x7FFFFFFE

_CT_WHITESPACE = 1
_CT_DIGIT = 2
_CT_ALPHA = 4
_CT_QUOTE = 8
_CT_COMMENT = 16


def _character_types() -> list[int]:
    """The character classes of java.io.StreamTokenizer as ConfigFile sets them up."""
    ct = [0] * 256
    for c in (*range(ord("a"), ord("z") + 1), *range(ord("A"), ord("Z") + 1), *range(160, 256)):
        ct[c] |= _CT_ALPHA
    for c in range(0, ord(" ") + 1):
        ct[c] = _CT_WHITESPACE
    ct[ord("/")] = _CT_COMMENT
    ct[ord('"')] = _CT_QUOTE
    ct[ord("'")] = _CT_QUOTE
    for c in (*range(ord("0"), ord("9") + 1), ord("."), ord("-")):
        ct[c] |= _CT_DIGIT
    for c in "$_-*":
        ct[ord(c)] |= _CT_ALPHA
    return ct


_CTYPE = _character_types()
_ESCAPES = {"a": 0x7, "b": 0x8, "f": 0xC, "n": 0xA, "r": 0xD, "t": 0x9, "v": 0xB}


class _StreamTokenizer:
    """java.io.StreamTokenizer with ConfigFile's settings: ``//`` and ``/* */``
    comments, significant ends of line, ``"`` and ``'`` quotes, numbers parsed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.peekc = _NEED_CHAR
        self.ttype = -4
        self.sval: str | None = None

    def read(self) -> int:
        if self.pos < len(self.text):
            c = ord(self.text[self.pos])
            self.pos += 1
            return c
        return -1

    def nextToken(self) -> int:
        self.sval = None
        c = self.peekc
        if c < 0:
            c = _NEED_CHAR
        if c == _SKIP_LF:
            c = self.read()
            if c < 0:
                self.ttype = _TT_EOF
                return _TT_EOF
            if c == 0x0A:
                c = _NEED_CHAR
        if c == _NEED_CHAR:
            c = self.read()
            if c < 0:
                self.ttype = _TT_EOF
                return _TT_EOF
        self.ttype = c
        self.peekc = _NEED_CHAR
        ctype = _CTYPE[c] if c < 256 else _CT_ALPHA
        while ctype & _CT_WHITESPACE:
            if c == 0x0D:
                self.peekc = _SKIP_LF
                self.ttype = _TT_EOL
                return _TT_EOL
            if c == 0x0A:
                self.ttype = _TT_EOL
                return _TT_EOL
            c = self.read()
            if c < 0:
                self.ttype = _TT_EOF
                return _TT_EOF
            ctype = _CTYPE[c] if c < 256 else _CT_ALPHA

        if ctype & _CT_DIGIT:
            if c == ord("-"):
                c = self.read()
                if c != ord(".") and not ord("0") <= c <= ord("9"):
                    self.peekc = c
                    self.ttype = ord("-")
                    return self.ttype
            seendot = False
            while c == ord(".") and not seendot or ord("0") <= c <= ord("9"):
                seendot = seendot or c == ord(".")
                c = self.read()
            self.peekc = c
            self.ttype = _TT_NUMBER
            return _TT_NUMBER

        if ctype & _CT_ALPHA:
            chars = []
            while True:
                chars.append(chr(c))
                c = self.read()
                ctype = _CT_WHITESPACE if c < 0 else _CTYPE[c] if c < 256 else _CT_ALPHA
                if not ctype & (_CT_ALPHA | _CT_DIGIT):
                    break
            self.peekc = c
            self.sval = "".join(chars)
            self.ttype = _TT_WORD
            return _TT_WORD

        if ctype & _CT_QUOTE:
            self.ttype = quote = c
            chars = []
            d = self.read()
            while d >= 0 and d != quote and d != 0x0A and d != 0x0D:
                if d == ord("\\"):
                    c = self.read()
                    first = c
                    if ord("0") <= c <= ord("7"):
                        c -= ord("0")
                        c2 = self.read()
                        if ord("0") <= c2 <= ord("7"):
                            c = (c << 3) + (c2 - ord("0"))
                            c2 = self.read()
                            if ord("0") <= c2 <= ord("7") and first <= ord("3"):
                                c = (c << 3) + (c2 - ord("0"))
                                d = self.read()
                            else:
                                d = c2
                        else:
                            d = c2
                    else:
                        c = _ESCAPES.get(chr(c), c) if c >= 0 else c
                        d = self.read()
                else:
                    c = d
                    d = self.read()
                chars.append(chr(c & 0xFFFF))
            self.peekc = _NEED_CHAR if d == quote else d
            self.sval = "".join(chars)
            return quote

        if c == ord("/"):
            c = self.read()
            if c == ord("*"):
                prevc = 0
                while True:
                    c = self.read()
                    if c == ord("/") and prevc == ord("*"):
                        break
                    if c == 0x0D:
                        c = self.read()
                        if c == 0x0A:
                            c = self.read()
                    elif c == 0x0A:
                        c = self.read()
                    if c < 0:
                        self.ttype = _TT_EOF
                        return _TT_EOF
                    prevc = c
                return self.nextToken()
            c = self.read()
            while c not in (0x0A, 0x0D) and c >= 0:
                c = self.read()
            self.peekc = c
            return self.nextToken()

        return c


class JaasConfigurationError(OSError):
    """A malformed JAAS file (Java's IOException from ConfigFile)."""


class SecurityException(Exception):
    """``java.lang.SecurityException``: the login configuration cannot be loaded."""


class LoginException(Exception):
    """``javax.security.auth.login.LoginException``."""

    def __str__(self) -> str:
        return "javax.security.auth.login.LoginException: " + super().__str__()


def _jvm_property(name: str) -> str | None:
    """A system property, falling back to the JVM's standard ones."""
    value = system_properties.getProperty(name)
    if value is not None:
        return value
    standard = {
        "user.home": lambda: str(Path.home()),
        "user.name": getpass.getuser,
        "user.dir": os.getcwd,
        "java.io.tmpdir": lambda: "/tmp",
        "file.separator": lambda: os.sep,
        "path.separator": lambda: os.pathsep,
        "line.separator": lambda: os.linesep,
    }.get(name)
    return None if standard is None else standard()


def expand_properties(value: str) -> str:
    """``sun.security.util.PropertyExpander.expand``: ``${name}`` becomes the
    property's value, ``${/}`` the file separator, ``${{...}}`` is kept."""
    p = value.find("${")
    if p == -1:
        return value
    out: list[str] = []
    end = len(value)
    i = 0
    while p < end:
        if p > i:
            out.append(value[i:p])
        pe = p + 2
        if pe < end and value[pe] == "{":
            pe = value.find("}}", pe)
            if pe == -1 or pe + 2 == end:
                out.append(value[p:])
                break
            pe += 1
            out.append(value[p:pe + 1])
        else:
            while pe < end and value[pe] != "}":
                pe += 1
            if pe == end:
                out.append(value[p:pe])
                break
            prop = value[p + 2:pe]
            if prop == "/":
                out.append(os.sep)
            else:
                val = _jvm_property(prop)
                if val is None:
                    raise JaasConfigurationError("unable to expand property " + prop)
                out.append(val)
        i = pe + 1
        p = value.find("${", i)
        if p == -1:
            if i < end:
                out.append(value[i:end])
            break
    return "".join(out)


class LoginModuleControlFlag:
    REQUIRED = "required"
    REQUISITE = "requisite"
    SUFFICIENT = "sufficient"
    OPTIONAL = "optional"


class AppConfigurationEntry:
    """One login module line of a section: class name, flag and options."""

    __slots__ = ("loginModuleName", "controlFlag", "options")

    def __init__(self, loginModuleName: str, controlFlag: str, options: dict[str, str]) -> None:
        self.loginModuleName = loginModuleName
        self.controlFlag = controlFlag
        self.options = options

    def getLoginModuleName(self) -> str:
        return self.loginModuleName

    def getControlFlag(self) -> str:
        return self.controlFlag

    def getOptions(self) -> dict[str, str]:
        return self.options


def _java_str(value: str | None) -> str:
    return "null" if value is None else value


def _format_line(n: int) -> str:
    return f"{n:,}"


class _ConfigParser:
    """ConfigFile.Spi's reader: ``Name { module flag key=value ...; ... };``."""

    _FLAGS = {"REQUIRED": LoginModuleControlFlag.REQUIRED, "REQUISITE": LoginModuleControlFlag.REQUISITE,
              "SUFFICIENT": LoginModuleControlFlag.SUFFICIENT, "OPTIONAL": LoginModuleControlFlag.OPTIONAL}
    _VALUES = ("module class name", "controlFlag", "option key", "option value")

    def __init__(self, text: str, expandProp: bool = True) -> None:
        self.st = _StreamTokenizer(text)
        self.expandProp = expandProp
        self.linenum = 1
        self.lookahead = _TT_EOF

    def parse(self, newConfig: dict[str, list[AppConfigurationEntry]]) -> None:
        self.lookahead = self.nextToken()
        while self.lookahead != _TT_EOF:
            self.parseLoginEntry(newConfig)

    def parseLoginEntry(self, newConfig: dict[str, list[AppConfigurationEntry]]) -> None:
        configEntries: list[AppConfigurationEntry] = []
        appName = self.st.sval
        self.lookahead = self.nextToken()
        self.match("{")
        while not self.peek("}"):
            moduleClass = self.match("module class name")
            sflag = self.match("controlFlag").upper()
            controlFlag = self._FLAGS.get(sflag)
            if controlFlag is None:
                raise JaasConfigurationError("Configuration Error:\n\tInvalid control flag, " + sflag)
            options: dict[str, str] = {}
            while not self.peek(";"):
                key = self.match("option key")
                self.match("=")
                options[key] = self.expand(self.match("option value"))
            self.lookahead = self.nextToken()
            configEntries.append(AppConfigurationEntry(moduleClass, controlFlag, options))
        self.match("}")
        self.match(";")
        if appName in newConfig:
            raise JaasConfigurationError(
                "Configuration Error:\n\tCan not specify multiple entries for " + _java_str(appName))
        newConfig[appName] = configEntries

    def match(self, expect: str) -> str | None:
        lookahead = self.lookahead
        if lookahead == _TT_EOF:
            raise JaasConfigurationError(
                "Configuration Error:\n\texpected [" + expect + "], read [end of file]")
        if lookahead in (ord('"'), _TT_WORD):
            if expect.lower() in (v.lower() for v in self._VALUES):
                value = self.st.sval
                self.lookahead = self.nextToken()
                return value
            raise self._found_error(expect)
        if lookahead in (ord("{"), ord(";"), ord("}"), ord("=")):
            if expect == chr(lookahead):
                self.lookahead = self.nextToken()
                return None
            raise JaasConfigurationError(
                "Configuration Error:\n\tLine " + _format_line(self.linenum) + ": expected [" + expect + "]")
        raise self._found_error(expect)

    def _found_error(self, expect: str) -> JaasConfigurationError:
        return JaasConfigurationError(
            "Configuration Error:\n\tLine " + _format_line(self.linenum) + ": expected [" + expect
            + "], found [" + _java_str(self.st.sval) + "]")

    def peek(self, expect: str) -> bool:
        return self.lookahead in (ord(","), ord(";"), ord("{"), ord("}")) and chr(self.lookahead) == expect

    def nextToken(self) -> int:
        tok = self.st.nextToken()
        while tok == _TT_EOL:
            self.linenum += 1
            tok = self.st.nextToken()
        return tok

    def expand(self, value: str) -> str:
        if not value or not self.expandProp:
            return value
        s = expand_properties(value)
        if not s:
            raise JaasConfigurationError(
                "Configuration Error:\n\tLine " + _format_line(self.linenum) + ": system property ["
                + value + "] expanded to empty value")
        return s


def parse_jaas_config(text: str) -> dict[str, list[AppConfigurationEntry]]:
    """The sections of a JAAS file's text; JaasConfigurationError if malformed."""
    expand = system_properties.getProperty("policy.expandProperties")
    config: dict[str, list[AppConfigurationEntry]] = {}
    _ConfigParser(text, expand != "false").parse(config)
    return config


def _config_path(location: str) -> Path:
    if location.startswith("file:"):
        return Path(urllib.parse.unquote(urllib.parse.urlparse(location).path))
    path = Path(location)
    if not path.exists():
        raise JaasConfigurationError(location + " (No such file or directory)")
    return path


class Configuration:
    """``javax.security.auth.login.Configuration`` backed by the JAAS file named
    by ``java.security.auth.login.config`` (a leading ``=`` is accepted as in
    Java). No property means an empty configuration. The file is read again
    when the property changes or after ``refresh()``."""

    _lock = threading.Lock()
    _cached: tuple[str | None, Configuration] | None = None

    def __init__(self, sections: dict[str, list[AppConfigurationEntry]], location: str | None = None) -> None:
        self.sections = sections
        self.location = location

    def getAppConfigurationEntry(self, name: str) -> list[AppConfigurationEntry] | None:
        entries = self.sections.get(name)
        return None if not entries else list(entries)

    @staticmethod
    def load(location: str) -> Configuration:
        """Read the JAAS file at ``location``; JaasConfigurationError if unusable."""
        location = location[1:] if location.startswith("=") else location
        try:
            expanded = expand_properties(location)
        except JaasConfigurationError as e:
            raise JaasConfigurationError("Unable to properly expand " + location) from e
        path = _config_path(expanded)
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as e:
            raise JaasConfigurationError(f"{expanded} ({e.strerror or e})") from e
        return Configuration(parse_jaas_config(text), expanded)

    @staticmethod
    def getConfiguration() -> Configuration:
        """The current configuration; SecurityException when the file cannot be used."""
        location = system_properties.getProperty(JAAS_CONF_KEY)
        with Configuration._lock:
            cached = Configuration._cached
            if cached is not None and cached[0] == location:
                return cached[1]
            try:
                config = Configuration({}) if location is None else Configuration.load(location)
            except JaasConfigurationError as e:
                raise SecurityException(e) from e
            Configuration._cached = (location, config)
            return config

    @staticmethod
    def refresh() -> None:
        with Configuration._lock:
            Configuration._cached = None


class Subject:
    """``javax.security.auth.Subject``: principals and credentials of a login."""

    def __init__(self) -> None:
        self.principals: set = set()
        self.publicCredentials: set = set()
        self.privateCredentials: set = set()

    def getPrincipals(self) -> set:
        return self.principals

    def getPublicCredentials(self) -> set:
        return self.publicCredentials

    def getPrivateCredentials(self) -> set:
        return self.privateCredentials


_KERBEROS_MODULES = ("com.sun.security.auth.module.Krb5LoginModule", "com.ibm.security.auth.module.Krb5LoginModule")


def _login_module_class(name: str) -> type:
    if name in _KERBEROS_MODULES:
        raise LoginException(
            name + " (Kerberos, SASL mechanism GSSAPI) is not supported by this server; "
            "use org.apache.zookeeper.server.auth.DigestLoginModule (SASL DIGEST-MD5)")
    from pyzookeeper.server.auth.ProviderRegistry import load_provider_class

    try:
        return load_provider_class(name)
    except (ImportError, AttributeError, ValueError) as e:
        raise LoginException("unable to find LoginModule class: " + name) from e


class Login:
    """The server's JAAS login of one configuration section (mirrors the part of
    org.apache.zookeeper.Login a DIGEST-MD5 server uses: no Kerberos tickets,
    so no refresh thread)."""

    def __init__(self, loginContextName: str, callbackHandler, configuration: Configuration | None = None) -> None:
        self.callbackHandler = callbackHandler
        self.loginContextName = loginContextName
        config = configuration if configuration is not None else Configuration.getConfiguration()
        entries = config.getAppConfigurationEntry(loginContextName)
        if entries is None:
            raise LoginException("No LoginModules configured for " + loginContextName)
        self.subject = Subject()
        self.principal: str | None = None
        modules = []
        for entry in entries:
            module = _login_module_class(entry.getLoginModuleName())()
            module.initialize(self.subject, callbackHandler, {}, dict(entry.getOptions()))
            modules.append(module)
        for module in modules:
            module.login()
        for module in modules:
            module.commit()
        self.principal = entries[0].getOptions().get("principal")
        LOG.info("%s successfully logged in.", loginContextName)

    def getSubject(self) -> Subject:
        return self.subject

    def getUserName(self) -> str:
        if not self.principal:
            return _jvm_property("user.name") or "<NA>"
        return self.principal

    def getLoginContextName(self) -> str:
        return self.loginContextName

    def startThreadIfNeeded(self) -> None:
        """Only Kerberos logins need a ticket refresh thread; a digest login has none."""

    def shutdown(self) -> None:
        """Nothing to stop: see startThreadIfNeeded."""
