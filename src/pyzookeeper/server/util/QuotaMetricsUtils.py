"""Mirrors org.apache.zookeeper.server.util.QuotaMetricsUtils: per-namespace quota limits and
usage, read from the /zookeeper/quota subtree for the quota gauge sets.

Java's final class has only constants and static methods: they are module-level names here.
"""

from __future__ import annotations

import enum
from typing import Any

from pyzookeeper import Quotas
from pyzookeeper.StatsTrack import StatsTrack
from pyzookeeper.common import PathUtils

QUOTA_COUNT_LIMIT_PER_NAMESPACE = "quota_count_limit_per_namespace"
QUOTA_BYTES_LIMIT_PER_NAMESPACE = "quota_bytes_limit_per_namespace"
QUOTA_COUNT_USAGE_PER_NAMESPACE = "quota_count_usage_per_namespace"
QUOTA_BYTES_USAGE_PER_NAMESPACE = "quota_bytes_usage_per_namespace"
QUOTA_EXCEEDED_ERROR_PER_NAMESPACE = "quota_exceeded_error_per_namespace"


class QUOTA_LIMIT_USAGE_METRIC_TYPE(enum.Enum):
    QUOTA_COUNT_LIMIT = 0
    QUOTA_BYTES_LIMIT = 1
    QUOTA_COUNT_USAGE = 2
    QUOTA_BYTES_USAGE = 3


LIMIT_END_STRING = "/" + Quotas.limitNode
STATS_END_STRING = "/" + Quotas.statNode

_LIMIT_TYPES = (QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_COUNT_LIMIT, QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_BYTES_LIMIT)
_USAGE_TYPES = (QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_COUNT_USAGE, QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_BYTES_USAGE)


def getQuotaCountLimit(dataTree: Any) -> dict[str, int]:
    """Top-level namespace -> the sum of its count limits (hard limit first)."""
    return _getQuotaLimitOrUsage(dataTree, QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_COUNT_LIMIT)


def getQuotaBytesLimit(dataTree: Any) -> dict[str, int]:
    """Top-level namespace -> the sum of its byte limits (hard limit first)."""
    return _getQuotaLimitOrUsage(dataTree, QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_BYTES_LIMIT)


def getQuotaCountUsage(dataTree: Any) -> dict[str, int]:
    """Top-level namespace -> the number of znodes counted against its quotas."""
    return _getQuotaLimitOrUsage(dataTree, QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_COUNT_USAGE)


def getQuotaBytesUsage(dataTree: Any) -> dict[str, int]:
    """Top-level namespace -> the bytes counted against its quotas."""
    return _getQuotaLimitOrUsage(dataTree, QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_BYTES_USAGE)


def _getQuotaLimitOrUsage(dataTree: Any, type: QUOTA_LIMIT_USAGE_METRIC_TYPE) -> dict[str, int]:
    metricsMap: dict[str, int] = {}
    if dataTree is not None:
        _collect_subtree(Quotas.quotaZookeeper, metricsMap, type, dataTree)
    return metricsMap


def _collect_subtree(path: str, metricsMap: dict[str, int], type: QUOTA_LIMIT_USAGE_METRIC_TYPE,
                     dataTree: Any) -> None:
    node = dataTree.getNode(path)
    if node is None:
        return
    with node:
        children = tuple(node.getChildren())
    if not children:
        if shouldCollect(path, type):
            collectQuotaLimitOrUsage(path, node, metricsMap, type)
        return
    for child in children:
        _collect_subtree(path + "/" + child, metricsMap, type, dataTree)


def shouldCollect(path: str, type: QUOTA_LIMIT_USAGE_METRIC_TYPE) -> bool:
    return (path.endswith(LIMIT_END_STRING) and type in _LIMIT_TYPES
            or path.endswith(STATS_END_STRING) and type in _USAGE_TYPES)


def collectQuotaLimitOrUsage(path: str, node: Any, metricsMap: dict[str, int],
                             type: QUOTA_LIMIT_USAGE_METRIC_TYPE) -> None:
    namespace = PathUtils.getTopNamespace(Quotas.trimQuotaPath(path))
    if namespace is None:
        return
    data = node.getData()
    if data is None:
        return
    statsTrack = StatsTrack(data)
    if type is QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_COUNT_LIMIT:
        value = getQuotaLimit(statsTrack.getCountHardLimit(), statsTrack.getCount())
    elif type is QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_BYTES_LIMIT:
        value = getQuotaLimit(statsTrack.getByteHardLimit(), statsTrack.getBytes())
    elif type is QUOTA_LIMIT_USAGE_METRIC_TYPE.QUOTA_COUNT_USAGE:
        value = statsTrack.getCount()
    else:
        value = statsTrack.getBytes()
    _aggregateQuotaLimitOrUsage(namespace, metricsMap, value)


def getQuotaLimit(hardLimit: int, limit: int) -> int:
    """The hard limit when one is set, else the soft limit."""
    return hardLimit if hardLimit > -1 else limit


def _aggregateQuotaLimitOrUsage(namespace: str, metricsMap: dict[str, int], limitOrUsage: int) -> None:
    metricsMap[namespace] = metricsMap.get(namespace, 0) + limitOrUsage
