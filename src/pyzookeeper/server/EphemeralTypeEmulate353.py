"""Mirrors org.apache.zookeeper.server.EphemeralTypeEmulate353: the TTL encoding
of ZooKeeper 3.5.3 (any negative owner other than the container marker is a
TTL node), read when ``zookeeper.emulate353TTLNodes`` is set."""

from __future__ import annotations

import enum


class EphemeralTypeEmulate353(enum.Enum):
    VOID = 0
    NORMAL = 1
    CONTAINER = 2
    TTL = 3

    @staticmethod
    def get(ephemeralOwner: int) -> "EphemeralTypeEmulate353":
        if ephemeralOwner == CONTAINER_EPHEMERAL_OWNER:
            return EphemeralTypeEmulate353.CONTAINER
        if ephemeralOwner < 0:
            return EphemeralTypeEmulate353.TTL
        return EphemeralTypeEmulate353.VOID if ephemeralOwner == 0 else EphemeralTypeEmulate353.NORMAL

    @staticmethod
    def ttlToEphemeralOwner(ttl: int) -> int:
        if ttl > MAX_TTL or ttl <= 0:
            raise ValueError("ttl must be positive and cannot be larger than: " + str(MAX_TTL))
        return TTL_MASK | ttl


CONTAINER_EPHEMERAL_OWNER = -(1 << 63)
MAX_TTL = 0x0FFFFFFFFFFFFFFF
TTL_MASK = -(1 << 63)

EphemeralTypeEmulate353.CONTAINER_EPHEMERAL_OWNER = CONTAINER_EPHEMERAL_OWNER
EphemeralTypeEmulate353.MAX_TTL = MAX_TTL
EphemeralTypeEmulate353.TTL_MASK = TTL_MASK
