"""Mirrors org.apache.zookeeper.server.admin.JsonOutputter: a command response
as the JSON Java's Jackson ObjectMapper writes (indented, snake_case names).

Python has no Jackson, so the mapping is done here: a dict is an object, a
list, tuple, set or other iterable an array, bytes base64 text, a datetime its
epoch milliseconds, an enum its name, an InetSocketAddress ``host:port``, a
float Java's ``Double.toString``; any other object is written as a bean, from
its public ``getX()``/``isX()`` methods, named in snake_case as Jackson's
SNAKE_CASE strategy does. The text is built before it is written, so a failure
leaves only the error response.
"""

from __future__ import annotations

import base64
import datetime
import enum
import inspect
import logging
import math
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from pyzookeeper.common.inet_address import InetAddress, InetSocketAddress
from pyzookeeper.server.admin.CommandOutputter import CommandOutputter
from pyzookeeper.server.admin.CommandResponse import CommandResponse

LOG = logging.getLogger(__name__)

_INDENT = "  "


def snake_case(name: str) -> str:
    """Jackson's ``PropertyNamingStrategies.SNAKE_CASE`` translation."""
    out: list[str] = []
    wasPrevTranslated = False
    for i, c in enumerate(name):
        if i == 0 and c == "_":
            continue
        if c.isupper():
            if not wasPrevTranslated and out and out[-1] != "_":
                out.append("_")
            c = c.lower()
            wasPrevTranslated = True
        else:
            wasPrevTranslated = False
        out.append(c)
    return "".join(out) if out else name


def _bean_name(basename: str) -> str:
    """Jackson's legacy getter name mangling: lower-case the leading capitals."""
    for i, c in enumerate(basename):
        if c == c.lower():
            return basename[:i].lower() + basename[i:]
    return basename.lower()


def _getters(cls: type) -> list[tuple[str, str, bool]]:
    """(method, property, is-getter) for the public no-argument instance getters of ``cls``."""
    found: dict[str, tuple[str, str, bool]] = {}
    for klass in reversed(cls.__mro__):
        for name, attr in vars(klass).items():
            if name.startswith("get") and len(name) > 3 and name[3].isupper() and name != "getClass":
                prop, isGetter = name[3:], False
            elif name.startswith("is") and len(name) > 2 and name[2].isupper():
                prop, isGetter = name[2:], True
            else:
                continue
            if not inspect.isfunction(attr):
                continue
            params = list(inspect.signature(attr).parameters.values())[1:]
            if any(p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params):
                continue
            if name not in found:
                found[name] = (name, snake_case(_bean_name(prop)), isGetter)
    return list(found.values())


def java_double(d: float) -> str:
    """``Double.toString``: plain from 10^-3 up to 10^7, else ``d.dddE±n``."""
    if d == 0:
        return "-0.0" if math.copysign(1.0, d) < 0 else "0.0"
    sign = "-" if d < 0 else ""
    text = repr(abs(d))
    mantissa, _, exponent = text.partition("e")
    point = mantissa.index(".") if "." in mantissa else len(mantissa)
    digits = mantissa.replace(".", "")
    stripped = digits.lstrip("0")
    exp10 = point - 1 + int(exponent or 0) - (len(digits) - len(stripped))
    digits = stripped.rstrip("0") or "0"
    if 1e-3 <= abs(d) < 1e7:
        if exp10 >= 0:
            whole = digits[:exp10 + 1].ljust(exp10 + 1, "0")
            fraction = digits[exp10 + 1:] or "0"
        else:
            whole, fraction = "0", "0" * (-exp10 - 1) + digits
        return f"{sign}{whole}.{fraction}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exp10}"


def _socket_address_text(value: InetSocketAddress) -> str:
    """Jackson's InetSocketAddressSerializer."""
    addr = value.getAddress()
    text = value.getHostName() if addr is None else addr.toString().strip()
    ix = text.find("/")
    if ix == 0:
        text = "[" + text[1:] + "]" if addr.isIPv6() else text[1:]
    elif ix > 0:
        text = text[:ix]
    return f"{text}:{value.getPort()}"


def _address_text(value: InetAddress) -> str:
    """Jackson's InetAddressSerializer."""
    text = value.toString().strip()
    ix = text.find("/")
    if ix >= 0:
        text = text[1:] if ix == 0 else text[:ix]
    return text


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, enum.Enum):
        return key.name
    return key if isinstance(key, str) else str(key)


_ESCAPES = {c: "\\u%04X" % c for c in range(32)}
_ESCAPES.update({ord("\b"): "\\b", ord("\t"): "\\t", ord("\n"): "\\n", ord("\f"): "\\f", ord("\r"): "\\r",
                 ord('"'): '\\"', ord("\\"): "\\\\"})


def _string(text: str) -> str:
    """A JSON string as Jackson quotes it (control characters as upper-case ``\\uXXXX``)."""
    return '"' + text.translate(_ESCAPES) + '"'


class _JsonWriter:
    """Jackson's DefaultPrettyPrinter layout: objects one entry a line, arrays inline."""

    def __init__(self) -> None:
        self.out: list[str] = []

    def value(self, value: Any, level: int) -> None:
        out = self.out
        if value is None:
            out.append("null")
        elif isinstance(value, bool):
            out.append("true" if value else "false")
        elif isinstance(value, enum.Enum):
            out.append(_string(value.name))
        elif isinstance(value, int):
            out.append(str(value))
        elif isinstance(value, float):
            out.append(_string("NaN" if value != value else "Infinity" if value > 0 else "-Infinity")
                       if math.isnan(value) or math.isinf(value) else java_double(value))
        elif isinstance(value, str):
            out.append(_string(value))
        elif isinstance(value, (bytes, bytearray, memoryview)):
            out.append(_string(base64.b64encode(bytes(value)).decode("ascii")))
        elif isinstance(value, datetime.datetime):
            out.append(str(int(value.timestamp() * 1000)))
        elif isinstance(value, InetSocketAddress):
            out.append(_string(_socket_address_text(value)))
        elif isinstance(value, InetAddress):
            out.append(_string(_address_text(value)))
        elif isinstance(value, Mapping):
            self.object([(_key_text(k), v) for k, v in value.items()], level)
        elif isinstance(value, Iterable):
            self.array(list(value), level)
        else:
            self.object([(prop, result) for prop, result in self.bean(value)], level)

    @staticmethod
    def bean(value: Any) -> list[tuple[str, Any]]:
        entries = []
        for method, prop, isGetter in _getters(type(value)):
            result = getattr(value, method)()
            if isGetter and not isinstance(result, bool):
                continue
            entries.append((prop, result))
        return entries

    def object(self, entries: list[tuple[str, Any]], level: int) -> None:
        out = self.out
        out.append("{")
        if not entries:
            out.append(" }")
            return
        for i, (key, item) in enumerate(entries):
            out.append(",\n" if i else "\n")
            out.append(_INDENT * (level + 1))
            out.append(_string(key))
            out.append(" : ")
            self.value(item, level + 1)
        out.append("\n" + _INDENT * level + "}")

    def array(self, items: list[Any], level: int) -> None:
        out = self.out
        out.append("[")
        for i, item in enumerate(items):
            out.append(", " if i else " ")
            self.value(item, level)
        out.append(" ]")


def write_json(value: Any) -> str:
    """``value`` as Jackson's indenting ObjectMapper writes it."""
    writer = _JsonWriter()
    writer.value(value, 0)
    return "".join(writer.out)


class JsonOutputter(CommandOutputter):
    ERROR_RESPONSE = '{"error": "Exception writing command response to JSON"}'

    def getContentType(self) -> str:
        return "application/json"

    def output(self, response: CommandResponse, pw: TextIO) -> None:
        try:
            text = write_json(response.toMap())
        except Exception:
            LOG.warning("Exception writing command response to JSON:", exc_info=True)
            text = self.ERROR_RESPONSE
        pw.write(text)
