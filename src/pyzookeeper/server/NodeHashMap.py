"""Mirrors org.apache.zookeeper.server.NodeHashMap: path -> DataNode, keeping the
tree digest up to date as nodes are added, changed and removed."""

from __future__ import annotations

import abc


class NodeHashMap(abc.ABC):
    """The map from full path to node that every tree lookup goes through."""

    __slots__ = ()

    @abc.abstractmethod
    def put(self, path: str, node):
        """Add or replace a node and account for it in the digest; returns the old node."""

    @abc.abstractmethod
    def putWithoutDigest(self, path: str, node):
        """Add or replace a node without touching the digest (the "/" alias of the root)."""

    @abc.abstractmethod
    def get(self, path: str):
        """The node at ``path`` or None. Java's map throws for a null path; here
        None finds nothing and DataTree raises for it when nothing is found, so
        that lookups which find a node pay nothing for the check."""

    @abc.abstractmethod
    def remove(self, path: str):
        """Remove and return the node at ``path`` (or None), taking it out of the digest."""

    @abc.abstractmethod
    def entrySet(self):
        """(path, node) pairs, safe to iterate while the map changes."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Drop every node and reset the digest."""

    @abc.abstractmethod
    def size(self) -> int:
        """The number of entries (the root counts twice, as "" and "/")."""

    @abc.abstractmethod
    def preChange(self, path: str, node) -> None:
        """Call before changing a node: takes its current digest out."""

    @abc.abstractmethod
    def postChange(self, path: str, node) -> None:
        """Call after changing a node: adds its new digest."""

    @abc.abstractmethod
    def getDigest(self) -> int:
        """The tree digest (a signed 64-bit value)."""
