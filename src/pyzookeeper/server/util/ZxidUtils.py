"""Mirrors org.apache.zookeeper.server.util.ZxidUtils: epoch and counter halves of a zxid."""


def getEpochFromZxid(zxid: int) -> int:
    return zxid >> 32


def getCounterFromZxid(zxid: int) -> int:
    return zxid & 0xFFFFFFFF


def makeZxid(epoch: int, counter: int) -> int:
    value = (epoch << 32) | (counter & 0xFFFFFFFF)
    if value >= 1 << 63:
        value -= 1 << 64
    return value


def zxidToString(zxid: int) -> str:
    """``Long.toHexString``: lowercase hex, two's complement for negatives."""
    return format(zxid & 0xFFFFFFFFFFFFFFFF, "x")
