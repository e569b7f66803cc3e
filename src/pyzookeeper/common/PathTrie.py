"""Mirrors org.apache.zookeeper.common.PathTrie: the set of paths that carry a
quota, answering "which quota path is the longest prefix of this path".

Deliberate difference: one mutex instead of Java's fair read-write lock (the
critical sections are tiny and Python threads do not run them in parallel).
"""

from __future__ import annotations

import logging
import threading

LOG = logging.getLogger(__name__)

# String.trim() removes every character up to and including U+0020
_JAVA_TRIM = "".join(map(chr, range(0x21)))


class PathTrie:
    """A trie of path components; a node with ``property`` set marks a quota path."""

    class TrieNode:
        __slots__ = ("value", "children", "property", "parent")

        def __init__(self, parent: "PathTrie.TrieNode | None", value: str) -> None:
            self.value = value
            self.parent = parent
            self.property = False
            self.children: dict[str, PathTrie.TrieNode] = {}

        def getParent(self) -> "PathTrie.TrieNode | None":
            return self.parent

        def setParent(self, parent: "PathTrie.TrieNode | None") -> None:
            self.parent = parent

        def setProperty(self, prop: bool) -> None:
            self.property = prop

        def hasProperty(self) -> bool:
            return self.property

        def getValue(self) -> str:
            return self.value

        def addChild(self, childName: str, node: "PathTrie.TrieNode") -> None:
            self.children.setdefault(childName, node)

        def deleteChild(self, childName: str) -> None:
            childNode = self.children.get(childName)
            if childNode is None:
                return
            childNode.setProperty(False)
            if childNode.isLeafNode():
                childNode.setParent(None)
                del self.children[childName]

        def getChild(self, childName: str) -> "PathTrie.TrieNode | None":
            return self.children.get(childName)

        def getChildren(self):
            return self.children.keys()

        def isLeafNode(self) -> bool:
            return not self.children

        def __str__(self) -> str:
            names = ", ".join(self.children)
            return f"TrieNode [name={self.value}, property={'true' if self.property else 'false'}, children=[{names}]]"

        toString = __str__

    def __init__(self) -> None:
        self.rootNode = PathTrie.TrieNode(None, "/")
        self._lock = threading.Lock()

    def addPath(self, path: str) -> None:
        """Mark ``path`` as a quota path, creating its components as needed."""
        if path is None:
            raise TypeError("Path cannot be null")
        if len(path) == 0:
            raise ValueError("Invalid path: " + path)
        pathComponents = _split(path)
        with self._lock:
            parent = self.rootNode
            for part in pathComponents:
                child = parent.children.get(part)
                if child is None:
                    child = PathTrie.TrieNode(parent, part)
                    parent.addChild(part, child)
                parent = child
            parent.setProperty(True)

    def deletePath(self, path: str) -> None:
        """Unmark ``path``; its trie node goes away when it has no children."""
        if path is None:
            raise TypeError("Path cannot be null")
        if len(path) == 0:
            raise ValueError("Invalid path: " + path)
        pathComponents = _split(path)
        with self._lock:
            parent = self.rootNode
            for part in pathComponents:
                child = parent.children.get(part)
                if child is None:
                    return
                parent = child
                LOG.debug("%s", parent)
            realParent = parent.getParent()
            realParent.deleteChild(parent.getValue())

    def existsNode(self, path: str) -> bool:
        """Whether every component of ``path`` is in the trie (marked or not)."""
        if path is None:
            raise TypeError("Path cannot be null")
        if len(path) == 0:
            raise ValueError("Invalid path: " + path)
        pathComponents = _split(path)
        with self._lock:
            parent = self.rootNode
            for part in pathComponents:
                child = parent.children.get(part)
                if child is None:
                    return False
                parent = child
                LOG.debug("%s", parent)
        return True

    def findMaxPrefix(self, path: str) -> str:
        """The longest marked prefix of ``path``, or "/" when there is none."""
        if path is None:
            raise TypeError("Path cannot be null")
        root = self.rootNode
        if not root.children:
            return "/"
        pathComponents = _split(path)
        with self._lock:
            parent = root
            deepestPropertyNode = None
            for element in pathComponents:
                parent = parent.children.get(element)
                if parent is None:
                    LOG.debug("%s", element)
                    break
                if parent.property:
                    deepestPropertyNode = parent
            if deepestPropertyNode is None:
                return "/"
            treePath: list[str] = []
            node = deepestPropertyNode
            while node is not root:
                treePath.append(node.value)
                node = node.parent
            treePath.reverse()
            return "/" + "/".join(treePath)

    def clear(self) -> None:
        with self._lock:
            self.rootNode.children.clear()


def _split(path: str) -> list[str]:
    return [t for t in path.split("/") if t.strip(_JAVA_TRIM)]
