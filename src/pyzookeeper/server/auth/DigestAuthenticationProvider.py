"""Mirrors org.apache.zookeeper.server.auth.DigestAuthenticationProvider.

The class-initialisation work Java does when the class is first used (reading
``digestAlg`` and ``superDigest``) happens here on first use too, so properties
set from zoo.cfg before the server starts are seen. MD2 is not offered by
Python's hashlib and is refused like an unknown algorithm.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import sys
import threading
from typing import Callable

from pyzookeeper import system_properties
from pyzookeeper.data.Id import Id
from pyzookeeper.KeeperException import Code
from pyzookeeper.server.auth.AuthenticationProvider import AuthenticationProvider

LOG = logging.getLogger(__name__)

_OID_ARC = "2.16.840.1.101.3.4.2."
_ALGORITHMS: dict[str, tuple[str, ...]] = {
    "md5": ("MD5", "1.2.840.113549.2.5"),
    "sha1": ("SHA-1", "SHA1", "SHA", "1.3.14.3.2.26"),
    "sha224": ("SHA-224", "SHA224", _OID_ARC + "4"),
    "sha256": ("SHA-256", "SHA256", _OID_ARC + "1"),
    "sha384": ("SHA-384", "SHA384", _OID_ARC + "2"),
    "sha512": ("SHA-512", "SHA512", _OID_ARC + "3"),
    "sha512_224": ("SHA-512/224", "SHA512/224", _OID_ARC + "5"),
    "sha512_256": ("SHA-512/256", "SHA512/256", _OID_ARC + "6"),
    "sha3_224": ("SHA3-224", _OID_ARC + "7"),
    "sha3_256": ("SHA3-256", _OID_ARC + "8"),
    "sha3_384": ("SHA3-384", _OID_ARC + "9"),
    "sha3_512": ("SHA3-512", _OID_ARC + "10"),
}
_JAVA_NAME_TO_HASHLIB = {
    alias.upper(): name for name, aliases in _ALGORITHMS.items() for alias in aliases
}


class NoSuchAlgorithmException(Exception):
    """``java.security.NoSuchAlgorithmException``."""


def _message_digest(algorithm: str) -> Callable[[bytes], "hashlib._Hash"]:
    """``MessageDigest.getInstance``: Java's algorithm names and aliases, any case."""
    key = algorithm.upper()
    if key.startswith("OID."):
        key = key[4:]
    name = _JAVA_NAME_TO_HASHLIB.get(key)
    if name is None or name not in hashlib.algorithms_available:
        raise NoSuchAlgorithmException(f"{algorithm} MessageDigest not available")
    return getattr(hashlib, name, None) or functools.partial(hashlib.new, name)


def _java_split(text: str, sep: str) -> list[str]:
    """``String.split`` on a one-character separator: trailing empty strings dropped."""
    if sep not in text:
        return [text]
    parts = text.split(sep)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


class DigestAuthenticationProvider(AuthenticationProvider):
    """The ``digest`` scheme: ``user:password`` proves the id ``user:base64(hash)``."""

    DEFAULT_DIGEST_ALGORITHM = "SHA1"
    DIGEST_ALGORITHM_KEY = "zookeeper.DigestAuthenticationProvider.digestAlg"
    DIGEST_AUTH_ENABLED = "zookeeper.DigestAuthenticationProvider.enabled"
    SUPER_DIGEST_KEY = "zookeeper.DigestAuthenticationProvider.superDigest"

    DIGEST_ALGORITHM: str | None = None
    superDigest: str | None = None
    _hash: Callable[[bytes], "hashlib._Hash"] | None = None
    _class_lock = threading.Lock()

    def __init__(self) -> None:
        DigestAuthenticationProvider._classInit()

    @staticmethod
    def _classInit() -> None:
        cls = DigestAuthenticationProvider
        if cls._hash is not None:
            return
        with cls._class_lock:
            if cls._hash is not None:
                return
            algorithm = system_properties.getProperty(cls.DIGEST_ALGORITHM_KEY, cls.DEFAULT_DIGEST_ALGORITHM)
            try:
                factory = _message_digest(algorithm)
            except NoSuchAlgorithmException:
                raise RuntimeError(
                    "don't support this ACL digest algorithm: " + algorithm + " in the current environment"
                ) from None
            cls.DIGEST_ALGORITHM = algorithm
            cls.superDigest = system_properties.getProperty(cls.SUPER_DIGEST_KEY)
            cls._hash = factory
            LOG.info("ACL digest algorithm is: %s", algorithm)

    @staticmethod
    def _resetForTesting() -> None:
        """Forget the class state so the next use reads the properties again."""
        cls = DigestAuthenticationProvider
        with cls._class_lock:
            cls._hash = None
            cls.DIGEST_ALGORITHM = None
            cls.superDigest = None

    @staticmethod
    def isEnabled() -> bool:
        value = system_properties.getProperty(DigestAuthenticationProvider.DIGEST_AUTH_ENABLED, "true")
        enabled = value.lower() == "true"
        LOG.info("%s = %s", DigestAuthenticationProvider.DIGEST_AUTH_ENABLED, "true" if enabled else "false")
        return enabled

    def getScheme(self) -> str:
        return "digest"

    @staticmethod
    def generateDigest(idPassword: str) -> str:
        user = idPassword.split(":", 1)[0]
        return user + ":" + base64.b64encode(DigestAuthenticationProvider.digest(idPassword)).decode("ascii")

    @staticmethod
    def digest(idPassword: str) -> bytes:
        DigestAuthenticationProvider._classInit()
        return DigestAuthenticationProvider._hash(idPassword.encode("utf-8", "replace")).digest()

    def handleAuthentication(self, cnxn, authData: bytes) -> Code:
        id = bytes(authData).decode("utf-8", "replace")
        digest = self.generateDigest(id)
        if digest == DigestAuthenticationProvider.superDigest:
            cnxn.addAuthInfo(Id("super", ""))
        cnxn.addAuthInfo(Id(self.getScheme(), digest))
        return Code.OK

    def isAuthenticated(self) -> bool:
        return True

    def isValid(self, id: str) -> bool:
        return len(_java_split(id, ":")) == 2

    def matches(self, id: str, aclExpr: str) -> bool:
        return id == aclExpr

    def getUserName(self, id: str) -> str:
        return _java_split(id, ":")[0]

    @staticmethod
    def main(args: list[str]) -> None:
        for arg in args:
            print(arg + "->" + DigestAuthenticationProvider.generateDigest(arg))


def main(argv: list[str] | None = None) -> int:
    DigestAuthenticationProvider.main(sys.argv[1:] if argv is None else argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
