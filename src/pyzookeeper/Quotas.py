"""Mirrors org.apache.zookeeper.Quotas: where quota limits and usage live.

Java's class has only constants and static methods: they are module-level
names, and the class ``Quotas`` offers the same names, so both
``from pyzookeeper import Quotas`` and ``from pyzookeeper.Quotas import Quotas``
read as Java does (``Quotas.statPath(p)``).
"""

from __future__ import annotations

procZookeeper = "/zookeeper"

quotaZookeeper = "/zookeeper/quota"

limitNode = "zookeeper_limits"

statNode = "zookeeper_stats"


def quotaPath(path: str) -> str:
    """The quota node of ``path``: /zookeeper/quota + path."""
    return quotaZookeeper + path


def limitPath(path: str) -> str:
    """The node holding the limits of ``path``."""
    return quotaZookeeper + path + "/" + limitNode


def statPath(path: str) -> str:
    """The node holding the usage of ``path``."""
    return quotaZookeeper + path + "/" + statNode


def trimQuotaPath(quotaPath: str) -> str:
    """The real path of a quota node (its path without /zookeeper/quota).

    Like Java's substring, a path shorter than the prefix is an error.
    """
    begin = len(quotaZookeeper)
    if len(quotaPath) < begin:
        raise IndexError(f"begin {begin}, end {len(quotaPath)}, length {len(quotaPath)}")
    return quotaPath[begin:]


class Quotas:
    """The same names as a class, for ``from pyzookeeper.Quotas import Quotas``."""

    procZookeeper = procZookeeper
    quotaZookeeper = quotaZookeeper
    limitNode = limitNode
    statNode = statNode
    quotaPath = staticmethod(quotaPath)
    limitPath = staticmethod(limitPath)
    statPath = staticmethod(statPath)
    trimQuotaPath = staticmethod(trimQuotaPath)
