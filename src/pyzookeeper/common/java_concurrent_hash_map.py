"""A map that iterates in the order of Java's ``ConcurrentHashMap<String, V>``
or ``ConcurrentHashMap<Long, V>``.

Python-only. The metrics provider keeps its gauges, counters and summaries in
``ConcurrentHashMap`` instances, and their iteration order is the order of
the ``mntr`` lines and of the AdminServer's ``monitor`` answer. The DataTree
keeps its containers and TTL nodes (by path) and its ephemeral nodes (by
session id) in them: their order is the order in which empty containers and
expired TTL nodes are deleted and in which ``dump`` lists sessions.

``java.util.concurrent.ConcurrentHashMap`` (Java 17) iterates its table bin by
bin. A key goes to bin ``spread & (n - 1)`` of a table of ``n`` bins, where
``spread`` is ``java.util.HashMap``'s (see ``java_hash_set``) applied to the
key's ``hashCode()``: ``String.hashCode`` by default, ``long_hash`` for
session ids. A new key is appended to its bin; a removal unlinks it. The
table starts at 16 bins when the first key is put and doubles as soon as the
count of keys reaches three quarters of it (not when it exceeds it, as in
``HashMap``). Doubling splits each bin into its low and high half the way
``transfer`` does: the bin's last run of keys going to the same half stays in
order at the end, the keys before it are prepended one by one, so their order
is reversed. A bin that would hold a ninth key in a table under 64 bins makes
the table grow through ``tryPresize`` first. The table never shrinks.

This class keeps the bins as lists and replays those steps, single-threaded,
under one lock; reads of a single key go to a plain dict. Not reproduced: a
bin that Java turns into a red-black tree (more than eight colliding keys in
a table of 64 or more bins).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, MutableMapping
from typing import TypeVar

from pyzookeeper.common.java_hash_set import string_hash, table_size_for

K = TypeVar("K")
V = TypeVar("V")

_DEFAULT_CAPACITY = 16
_TREEIFY_THRESHOLD = 8
_MIN_TREEIFY_CAPACITY = 64
_MAXIMUM_CAPACITY = 1 << 30
_ABSENT = object()


def long_hash(v: int) -> int:
    """``Long.hashCode()`` of a 64-bit value, as an unsigned 32-bit value."""
    v &= 0xFFFFFFFFFFFFFFFF
    return (v ^ (v >> 32)) & 0xFFFFFFFF


class JavaConcurrentHashMap(MutableMapping[K, V]):
    """``new ConcurrentHashMap<>()``: a mutable mapping iterating in Java's order;
    ``hashCode`` gives a key's Java hash (``String.hashCode`` unless given).

    ``setdefault`` and ``computeIfAbsent`` put a missing key as Java's
    ``putIfAbsent`` and ``computeIfAbsent`` do; assigning an existing key
    keeps its place.
    """

    __slots__ = ("_values", "_table", "_sizeCtl", "_lock", "_hashCode")

    def __init__(self, hashCode: Callable[[K], int] = string_hash) -> None:
        self._values: dict[K, V] = {}
        # bins of (spread hash, key); None until the first put, as in Java
        self._table: list[list[tuple[int, K]]] | None = None
        self._sizeCtl = 0
        self._lock = threading.Lock()
        self._hashCode = hashCode

    # -- reads ------------------------------------------------------------------------------------

    def __getitem__(self, key: K) -> V:
        return self._values[key]

    def get(self, key: K, default=None):
        return self._values.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[K]:
        return iter(self.keys_in_order())

    def keys_in_order(self) -> list[K]:
        """The keys in Java's iteration order (a new list)."""
        with self._lock:
            return self._ordered()

    def items(self) -> list[tuple[K, V]]:  # type: ignore[override]
        """The entries in Java's iteration order (a snapshot)."""
        with self._lock:
            values = self._values
            return [(k, values[k]) for k in self._ordered()]

    def values(self) -> list[V]:  # type: ignore[override]
        """The values in Java's iteration order (a snapshot)."""
        return [v for _, v in self.items()]

    # -- writes -----------------------------------------------------------------------------------

    def __setitem__(self, key: K, value: V) -> None:
        with self._lock:
            if key not in self._values:
                self._insert(key)
            self._values[key] = value

    def setdefault(self, key: K, default: V) -> V:  # type: ignore[override]
        return self.computeIfAbsent(key, lambda _key: default)

    def computeIfAbsent(self, key: K, mappingFunction: Callable[[K], V]) -> V:
        value = self._values.get(key, _ABSENT)
        if value is not _ABSENT:
            return value
        with self._lock:
            value = self._values.get(key, _ABSENT)
            if value is _ABSENT:
                value = mappingFunction(key)
                self._insert(key)
                self._values[key] = value
            return value

    def __delitem__(self, key: K) -> None:
        with self._lock:
            del self._values[key]
            self._unlink(key)

    def pop(self, key: K, default=_ABSENT):
        with self._lock:
            value = self._values.pop(key, _ABSENT)
            if value is _ABSENT:
                if default is _ABSENT:
                    raise KeyError(key)
                return default
            self._unlink(key)
            return value

    def clear(self) -> None:
        """Remove every key; like Java's, the table keeps its size."""
        with self._lock:
            self._values.clear()
            if self._table is not None:
                self._table = [[] for _ in self._table]

    def __repr__(self) -> str:
        return f"JavaConcurrentHashMap({dict(self.items())!r})"

    # -- the table --------------------------------------------------------------------------------

    def _spread(self, key: K) -> int:
        h = self._hashCode(key)
        return h ^ (h >> 16)

    def _ordered(self) -> list[K]:
        if self._table is None:
            return []
        return [k for bin_ in self._table for _, k in bin_]

    def _insert(self, key: K) -> None:
        """``putVal`` of a key not in the map, then ``addCount``."""
        table = self._table
        if table is None:
            n = self._sizeCtl if self._sizeCtl > 0 else _DEFAULT_CAPACITY
            table = self._table = [[] for _ in range(n)]
            self._sizeCtl = n - (n >> 2)
        h = self._spread(key)
        n = len(table)
        bin_ = table[h & (n - 1)]
        binCount = len(bin_)
        bin_.append((h, key))
        if binCount >= _TREEIFY_THRESHOLD and n < _MIN_TREEIFY_CAPACITY:
            self._tryPresize(n << 1)
        count = len(self._values) + 1
        while count >= self._sizeCtl and len(self._table) < _MAXIMUM_CAPACITY:
            self._transfer()

    def _unlink(self, key: K) -> None:
        table = self._table
        bin_ = table[self._spread(key) & (len(table) - 1)]
        for i, (_, k) in enumerate(bin_):
            if k == key:
                del bin_[i]
                return

    def _tryPresize(self, size: int) -> None:
        c = table_size_for(size + (size >> 1) + 1)
        while c > self._sizeCtl and len(self._table) < _MAXIMUM_CAPACITY:
            self._transfer()

    def _transfer(self) -> None:
        """Double the table, splitting each bin as ``ConcurrentHashMap.transfer`` does."""
        table = self._table
        n = len(table)
        nextTab: list[list[tuple[int, K]]] = [[] for _ in range(n << 1)]
        for i, bin_ in enumerate(table):
            if not bin_:
                continue
            runBit = bin_[0][0] & n
            lastRun = 0
            for j in range(1, len(bin_)):
                b = bin_[j][0] & n
                if b != runBit:
                    runBit = b
                    lastRun = j
            run = bin_[lastRun:]
            low = run if runBit == 0 else []
            high = run if runBit else []
            for node in bin_[:lastRun]:
                if node[0] & n:
                    high = [node, *high]
                else:
                    low = [node, *low]
            nextTab[i] = low
            nextTab[i + n] = high
        self._table = nextTab
        self._sizeCtl = (n << 1) - (n >> 1)
