"""Mirrors org.apache.zookeeper.server.NodeHashMapImpl: a dict of nodes with an
AdHash of their digests (nodes under /zookeeper/ are left out)."""

from __future__ import annotations

from pyzookeeper.server.DigestCalculator import ZOOKEEPER_NODE_SUBTREE, DigestCalculator
from pyzookeeper.server.NodeHashMap import NodeHashMap
from pyzookeeper.server.util.AdHash import AdHash


class NodeHashMapImpl(NodeHashMap):
    """Path -> DataNode with the tree digest maintained on every change.

    ``get`` is the dict's own lookup, bound once, since every tree operation
    starts with it.
    """

    __slots__ = ("nodes", "digestEnabled", "digestCalculator", "hash", "get")

    def __init__(self, digestCalculator: DigestCalculator) -> None:
        self.digestCalculator = digestCalculator
        self.nodes: dict = {}
        self.hash = AdHash()
        self.digestEnabled = digestCalculator.digestEnabled
        self.get = self.nodes.get

    def put(self, path: str, node):
        oldNode = self.nodes.get(path)
        self.nodes[path] = node
        self._addDigest(path, node)
        if oldNode is not None:
            self._removeDigest(path, oldNode)
        return oldNode

    def putWithoutDigest(self, path: str, node):
        oldNode = self.nodes.get(path)
        self.nodes[path] = node
        return oldNode

    def remove(self, path: str):
        oldNode = self.nodes.pop(path, None)
        if oldNode is not None:
            self._removeDigest(path, oldNode)
        return oldNode

    def entrySet(self) -> list:
        return list(self.nodes.items())

    def clear(self) -> None:
        self.nodes.clear()
        self.hash.clear()

    def size(self) -> int:
        return len(self.nodes)

    def preChange(self, path: str, node) -> None:
        self._removeDigest(path, node)

    def postChange(self, path: str, node) -> None:
        node.digestCached = False
        self._addDigest(path, node)

    def _addDigest(self, path: str, node) -> None:
        if self.digestEnabled and not path.startswith(ZOOKEEPER_NODE_SUBTREE):
            self.hash.addDigest(node.digest if node.digestCached else self.digestCalculator.calculateDigest(path, node))

    def _removeDigest(self, path: str, node) -> None:
        if self.digestEnabled and not path.startswith(ZOOKEEPER_NODE_SUBTREE):
            self.hash.removeDigest(node.digest if node.digestCached
                                   else self.digestCalculator.calculateDigest(path, node))

    def getDigest(self) -> int:
        return self.hash.getHash()
