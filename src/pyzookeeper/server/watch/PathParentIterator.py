"""Mirrors org.apache.zookeeper.server.watch.PathParentIterator: a path, then
each of its parents up to "/" (or the path alone).

Like Java's, it fails on a null (None) path and on a path without "/"."""

from __future__ import annotations

_MAX_LEVEL = 2**31 - 1


class PathParentIterator:
    """Iterates "/a/b/c", "/a/b", "/a", "/"; ``atParentPath()`` is true once past the first."""

    __slots__ = ("path", "maxLevel", "level")

    @staticmethod
    def forAll(path: str) -> "PathParentIterator":
        return PathParentIterator(path, _MAX_LEVEL)

    @staticmethod
    def forPathOnly(path: str) -> "PathParentIterator":
        return PathParentIterator(path, 0)

    def __init__(self, path: str, maxLevel: int) -> None:
        self.path = path
        self.maxLevel = maxLevel
        self.level = -1

    def asIterable(self) -> "PathParentIterator":
        return self

    def __iter__(self) -> "PathParentIterator":
        return self

    def hasNext(self) -> bool:
        if self.path is None:
            raise TypeError("path is null")
        return self.path != "" and self.level < self.maxLevel

    def atParentPath(self) -> bool:
        return self.level > 0

    def next(self) -> str:
        if not self.hasNext():
            raise StopIteration
        localPath = self.path
        self.level += 1
        if localPath == "/":
            self.path = ""
        else:
            lastSlash = localPath.rfind("/")
            if lastSlash < 0:
                raise IndexError(f"begin 0, end -1, length {len(localPath)}")
            parent = localPath[:lastSlash]
            self.path = parent if parent else "/"
        return localPath

    __next__ = next
