"""Mirrors org.apache.zookeeper.server.util.AdHash: an additive hash of a set of
digests, kept as a 64-bit sum that wraps around as a Java long does."""

from __future__ import annotations

_MASK64 = 0xFFFFFFFFFFFFFFFF
_SIGN64 = 0x8000000000000000


class AdHash:
    """Sum of the digests added minus those removed, modulo 2**64."""

    __slots__ = ("hash",)

    def __init__(self) -> None:
        # held unsigned; getHash() returns the signed Java value
        self.hash = 0

    def addDigest(self, digest: int) -> "AdHash":
        self.hash = (self.hash + digest) & _MASK64
        return self

    def removeDigest(self, digest: int) -> "AdHash":
        self.hash = (self.hash - digest) & _MASK64
        return self

    def getHash(self) -> int:
        h = self.hash
        return h - (1 << 64) if h & _SIGN64 else h

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AdHash) and other.hash == self.hash

    def __hash__(self) -> int:
        return hash(self.hash)

    def toString(self) -> str:
        """``Long.toHexString`` of the hash."""
        return format(self.hash, "x")

    __str__ = toString

    def clear(self) -> None:
        self.hash = 0
