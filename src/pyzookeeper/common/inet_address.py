"""``java.net.InetAddress`` and ``java.net.InetSocketAddress``.

Python-only: the configuration and networking code passes socket addresses
around as Java does, and logs and compares them as Java does. An
``InetSocketAddress`` is a ``(host, port)`` tuple, so it goes straight to
``socket.bind``/``connect`` and compares equal to the plain tuple, while
``str()`` gives Java's ``toString()`` (``localhost/127.0.0.1:2181``,
``0.0.0.0/0.0.0.0:2181``) and ``getHostString()`` the name as written.
"""

from __future__ import annotations

import ipaddress
import socket

_IPv4 = ipaddress.IPv4Address
_IPv6 = ipaddress.IPv6Address


class UnknownHostException(OSError):
    """``java.net.UnknownHostException``."""


class InetAddress:
    """An IP address, with the host name it was looked up by (``None`` for a literal)."""

    __slots__ = ("_hostName", "_ip", "_scope")

    def __init__(self, hostName: str | None, ip: _IPv4 | _IPv6, scope: str | None = None) -> None:
        self._hostName = hostName
        self._ip = ip
        self._scope = scope

    @staticmethod
    def getByName(host: str | None) -> InetAddress:
        """``InetAddress.getByName``: a literal is parsed, a name is resolved
        (IPv4 first, as Java does unless ``java.net.preferIPv6Addresses``)."""
        if not host:
            return InetAddress("localhost", _IPv4("127.0.0.1"))
        literal = host
        if host.startswith("[") and host.endswith("]") and len(host) > 2:
            literal = host[1:-1]
            parsed = _parse_literal(literal)
            if parsed is None or parsed[0].version != 6:
                raise UnknownHostException(f"{host}: invalid IPv6 address")
            return InetAddress(None, *parsed)
        parsed = _parse_literal(literal)
        if parsed is not None:
            return InetAddress(None, *parsed)
        if ":" in host:
            raise UnknownHostException(f"{host}: invalid IPv6 address")
        try:
            infos = socket.getaddrinfo(host, None, 0, socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as e:
            message = e.strerror if isinstance(e, socket.gaierror) else str(e)
            raise UnknownHostException(f"{host}: {message}") from e
        infos.sort(key=lambda info: 0 if info[0] == socket.AF_INET else 1)
        parsed = _parse_literal(infos[0][4][0])
        if parsed is None:
            raise UnknownHostException(f"{host}: unusable address {infos[0][4][0]}")
        return InetAddress(host, *parsed)

    @staticmethod
    def anyLocalAddress() -> InetAddress:
        return InetAddress("0.0.0.0", _IPv4("0.0.0.0"))

    @staticmethod
    def getLoopbackAddress() -> InetAddress:
        return InetAddress("localhost", _IPv4("127.0.0.1"))

    def isIPv6(self) -> bool:
        return self._ip.version == 6

    def getAddress(self) -> bytes:
        return self._ip.packed

    def getHostAddress(self) -> str:
        """Java's text form: dotted quad, or eight uncompressed hex groups for IPv6."""
        if self._ip.version == 4:
            return str(self._ip)
        groups = ":".join(format(int.from_bytes(self._ip.packed[i:i + 2], "big"), "x") for i in range(0, 16, 2))
        return groups + (f"%{self._scope}" if self._scope else "")

    def getHostName(self) -> str:
        """The name looked up by, else the reverse lookup, else the address."""
        if self._hostName is None:
            try:
                self._hostName = socket.gethostbyaddr(self.socket_host())[0]
            except OSError:
                self._hostName = self.getHostAddress()
        return self._hostName

    def holderHostName(self) -> str | None:
        """The host name recorded at creation (Java's ``holder().getHostName()``)."""
        return self._hostName

    def getCanonicalHostName(self) -> str:
        try:
            return socket.getfqdn(socket.gethostbyaddr(self.socket_host())[0])
        except OSError:
            return self.getHostAddress()

    def isAnyLocalAddress(self) -> bool:
        return self._ip.is_unspecified

    def isLoopbackAddress(self) -> bool:
        return self._ip.is_loopback

    def socket_host(self) -> str:
        """The address as the socket module takes it."""
        return str(self._ip) + (f"%{self._scope}" if self._scope else "")

    def toString(self) -> str:
        return (self._hostName or "") + "/" + self.getHostAddress()

    __str__ = toString

    def __repr__(self) -> str:
        return f"InetAddress({self.toString()})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InetAddress) and self._ip == other._ip

    def __hash__(self) -> int:
        return hash(self._ip)


def _parse_literal(text: str) -> tuple[_IPv4 | _IPv6, str | None] | None:
    address, _, scope = text.partition("%")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 4 and scope:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped, None
    return ip, scope or None


def _check_port(port: int) -> int:
    if not isinstance(port, int) or port < 0 or port > 0xFFFF:
        raise ValueError(f"port out of range:{port}")
    return port


class InetSocketAddress(tuple):
    """``java.net.InetSocketAddress`` as a ``(host, port)`` tuple.

    ``InetSocketAddress(port)`` is the wildcard address, ``InetSocketAddress(host, port)``
    resolves ``host`` (keeping it unresolved when the lookup fails, as Java does) and
    ``InetSocketAddress(InetAddress, port)`` wraps an address.
    """

    def __new__(cls, host: str | InetAddress | int | None, port: int | None = None) -> InetSocketAddress:
        hostname: str | None = None
        if port is None:
            if not isinstance(host, int):
                raise TypeError("InetSocketAddress(port) takes an int")
            port, addr = host, InetAddress.anyLocalAddress()
        elif isinstance(host, InetAddress):
            addr = host
        elif host is None:
            raise ValueError("hostname can't be null")
        else:
            _check_port(port)
            try:
                addr = InetAddress.getByName(host)
            except UnknownHostException:
                addr, hostname = None, host
        return cls._make(addr, hostname, _check_port(port))

    @classmethod
    def _make(cls, addr: InetAddress | None, hostname: str | None, port: int) -> InetSocketAddress:
        self = tuple.__new__(cls, (addr.socket_host() if addr is not None else hostname, port))
        self._addr = addr
        self._hostname = hostname
        return self

    @classmethod
    def createUnresolved(cls, host: str, port: int) -> InetSocketAddress:
        if host is None:
            raise ValueError("hostname can't be null")
        return cls._make(None, host, _check_port(port))

    def __getnewargs__(self) -> tuple:
        return (self._addr if self._addr is not None else self._hostname, self[1])

    def getPort(self) -> int:
        return self[1]

    def getAddress(self) -> InetAddress | None:
        return self._addr

    def isUnresolved(self) -> bool:
        return self._addr is None

    def getHostString(self) -> str:
        """The name as given, or the address literal; never a reverse lookup."""
        if self._hostname is not None:
            return self._hostname
        return self._addr.holderHostName() or self._addr.getHostAddress()

    def getHostName(self) -> str:
        if self._hostname is not None:
            return self._hostname
        return self._addr.getHostName()

    def toString(self) -> str:
        if self._addr is None:
            text = self._hostname + "/<unresolved>"
        else:
            text = self._addr.toString()
            if self._addr.isIPv6():
                i = text.rfind("/")
                text = text[:i + 1] + "[" + text[i + 1:] + "]"
        return f"{text}:{self[1]}"

    __str__ = toString

    def __repr__(self) -> str:
        return f"InetSocketAddress({self.toString()})"
