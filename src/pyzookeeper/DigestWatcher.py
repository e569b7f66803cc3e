"""Mirrors org.apache.zookeeper.DigestWatcher: told the zxid of a digest mismatch."""

from __future__ import annotations

import abc


class DigestWatcher(abc.ABC):
    @abc.abstractmethod
    def process(self, mismatchZxid: int) -> None:
        """Called when the tree digest differs from the expected one at ``mismatchZxid``."""
