"""Mirrors org.apache.zookeeper.server.ResponseCache: serialized getData /
getChildren2 replies kept per path while the node's Stat is unchanged."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

LOG = logging.getLogger(__name__)

DEFAULT_RESPONSE_CACHE_SIZE = 400


class ResponseCache:
    DEFAULT_RESPONSE_CACHE_SIZE = DEFAULT_RESPONSE_CACHE_SIZE

    def __init__(self, cacheSize: int, requestType: str) -> None:
        self.cacheSize = cacheSize
        self._cache: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()
        LOG.info("%s response cache size is initialized with value %s.", requestType, cacheSize)

    def getCacheSize(self) -> int:
        return self.cacheSize

    def put(self, path: str, data: bytes, stat) -> None:
        with self._lock:
            cache = self._cache
            cache[path] = (stat, data)
            cache.move_to_end(path)
            while len(cache) >= self.cacheSize:
                cache.popitem(last=False)

    def get(self, key: str, stat) -> bytes | None:
        with self._lock:
            entry = self._cache.get(key)
            if entry is None:
                return None
            if stat != entry[0]:
                del self._cache[key]
                return None
            self._cache.move_to_end(key)
            return entry[1]

    def isEnabled(self) -> bool:
        return self.cacheSize > 0
