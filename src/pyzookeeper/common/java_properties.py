"""``java.util.Properties`` and the iteration order of Java's hash maps.

Python-only: ZooKeeper's configuration code walks ``Properties`` and
``HashMap<Long, ...>`` instances, and what it writes (``QuorumVerifier``
text, the rewritten static config, ``getClientConfigStr``) follows their
iteration order. ``Properties`` here parses the ``.properties`` format exactly
as ``Properties.load`` does and iterates in the order of the
``ConcurrentHashMap`` that backs it in Java 9+; ``hashmap_ordered`` reorders a
dict of long keys as a ``HashMap<Long, V>`` would iterate it. Both emulate
list bins only: a bin of 8+ colliding keys in a table of 64+ slots is a tree
in Java and may iterate differently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from pyzookeeper.common.java_hash_set import string_hash as unsigned_string_hash

_WHITESPACE = " \t\f"


def string_hash(s: str) -> int:
    """``String.hashCode()`` (over UTF-16 code units), as a signed 32-bit int."""
    h = unsigned_string_hash(s)
    return h - (1 << 32) if h & 0x80000000 else h


def long_hash(value: int) -> int:
    """``Long.hashCode()``: the two 32-bit halves xor-ed."""
    v = value & 0xFFFFFFFFFFFFFFFF
    return (v ^ (v >> 32)) & 0xFFFFFFFF


def _table_size_for(c: int) -> int:
    n = 1
    while n < c:
        n <<= 1
    return n


class _ChmOrder:
    """The bin layout of a ``ConcurrentHashMap`` (single writer), for iteration order."""

    __slots__ = ("table", "size", "sizeCtl")

    def __init__(self, initialCapacity: int) -> None:
        cap = _table_size_for(int(1.0 + initialCapacity / 0.75))
        self.table: list[list[tuple[int, object]]] = [[] for _ in range(cap)]
        self.size = 0
        self.sizeCtl = cap - (cap >> 2)

    @staticmethod
    def spread(h: int) -> int:
        h &= 0xFFFFFFFF
        return (h ^ (h >> 16)) & 0x7FFFFFFF

    def put(self, key: object, h: int) -> bool:
        """Insert ``key`` (hash ``h``); False when it was already present."""
        hash_ = self.spread(h)
        n = len(self.table)
        bin_ = self.table[hash_ & (n - 1)]
        for _, k in bin_:
            if k == key:
                return False
        bin_.append((hash_, key))
        if len(bin_) > 8 and n < 64:
            self._try_presize(n << 1)
        self.size += 1
        while self.size >= self.sizeCtl:
            self._transfer()
        return True

    def remove(self, key: object, h: int) -> None:
        hash_ = self.spread(h)
        bin_ = self.table[hash_ & (len(self.table) - 1)]
        for i, (_, k) in enumerate(bin_):
            if k == key:
                del bin_[i]
                self.size -= 1
                return

    def _try_presize(self, size: int) -> None:
        c = _table_size_for(size + (size >> 1) + 1)
        while c > self.sizeCtl:
            self._transfer()

    def _transfer(self) -> None:
        n = len(self.table)
        new = [[] for _ in range(n << 1)]
        for i, bin_ in enumerate(self.table):
            if not bin_:
                continue
            # Java reuses the longest tail that goes to one side and prepends
            # the nodes before it, in reverse.
            run_bit = bin_[0][0] & n
            last_run = 0
            for j in range(1, len(bin_)):
                b = bin_[j][0] & n
                if b != run_bit:
                    run_bit = b
                    last_run = j
            tail = bin_[last_run:]
            lo: list[tuple[int, object]] = tail if run_bit == 0 else []
            hi: list[tuple[int, object]] = tail if run_bit != 0 else []
            for node in bin_[:last_run]:
                if node[0] & n == 0:
                    lo.insert(0, node)
                else:
                    hi.insert(0, node)
            new[i] = lo
            new[i + n] = hi
        self.table = new
        self.sizeCtl = (n << 1) - (n >> 1)

    def __iter__(self) -> Iterator[object]:
        for bin_ in self.table:
            for _, key in bin_:
                yield key


def hashmap_order(keys: Iterable[int]) -> list[int]:
    """The order in which ``new HashMap<Long, V>()`` iterates ``keys`` put in this order."""
    table: list[list[int]] = [[] for _ in range(16)]
    threshold = 12
    size = 0

    def resize() -> None:
        nonlocal table, threshold
        n = len(table)
        new: list[list[int]] = [[] for _ in range(n << 1)]
        for i, bin_ in enumerate(table):
            for k in bin_:
                new[i + n if _spread_long(k) & n else i].append(k)
        table = new
        threshold <<= 1

    for key in keys:
        bin_ = table[_spread_long(key) & (len(table) - 1)]
        if key in bin_:
            continue
        bin_.append(key)
        if len(bin_) > 8 and len(table) < 64:
            resize()
        size += 1
        if size > threshold:
            resize()
    return [k for bin_ in table for k in bin_]


def _spread_long(key: int) -> int:
    h = long_hash(key)
    return h ^ (h >> 16)


def hashmap_ordered(d: dict) -> dict:
    """A copy of ``d`` (long keys, insertion order = put order) in Java HashMap order."""
    return {k: d[k] for k in hashmap_order(d)}


class Properties(Mapping):
    """``java.util.Properties``: string keys and values, Java's parsing and order.

    A read-only Mapping view (iteration in Java's order) with Java's mutators."""

    __slots__ = ("_map", "_order")

    def __init__(self) -> None:
        self._map: dict[str, str] = {}
        self._order = _ChmOrder(8)

    def load(self, data: str | bytes) -> None:
        """``Properties.load``: bytes are read as ISO 8859-1, as Java reads a stream."""
        text = data.decode("latin-1") if isinstance(data, (bytes, bytearray)) else data
        for line in _logical_lines(text):
            key, value = _split_line(line)
            self.put(_load_convert(key), _load_convert(value))

    def put(self, key: str, value: str) -> str | None:
        previous = self._map.get(key)
        if previous is None:
            self._order.put(key, string_hash(key))
        self._map[key] = value
        return previous

    setProperty = put

    def remove(self, key: str) -> str | None:
        if key in self._map:
            self._order.remove(key, string_hash(key))
        return self._map.pop(key, None)

    def getProperty(self, key: str, defaultValue: str | None = None) -> str | None:
        return self._map.get(key, defaultValue)

    def get(self, key: str, default: str | None = None) -> str | None:
        return self._map.get(key, default)

    def __getitem__(self, key: str) -> str:
        return self._map[key]

    def values(self) -> list[str]:
        return [self._map[k] for k in self._order]

    def containsKey(self, key: str) -> bool:
        return key in self._map

    def __contains__(self, key: object) -> bool:
        return key in self._map

    def __len__(self) -> int:
        return len(self._map)

    def size(self) -> int:
        return len(self._map)

    def isEmpty(self) -> bool:
        return not self._map

    def keys(self) -> list[str]:
        return list(self._order)

    def items(self) -> list[tuple[str, str]]:
        """The entries in Java's iteration order (``entrySet()``)."""
        return [(k, self._map[k]) for k in self._order]

    entrySet = items

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def toString(self) -> str:
        return "{" + ", ".join(f"{k}={v}" for k, v in self.items()) + "}"

    __str__ = toString

    def __repr__(self) -> str:
        return f"Properties({self.toString()})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Properties) and self._map == other._map

    __hash__ = None  # type: ignore[assignment]


def _logical_lines(text: str) -> Iterator[str]:
    """``Properties.LineReader``: natural lines joined by trailing backslashes,
    leading whitespace and comment lines dropped."""
    buf: list[str] = []
    skip_white = True
    appended_line_begin = False
    preceding_backslash = False
    skip_lf = False
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        i += 1
        if skip_lf:
            skip_lf = False
            if c == "\n":
                continue
        if skip_white:
            if c in _WHITESPACE:
                continue
            if not appended_line_begin and c in "\r\n":
                continue
            skip_white = False
            appended_line_begin = False
        if not buf and c in "#!":
            while i < n and text[i] not in "\r\n":
                i += 1
            skip_white = True
            continue
        if c not in "\r\n":
            buf.append(c)
            preceding_backslash = not preceding_backslash if c == "\\" else False
            continue
        if not buf:
            skip_white = True
            continue
        if preceding_backslash:
            buf.pop()
            skip_white = True
            appended_line_begin = True
            preceding_backslash = False
            if c == "\r":
                skip_lf = True
            continue
        yield "".join(buf)
        buf = []
        skip_white = True
    if buf:
        if preceding_backslash:
            buf.pop()
        yield "".join(buf)


def _split_line(line: str) -> tuple[str, str]:
    limit = len(line)
    key_len = 0
    value_start = limit
    has_sep = False
    preceding_backslash = False
    while key_len < limit:
        c = line[key_len]
        if c in "=:" and not preceding_backslash:
            value_start = key_len + 1
            has_sep = True
            break
        if c in _WHITESPACE and not preceding_backslash:
            value_start = key_len + 1
            break
        preceding_backslash = not preceding_backslash if c == "\\" else False
        key_len += 1
    while value_start < limit:
        c = line[value_start]
        if c not in _WHITESPACE:
            if not has_sep and c in "=:":
                has_sep = True
            else:
                break
        value_start += 1
    return line[:key_len], line[value_start:]


_ESCAPES = {"t": "\t", "r": "\r", "n": "\n", "f": "\f"}


def _load_convert(s: str) -> str:
    if "\\" not in s:
        return s
    out: list[str] = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        i += 1
        if c != "\\":
            out.append(c)
            continue
        if i >= n:
            break
        c = s[i]
        i += 1
        if c == "u":
            digits = s[i:i + 4]
            if len(digits) < 4 or any(d not in "0123456789abcdefABCDEF" for d in digits):
                raise ValueError("Malformed \\uxxxx encoding.")
            out.append(chr(int(digits, 16)))
            i += 4
        else:
            out.append(_ESCAPES.get(c, c))
    return "".join(out)


_INTEGER = {10: re.compile(r"[+-]?[0-9]+\Z"), 16: re.compile(r"[+-]?[0-9a-fA-F]+\Z")}


def parse_java_long(text: str | None, radix: int = 10, bits: int = 64, key: str | None = None) -> int:
    """``Long.parseLong`` (``Integer.parseInt`` with ``bits=32``): an optional
    sign and digits only, in range. The ValueError carries Java's message,
    after ``<key>: `` when the configuration key is given."""
    if text is not None and _INTEGER[radix].match(text):
        value = int(text, radix)
        if -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
            return value
    message = f'For input string: "{text}"' + (f" under radix {radix}" if radix != 10 else "")
    raise ValueError(f"{key}: {message}" if key else message)


def parse_java_int(text: str | None, key: str | None = None) -> int:
    return parse_java_long(text, bits=32, key=key)


def java_trim(s: str) -> str:
    """``String.trim()``: strips every character up to U+0020 from both ends."""
    start, end = 0, len(s)
    while start < end and s[start] <= " ":
        start += 1
    while end > start and s[end - 1] <= " ":
        end -= 1
    return s[start:end]


def java_read_line(text: str) -> str | None:
    """``BufferedReader.readLine`` on ``text``: the first line without its
    terminator (``\\n``, ``\\r`` or ``\\r\\n``), or None when ``text`` is empty."""
    if not text:
        return None
    return re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
