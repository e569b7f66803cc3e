"""Mirrors org.apache.zookeeper.server.auth.IPAuthenticationProvider.

As in Java 3.8, ACL addresses and masks are IPv4 only: an IPv6 id or ACL
expression never matches and is not valid.
"""

from __future__ import annotations

import re

from pyzookeeper.data.Id import Id
from pyzookeeper.KeeperException import Code
from pyzookeeper.server.auth.AuthenticationProvider import AuthenticationProvider

_JAVA_INT = re.compile(r"[+-]?\d+")


def _parse_int(text: str) -> int | None:
    """``Integer.parseInt``: an optional sign and digits, in int range; None otherwise."""
    if not _JAVA_INT.fullmatch(text):
        return None
    value = int(text)
    return value if -(2**31) <= value < 2**31 else None


class IPAuthenticationProvider(AuthenticationProvider):
    """The ``ip`` scheme: the client's address, matched against ``a.b.c.d[/bits]``."""

    def getScheme(self) -> str:
        return "ip"

    def handleAuthentication(self, cnxn, authData: bytes) -> Code:
        id = cnxn.getRemoteSocketAddress().getAddress().getHostAddress()
        cnxn.addAuthInfo(Id(self.getScheme(), id))
        return Code.OK

    def addr2Bytes(self, addr: str) -> bytearray | None:
        return self.v4addr2Bytes(addr)

    def v4addr2Bytes(self, addr: str) -> bytearray | None:
        parts = addr.split(".")
        if len(parts) != 4:
            return None
        b = bytearray(4)
        for i in range(4):
            v = _parse_int(parts[i])
            if v is None or not 0 <= v <= 255:
                return None
            b[i] = v
        return b

    @staticmethod
    def mask(b: bytearray, bits: int) -> None:
        start = bits // 8
        startMask = ~((1 << (8 - (bits % 8))) - 1) & 0xFF
        while start < len(b):
            b[start] &= startMask
            startMask = 0
            start += 1

    def matches(self, id: str, aclExpr: str) -> bool:
        parts = aclExpr.split("/", 1)
        aclAddr = self.addr2Bytes(parts[0])
        if aclAddr is None:
            return False
        bits = len(aclAddr) * 8
        if len(parts) == 2:
            parsed = _parse_int(parts[1])
            if parsed is None or not 0 <= parsed <= len(aclAddr) * 8:
                return False
            bits = parsed
        self.mask(aclAddr, bits)
        remoteAddr = self.addr2Bytes(id)
        if remoteAddr is None:
            return False
        self.mask(remoteAddr, bits)
        return remoteAddr == aclAddr

    def isAuthenticated(self) -> bool:
        return False

    def isValid(self, id: str) -> bool:
        parts = id.split("/", 1)
        aclAddr = self.addr2Bytes(parts[0])
        if aclAddr is None:
            return False
        if len(parts) == 2:
            bits = _parse_int(parts[1])
            if bits is None or not 0 <= bits <= len(aclAddr) * 8:
                return False
        return True
