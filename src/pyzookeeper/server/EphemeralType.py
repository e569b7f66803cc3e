"""Mirrors org.apache.zookeeper.server.EphemeralType: what a node's
``ephemeralOwner`` means.

0 is a plain persistent node, Long.MIN_VALUE a container, a session id an
ephemeral node; with ``zookeeper.extendedTypesEnabled`` an owner whose high
byte is 0xff is an extended type, of which only TTL exists (reserved bits
0x0000, the TTL in milliseconds in the low 40 bits). Java's
IllegalArgumentException is ``ValueError`` here, RuntimeException
``RuntimeError``.
"""

from __future__ import annotations

import enum

from pyzookeeper import system_properties
from pyzookeeper.server.EphemeralTypeEmulate353 import EphemeralTypeEmulate353

CONTAINER_EPHEMERAL_OWNER = -(1 << 63)
MAX_EXTENDED_SERVER_ID = 0xFE

EXTENDED_MASK = -(1 << 56)  # 0xff00000000000000 as a signed long
EXTENDED_BIT_TTL = 0x0000
RESERVED_BITS_MASK = 0x00FFFF0000000000
RESERVED_BITS_SHIFT = 40
EXTENDED_FEATURE_VALUE_MASK = ~(EXTENDED_MASK | RESERVED_BITS_MASK)  # 0x000000ffffffffff

EXTENDED_TYPES_ENABLED_PROPERTY = "zookeeper.extendedTypesEnabled"
TTL_3_5_3_EMULATION_PROPERTY = "zookeeper.emulate353TTLNodes"


class EphemeralType(enum.Enum):
    VOID = 0
    NORMAL = 1
    CONTAINER = 2
    TTL = 3

    def maxValue(self) -> int:
        """The largest value the type can encode (the TTL limit, about 34 years)."""
        if self is EphemeralType.TTL:
            return EXTENDED_FEATURE_VALUE_MASK
        return 0

    def toEphemeralOwner(self, value: int) -> int:
        """The ephemeralOwner encoding ``value`` (a TTL in ms for TTL, else 0)."""
        if self is EphemeralType.TTL:
            if value > EXTENDED_FEATURE_VALUE_MASK or value <= 0:
                raise ValueError("ttl must be positive and cannot be larger than: "
                                 + str(EXTENDED_FEATURE_VALUE_MASK))
            return EXTENDED_MASK | EXTENDED_BIT_TTL | value
        return 0

    def getValue(self, ephemeralOwner: int) -> int:
        """The value encoded in ``ephemeralOwner`` (the TTL for TTL, else 0)."""
        if self is EphemeralType.TTL:
            return ephemeralOwner & EXTENDED_FEATURE_VALUE_MASK
        return 0

    @staticmethod
    def extendedEphemeralTypesEnabled() -> bool:
        return system_properties.getBoolean(EXTENDED_TYPES_ENABLED_PROPERTY)

    @staticmethod
    def get(ephemeralOwner: int) -> "EphemeralType":
        """The type of a node whose stat has this ``ephemeralOwner``."""
        if system_properties.getBoolean(EXTENDED_TYPES_ENABLED_PROPERTY):
            if system_properties.getBoolean(TTL_3_5_3_EMULATION_PROPERTY):
                if EphemeralTypeEmulate353.get(ephemeralOwner) is EphemeralTypeEmulate353.TTL:
                    return EphemeralType.TTL
            if (ephemeralOwner & EXTENDED_MASK) == EXTENDED_MASK:
                extendedFeatureBit = (ephemeralOwner & RESERVED_BITS_MASK) >> RESERVED_BITS_SHIFT
                ephemeralType = _extendedFeatureMap.get(extendedFeatureBit)
                if ephemeralType is None:
                    raise ValueError("Invalid ephemeralOwner. [%s]" % format(ephemeralOwner & 0xFFFFFFFFFFFFFFFF, "x"))
                return ephemeralType
        if ephemeralOwner == CONTAINER_EPHEMERAL_OWNER:
            return EphemeralType.CONTAINER
        return EphemeralType.VOID if ephemeralOwner == 0 else EphemeralType.NORMAL

    @staticmethod
    def validateServerId(serverId: int) -> None:
        """With extended types enabled, server ids above 254 would collide with
        the extended-type marker in session ids."""
        if system_properties.getBoolean(EXTENDED_TYPES_ENABLED_PROPERTY):
            if serverId > MAX_EXTENDED_SERVER_ID:
                raise RuntimeError("extendedTypesEnabled is true but Server ID is too large. Cannot be larger than "
                                   + str(MAX_EXTENDED_SERVER_ID))

    @staticmethod
    def validateTTL(mode, ttl: int) -> None:
        """A TTL mode needs a valid TTL; any other mode must not carry one (ttl < 0)."""
        if mode.isTTL():
            EphemeralType.TTL.toEphemeralOwner(ttl)
        elif ttl >= 0:
            raise ValueError("ttl not valid for mode: " + mode.name)


_extendedFeatureMap = {EXTENDED_BIT_TTL: EphemeralType.TTL}

EphemeralType.CONTAINER_EPHEMERAL_OWNER = CONTAINER_EPHEMERAL_OWNER
EphemeralType.MAX_EXTENDED_SERVER_ID = MAX_EXTENDED_SERVER_ID
EphemeralType.EXTENDED_TYPES_ENABLED_PROPERTY = EXTENDED_TYPES_ENABLED_PROPERTY
EphemeralType.TTL_3_5_3_EMULATION_PROPERTY = TTL_3_5_3_EMULATION_PROPERTY
