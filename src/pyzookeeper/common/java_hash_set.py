"""A set of strings that iterates in the order of Java's ``HashSet<String>``.

Python-only. Java ZooKeeper keeps a znode's child names and a session's
ephemeral paths in ``HashSet<String>`` instances, and that iteration order
reaches clients and disks: getChildren/getChildren2/getEphemerals answers,
the order of children in a snapshot, the order in which a closed session's
ephemeral nodes are deleted (and their watches fire).

``java.util.HashMap`` (Java 17, the one behind ``HashSet``) iterates its table
bucket by bucket. A string goes to bucket ``spread & (capacity - 1)``, where
``spread = h ^ (h >>> 16)`` and ``h`` is ``String.hashCode()`` over UTF-16
code units. Inside a bucket the entries keep the order they were put in
(a removal leaves the others in order, and a resize splits every bucket
keeping relative order). The capacity is a power of two that doubles once
the size exceeds three quarters of it, and also when an insertion makes a
bucket longer than eight entries while the capacity is below 64; it never
shrinks. So the iteration order is the insertion order, stably sorted by
bucket index: this class keeps an insertion-ordered dict plus the capacity,
and sorts only when the order is asked for. Each name's spread hash is
computed the first time an order is needed and kept with it, and the dict is
then rebuilt in the order found (which keeps every bucket's insertion order,
all a later order depends on), so that an unchanged set lists at dict speed.

Copies (``clone``, ``copy_of``) are sized as Java 17 sizes them; JDK 19 and
later size copies differently, so a copy may iterate differently there.
Not reproduced: a bucket that Java turns into a red-black tree (more than
eight colliding names in a table of 64 or more buckets) iterates with the
tree's root first; here such a bucket keeps insertion order.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable, Iterable, Iterator, MutableSet
from contextlib import AbstractContextManager
from itertools import repeat
from typing import TypeVar

K = TypeVar("K")

_DIGITS = b"0123456789abcdefghijklmnopqrstu"
# ASCII code c = low + 31 * high with both base-31 digits, so that the hash
# sum(c[i] * 31**(n-1-i)) is int(lows, 31) + 31 * int(highs, 31); NUL stays
# NUL, to separate the names hashed in one go
_LOW_DIGIT = b"\0" + bytes(_DIGITS[c % 31] for c in range(1, 128)) + bytes(128)
_HIGH_DIGIT = b"\0" + bytes(_DIGITS[c // 31] for c in range(1, 128)) + bytes(128)
# int() refuses longer base-31 texts (sys.int_info.str_digits_check_threshold)
_MAX_PARSED = 4000

_TREEIFY_THRESHOLD = 8
_MIN_TREEIFY_CAPACITY = 64
_ABSENT = object()
_FLOAT = struct.Struct("<f")
# the lock of the sets made without one of their own
_LOCK = threading.RLock()


def string_hash(s: str) -> int:
    """``String.hashCode()`` as an unsigned 32-bit value."""
    if s.isascii() and 0 < len(s) <= _MAX_PARSED and "\0" not in s:
        b = s.encode("ascii")
        return (int(b.translate(_LOW_DIGIT), 31) + 31 * int(b.translate(_HIGH_DIGIT), 31)) & 0xFFFFFFFF
    data = s.encode("utf-16-be", "surrogatepass")
    h = 0
    for unit in struct.unpack(f">{len(data) // 2}H", data):
        h = (31 * h + unit) & 0xFFFFFFFF
    return h


def spread_hash(s: str) -> int:
    """``HashMap.hash(s)``: the string's hash with its high half folded into the low half."""
    h = string_hash(s)
    return h ^ (h >> 16)


def _spread_hashes(names: list[str]) -> list[int]:
    """``spread_hash`` of each name; ASCII names are parsed together."""
    joined = "\0".join(names)
    if joined.isascii():
        data = joined.encode("ascii")
        lows = data.translate(_LOW_DIGIT).split(b"\0")
        if len(lows) == len(names):
            highs = data.translate(_HIGH_DIGIT).split(b"\0")
            try:
                pairs = zip(map(int, lows, repeat(31)), map(int, highs, repeat(31)))
                return [(h := (low + 31 * high) & 0xFFFFFFFF) ^ (h >> 16) for low, high in pairs]
            except ValueError:
                # an empty name, or one too long for int()
                pass
    return list(map(spread_hash, names))


def table_size_for(n: int) -> int:
    """``HashMap.tableSizeFor``: the smallest power of two >= n (1 for n <= 1)."""
    return 1 if n <= 1 else 1 << (n - 1).bit_length()


def _float32(x: float) -> float:
    return _FLOAT.unpack(_FLOAT.pack(x))[0]


class JavaHashSet(MutableSet):
    """``java.util.HashSet<String>``: a mutable set of strings iterating in Java's order.

    ``JavaHashSet(n)`` is ``new HashSet<>(n)``, ``JavaHashSet()`` is ``new
    HashSet<>()``, ``JavaHashSet.copy_of(c)`` is ``new HashSet<>(c)`` and
    ``clone()`` is ``HashSet.clone()``. ``add`` and ``discard`` answer whether
    the set changed, as Java's ``add`` and ``remove`` do.

    Unlike Java's, the set may be read while another thread changes it: every
    method takes ``lock`` (a re-entrant lock; one shared by all sets made
    without one). A caller that already holds it may change the set with
    ``add_locked`` and ``discard_locked``, which skip taking it again.
    """

    __slots__ = ("_map", "_capacity", "_limit", "_inOrder", "_lock")

    def __init__(self, initialCapacity: int = 16, lock: AbstractContextManager | None = None) -> None:
        if initialCapacity < 0:
            raise ValueError(f"Illegal initial capacity: {initialCapacity}")
        # name -> spread hash, or None until an order is first needed
        self._map: dict[str, int | None] = {}
        self._inOrder = True
        self._lock = _LOCK if lock is None else lock
        self._setCapacity(table_size_for(initialCapacity))

    @classmethod
    def copy_of(cls, c: Iterable[str]) -> JavaHashSet:
        """``new HashSet<>(c)``: sized for ``c``, then filled in ``c``'s iteration order."""
        items = list(c)
        copy = cls(hash_set_copy_capacity(len(items)))
        copy._putAll(items, c._map if isinstance(c, JavaHashSet) else {})
        return copy

    def clone(self) -> JavaHashSet:
        """``HashSet.clone()``: a table sized for the current size, filled in this set's order."""
        with self._lock:
            n = len(self._map)
            if n == 0:
                return JavaHashSet()
            copy = JavaHashSet(table_size_for(int(_float32(_float32(n / 0.75) + 1.0))))
            copy._putAll(self._ordered(), self._map)
            return copy

    @property
    def capacity(self) -> int:
        """The number of buckets of the Java table."""
        return self._capacity

    def add(self, e: str) -> bool:
        with self._lock:
            return self.add_locked(e)

    def add_locked(self, e: str) -> bool:
        """``add`` for a caller that holds the set's lock."""
        m = self._map
        if e in m:
            return False
        m[e] = None
        self._inOrder = False
        if len(m) > self._limit:
            self._grow(e)
        return True

    def discard(self, e: str) -> bool:
        with self._lock:
            return self._map.pop(e, _ABSENT) is not _ABSENT

    def discard_locked(self, e: str) -> bool:
        """``discard`` for a caller that holds the set's lock."""
        return self._map.pop(e, _ABSENT) is not _ABSENT

    def clear(self) -> None:
        """Empty the set; like Java's, the table keeps its size."""
        with self._lock:
            self._map.clear()

    def __contains__(self, e: object) -> bool:
        return e in self._map

    def __len__(self) -> int:
        return len(self._map)

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_list())

    def to_list(self) -> list[str]:
        """The names in Java's iteration order (a new list)."""
        with self._lock:
            return self._ordered()

    @classmethod
    def _from_iterable(cls, it: Iterable[str]) -> set[str]:
        return set(it)

    def __str__(self) -> str:
        """``AbstractCollection.toString()``."""
        return "[" + ", ".join(self.to_list()) + "]"

    def __repr__(self) -> str:
        return f"JavaHashSet({self.to_list()!r}, capacity={self._capacity})"

    def _setCapacity(self, capacity: int) -> None:
        self._capacity = capacity
        threshold = (capacity * 3) >> 2
        # below 64 buckets every insertion past the eighth name may meet a full bucket
        self._limit = threshold if capacity >= _MIN_TREEIFY_CAPACITY else min(threshold, _TREEIFY_THRESHOLD)

    def _ordered(self) -> list[str]:
        m = self._map
        if self._inOrder or len(m) < 2:
            return list(m)
        mask = self._capacity - 1
        hashes = list(m.values())
        try:
            buckets = [h & mask for h in hashes]
        except TypeError:
            # names added since the last order have no hash yet
            self._hashAll()
            hashes = list(m.values())
            buckets = [h & mask for h in hashes]
        names = list(m)
        order = sorted(range(len(names)), key=buckets.__getitem__)
        names = list(map(names.__getitem__, order))
        self._map = dict(zip(names, map(hashes.__getitem__, order)))
        self._inOrder = True
        return names

    def _hashAll(self) -> None:
        m = self._map
        missing = [name for name, h in m.items() if h is None]
        m.update(zip(missing, _spread_hashes(missing)))

    def _grow(self, e: str) -> None:
        """After ``e`` was added past the limit: Java's resizes for that insertion."""
        m = self._map
        capacity = self._capacity
        size = len(m)
        if capacity < _MIN_TREEIFY_CAPACITY and size > _TREEIFY_THRESHOLD:
            self._hashAll()
            mask = capacity - 1
            bucket = m[e] & mask
            if sum(1 for h in m.values() if h & mask == bucket) > _TREEIFY_THRESHOLD:
                capacity <<= 1
        if size > (capacity * 3) >> 2:
            capacity <<= 1
        if capacity != self._capacity:
            self._setCapacity(capacity)

    def _putAll(self, names: list[str], known: dict[str, int | None]) -> None:
        """Add ``names`` in order to this new set, taking the hashes in ``known``."""
        m = self._map
        for name in names:
            if name in m:
                continue
            m[name] = known.get(name)
            self._inOrder = False
            if len(m) > self._limit:
                self._grow(name)


def hash_set_copy_capacity(size: int) -> int:
    """The table size of ``new HashSet<>(c)`` for a collection ``c`` of ``size`` elements."""
    return table_size_for(max(int(_float32(size / 0.75)) + 1, 16))


def hash_map_copy_capacity(size: int) -> int:
    """The table size of ``new HashMap<>(m)`` for a map ``m`` of ``size`` entries."""
    return table_size_for(int(_float32(_float32(size / 0.75) + 1.0)))


def hash_map_order(keys: Iterable[K], hashCode: Callable[[K], int], capacity: int = 16) -> list[K]:
    """The iteration order of a ``HashMap`` of ``capacity`` buckets (``new
    HashMap<>()`` by default) after putting each of the distinct ``keys`` in
    turn, ``hashCode`` giving a key's Java hash: the order of the puts, stably
    sorted by bucket of the final table (which doubles past three quarters
    full, and when a bucket below 64 gets a ninth key)."""
    names: list[K] = []
    spreads: list[int] = []
    counts: dict[int, int] = {}
    for key in keys:
        h = hashCode(key)
        spread = h ^ (h >> 16)
        names.append(key)
        spreads.append(spread)
        bucket = spread & (capacity - 1)
        counts[bucket] = counts.get(bucket, 0) + 1
        grown = capacity
        if counts[bucket] > _TREEIFY_THRESHOLD and grown < _MIN_TREEIFY_CAPACITY:
            grown <<= 1
        if len(names) > (grown * 3) >> 2:
            grown <<= 1
        if grown != capacity:
            capacity = grown
            counts = {}
            for s in spreads:
                counts[s & (capacity - 1)] = counts.get(s & (capacity - 1), 0) + 1
    mask = capacity - 1
    order = sorted(range(len(names)), key=lambda i: spreads[i] & mask)
    return [names[i] for i in order]
