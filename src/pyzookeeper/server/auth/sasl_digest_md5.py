"""The SASL DIGEST-MD5 server mechanism (RFC 2831), as the JDK's
``Sasl.createSaslServer("DIGEST-MD5", protocol, serverName, null, cbh)``
behaves for ZooKeeper: one realm (the server name), quality of protection
``auth`` only, UTF-8 charset, ``md5-sess``.

Python-only: it stands in for ``com.sun.security.sasl.digest.DigestMD5Server``
and the ``javax.security`` callbacks and exceptions it uses; the messages of
its SaslExceptions are the JDK's. Nonces come from ``secrets``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets

LOG = logging.getLogger(__name__)

MAX_RESPONSE_LENGTH = 4096
DEFAULT_MAXBUF = 65536
NONCE_COUNT_VALUE = 1
RAW_NONCE_SIZE = 30

_DIRECTIVE_KEY = ("username", "realm", "nonce", "cnonce", "nonce-count", "qop", "digest-uri", "response",
                  "maxbuf", "charset", "cipher", "authzid", "auth-param")
(USERNAME, REALM, NONCE, CNONCE, NONCE_COUNT, QOP, DIGEST_URI, RESPONSE, MAXBUF, CHARSET, CIPHER, AUTHZID,
 AUTH_PARAM) = range(len(_DIRECTIVE_KEY))
_LWS = b" \t\r\n"


class SaslException(OSError):
    """``javax.security.sasl.SaslException``: the client failed to authenticate."""


class UnsupportedCallbackException(Exception):
    """``javax.security.auth.callback.UnsupportedCallbackException``."""


class NameCallback:
    def __init__(self, prompt: str, defaultName: str) -> None:
        self.prompt = prompt
        self.defaultName = defaultName
        self.name: str | None = None

    def getDefaultName(self) -> str:
        return self.defaultName

    def setName(self, name: str) -> None:
        self.name = name

    def getName(self) -> str | None:
        return self.name


class PasswordCallback:
    def __init__(self, prompt: str, echoOn: bool) -> None:
        self.prompt = prompt
        self.echoOn = echoOn
        self.password: str | None = None

    def setPassword(self, password: str | None) -> None:
        self.password = password

    def getPassword(self) -> str | None:
        return self.password

    def clearPassword(self) -> None:
        self.password = None


class RealmCallback:
    def __init__(self, prompt: str, defaultText: str) -> None:
        self.prompt = prompt
        self.defaultText = defaultText
        self.text: str | None = None

    def getDefaultText(self) -> str:
        return self.defaultText

    def setText(self, text: str) -> None:
        self.text = text

    def getText(self) -> str | None:
        return self.text


class AuthorizeCallback:
    def __init__(self, authnID: str, authzID: str) -> None:
        self.authenticationID = authnID
        self.authorizationID = authzID
        self.authorized = False
        self.authorizedID: str | None = None

    def getAuthenticationID(self) -> str:
        return self.authenticationID

    def getAuthorizationID(self) -> str:
        return self.authorizationID

    def isAuthorized(self) -> bool:
        return self.authorized

    def setAuthorized(self, ok: bool) -> None:
        self.authorized = ok

    def getAuthorizedID(self) -> str | None:
        if not self.authorized:
            return None
        return self.authorizationID if self.authorizedID is None else self.authorizedID

    def setAuthorizedID(self, id: str) -> None:
        self.authorizedID = id


def _java_string(data: bytes) -> str:
    """``new String(bytes, UTF_8)``."""
    return data.decode("utf-8", "replace")


def _skip_lws(buf: bytes, start: int) -> int:
    i = start
    while i < len(buf) and buf[i] in _LWS:
        i += 1
    return i


def _extract_directive(key: bytes, value: bytes, valueTable: list[bytes | None]) -> None:
    name = key.decode("latin-1").lower()
    for i, known in enumerate(_DIRECTIVE_KEY):
        if name == known:
            if valueTable[i] is not None:
                raise SaslException("DIGEST-MD5: peer sent more than one " + key.decode("latin-1")
                                    + " directive: " + _java_string(value))
            valueTable[i] = value
            return


def parseDirectives(buf: bytes) -> list[bytes | None]:
    """The ``key=value`` and ``key="quoted value"`` pairs of a digest response."""
    valueTable: list[bytes | None] = [None] * len(_DIRECTIVE_KEY)
    key = bytearray()
    value = bytearray()
    gettingKey = True
    gettingQuotedValue = False
    expectSeparator = False
    i = _skip_lws(buf, 0)
    while i < len(buf):
        bch = buf[i]
        if gettingKey:
            if bch == 0x2C:
                if key:
                    raise SaslException("Directive key contains a ',':" + key.decode("latin-1"))
                i = _skip_lws(buf, i + 1)
            elif bch == 0x3D:
                if not key:
                    raise SaslException("Empty directive key")
                gettingKey = False
                i = _skip_lws(buf, i + 1)
                if i < len(buf):
                    if buf[i] == 0x22:
                        gettingQuotedValue = True
                        i += 1
                else:
                    raise SaslException("Valueless directive found: " + key.decode("latin-1"))
            elif bch in _LWS:
                i = _skip_lws(buf, i + 1)
                if i >= len(buf) or buf[i] != 0x3D:
                    raise SaslException("'=' expected after key: " + key.decode("latin-1"))
            else:
                key.append(bch)
                i += 1
        elif gettingQuotedValue:
            if bch == 0x5C:
                i += 1
                if i < len(buf):
                    value.append(buf[i])
                    i += 1
                else:
                    raise SaslException("Unmatched quote found for directive: " + key.decode("latin-1")
                                        + " with value: " + _java_string(bytes(value)))
            elif bch == 0x22:
                i += 1
                gettingQuotedValue = False
                expectSeparator = True
            else:
                value.append(bch)
                i += 1
        elif bch in _LWS or bch == 0x2C:
            _extract_directive(bytes(key), bytes(value), valueTable)
            key.clear()
            value.clear()
            gettingKey = True
            gettingQuotedValue = expectSeparator = False
            i = _skip_lws(buf, i + 1)
        elif expectSeparator:
            raise SaslException('Expecting comma or linear whitespace after quoted string: "'
                                + _java_string(bytes(value)) + '"')
        else:
            value.append(bch)
            i += 1
    if gettingQuotedValue:
        raise SaslException("Unmatched quote found for directive: " + key.decode("latin-1")
                            + " with value: " + _java_string(bytes(value)))
    if key:
        _extract_directive(bytes(key), bytes(value), valueTable)
    return valueTable


def _write_quoted(value: bytes) -> bytes:
    out = bytearray()
    for ch in value:
        if ch in (0x22, 0x5C, 127) or (ch <= 31 and ch not in (9, 10, 13)):
            out.append(0x5C)
        out.append(ch)
    return bytes(out)


_DECIMAL = re.compile(r"[+-]?[0-9]+")
_HEXADECIMAL = re.compile(r"[+-]?[0-9a-fA-F]+")


def _int_value(text: str, radix: int = 10) -> int:
    """``Integer.parseInt``; ValueError where Java throws NumberFormatException."""
    if not (_HEXADECIMAL if radix == 16 else _DECIMAL).fullmatch(text):
        raise ValueError('For input string: "' + text + '"')
    value = int(text, radix)
    if not -(2**31) <= value < 2**31:
        raise ValueError('For input string: "' + text + '"')
    return value


class DigestMD5Server:
    """The server side of one DIGEST-MD5 exchange."""

    def __init__(self, protocol: str, serverName: str, cbh) -> None:
        self.digestUri = protocol + "/" + serverName
        self.cbh = cbh
        self.serverRealms = [serverName]
        self.step = 1
        self.completed = False
        self.nonce = b""
        self.authzid: str | None = None
        self.negotiatedRealm: str | None = None
        self.negotiatedQop: str | None = None

    def getMechanismName(self) -> str:
        return "DIGEST-MD5"

    def evaluateResponse(self, response: bytes) -> bytes:
        if len(response) > MAX_RESPONSE_LENGTH:
            raise SaslException("DIGEST-MD5: Invalid digest response length. Got:  "
                                + str(len(response)) + " Expected < " + str(MAX_RESPONSE_LENGTH))
        if self.step == 1:
            if response:
                LOG.debug("Ignoring initial response")
            challenge = self.generateChallenge()
            self.step = 3
            return challenge
        if self.step == 3:
            try:
                challenge = self.validateClientResponse(parseDirectives(bytes(response)))
            finally:
                self.step = 0
            self.completed = True
            return challenge
        raise SaslException("DIGEST-MD5: Server at illegal state")

    def generateChallenge(self) -> bytes:
        out = bytearray()
        for realm in self.serverRealms:
            out += b'realm="' + _write_quoted(realm.encode("utf-8")) + b'",'
        self.nonce = base64.b64encode(secrets.token_bytes(RAW_NONCE_SIZE))
        out += b'nonce="' + _write_quoted(self.nonce) + b'",'
        out += b"charset=utf-8,"
        out += b"algorithm=md5-sess"
        return bytes(out)

    def validateClientResponse(self, responseVal: list[bytes | None]) -> bytes:
        if responseVal[CHARSET] is not None and _java_string(responseVal[CHARSET]) != "utf-8":
            raise SaslException("DIGEST-MD5: digest response format violation. Incompatible charset value: "
                                + _java_string(responseVal[CHARSET]))
        if responseVal[MAXBUF] is not None:
            try:
                _int_value(_java_string(responseVal[MAXBUF]))
            except ValueError as e:
                raise SaslException("DIGEST-MD5: digest response format violation. Invalid maxbuf: "
                                    + _java_string(responseVal[MAXBUF])) from e
        if responseVal[USERNAME] is None:
            raise SaslException("DIGEST-MD5: digest response format violation. Missing username.")
        username = _java_string(responseVal[USERNAME])
        self.negotiatedRealm = "" if responseVal[REALM] is None else _java_string(responseVal[REALM])
        if self.negotiatedRealm not in self.serverRealms:
            raise SaslException("DIGEST-MD5: digest response format violation. Nonexistent realm: "
                                + self.negotiatedRealm)
        if responseVal[NONCE] is None:
            raise SaslException("DIGEST-MD5: digest response format violation. Missing nonce.")
        if responseVal[NONCE] != self.nonce:
            raise SaslException("DIGEST-MD5: digest response format violation. Mismatched nonce.")
        if responseVal[CNONCE] is None:
            raise SaslException("DIGEST-MD5: digest response format violation. Missing cnonce.")
        cnonce = responseVal[CNONCE]
        if responseVal[NONCE_COUNT] is not None:
            try:
                nonceCount = _int_value(_java_string(responseVal[NONCE_COUNT]), 16)
            except ValueError as e:
                raise SaslException("DIGEST-MD5: digest response format violation. Nonce count does not match: "
                                    + _java_string(responseVal[NONCE_COUNT])) from e
            if nonceCount != NONCE_COUNT_VALUE:
                raise SaslException("DIGEST-MD5: digest response format violation. Nonce count does not match: "
                                    + _java_string(responseVal[NONCE_COUNT]))
        self.negotiatedQop = "auth" if responseVal[QOP] is None else _java_string(responseVal[QOP])
        if self.negotiatedQop in ("auth-int", "auth-conf"):
            raise SaslException("DIGEST-MD5: server does not support  qop: " + self.negotiatedQop)
        if self.negotiatedQop != "auth":
            raise SaslException("DIGEST-MD5: digest response format violation. Invalid QOP: "
                                + self.negotiatedQop)
        digestUriFromResponse = None if responseVal[DIGEST_URI] is None else _java_string(responseVal[DIGEST_URI])
        if digestUriFromResponse is not None and digestUriFromResponse.lower() == self.digestUri.lower():
            self.digestUri = digestUriFromResponse
        else:
            raise SaslException("DIGEST-MD5: digest response format violation. Mismatched URI: "
                                + ("null" if digestUriFromResponse is None else digestUriFromResponse)
                                + "; expecting: "
                                + self.digestUri)
        responseFromClient = responseVal[RESPONSE]
        if responseFromClient is None:
            raise SaslException("DIGEST-MD5: digest response format  violation. Missing response.")
        authzidBytes = responseVal[AUTHZID]
        authzidFromClient = username if authzidBytes is None else _java_string(authzidBytes)

        rcb = RealmCallback("DIGEST-MD5 realm: ", self.negotiatedRealm)
        ncb = NameCallback("DIGEST-MD5 authentication ID: ", username)
        pcb = PasswordCallback("DIGEST-MD5 password: ", False)
        try:
            self.cbh.handle([rcb, ncb, pcb])
        except UnsupportedCallbackException as e:
            raise SaslException("DIGEST-MD5: Cannot perform callback to acquire password") from e
        except OSError as e:
            raise SaslException("DIGEST-MD5: IO error acquiring password") from e
        passwd = pcb.getPassword()
        pcb.clearPassword()
        if passwd is None:
            raise SaslException("DIGEST-MD5: cannot acquire password for " + username + " in realm : "
                                + self.negotiatedRealm)
        expectedResponse = self.generateResponseValue("AUTHENTICATE", username, passwd, cnonce, authzidBytes)
        if not hmac.compare_digest(responseFromClient, expectedResponse):
            raise SaslException("DIGEST-MD5: digest response format violation. Mismatched response.")
        acb = AuthorizeCallback(username, authzidFromClient)
        try:
            self.cbh.handle([acb])
        except UnsupportedCallbackException as e:
            raise SaslException("DIGEST-MD5: Cannot perform callback to check authzid") from e
        except SaslException:
            raise
        except OSError as e:
            raise SaslException("DIGEST-MD5: IO error checking authzid") from e
        if not acb.isAuthorized():
            raise SaslException("DIGEST-MD5: " + username + " is not authorized to act as " + authzidFromClient)
        self.authzid = acb.getAuthorizedID()
        return b"rspauth=" + self.generateResponseValue("", username, passwd, cnonce, authzidBytes)

    @staticmethod
    def _latin1_or_utf8(text: str) -> bytes:
        """``stringToByte_8859_1`` with UTF-8 on: ISO-8859-1 unless a character is beyond it."""
        try:
            return text.encode("latin-1")
        except UnicodeEncodeError:
            return text.encode("utf-8", "replace")

    def generateResponseValue(self, authMethod: str, username: str, passwd: str, cnonce: bytes,
                              authzid: bytes | None) -> bytes:
        hexA2 = hashlib.md5((authMethod + ":" + self.digestUri).encode("utf-8")).hexdigest().encode("ascii")
        beginA1 = (self._latin1_or_utf8(username) + b":" + self._latin1_or_utf8(self.negotiatedRealm) + b":"
                   + self._latin1_or_utf8(passwd))
        a1 = hashlib.md5(beginA1).digest() + b":" + self.nonce + b":" + cnonce
        if authzid is not None:
            a1 += b":" + authzid
        hexA1 = hashlib.md5(a1).hexdigest().encode("ascii")
        kd = (hexA1 + b":" + self.nonce + b":" + b"%08x" % NONCE_COUNT_VALUE + b":" + cnonce + b":"
              + self.negotiatedQop.encode("utf-8") + b":" + hexA2)
        return hashlib.md5(kd).hexdigest().encode("ascii")

    def isComplete(self) -> bool:
        return self.completed

    def getAuthorizationID(self) -> str | None:
        if not self.completed:
            raise RuntimeError("DIGEST-MD5 server negotiation not complete")
        return self.authzid

    def dispose(self) -> None:
        """No security layer is negotiated, so there is nothing to release."""
