"""Mirrors org.apache.jute.Utils."""


def compareBytes(b1: bytes, off1: int, len1: int, b2: bytes, off2: int, len2: int) -> int:
    """Lexicographic comparison of two byte ranges as Java's signed bytes."""
    for i in range(min(len1, len2)):
        x = b1[off1 + i]
        y = b2[off2 + i]
        if x != y:
            x = x - 256 if x > 127 else x
            y = y - 256 if y > 127 else y
            return -1 if x < y else 1
    if len1 != len2:
        return -1 if len1 < len2 else 1
    return 0
