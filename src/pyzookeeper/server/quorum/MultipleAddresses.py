"""Mirrors org.apache.zookeeper.server.quorum.MultipleAddresses: the set of
addresses one quorum port of a server can be reached on.

The set keeps insertion order (Java's is a hash set). Reachability is
``InetAddress.isReachable`` as Java does it without raw sockets: a TCP
connection attempt to the echo port, where a refusal also proves the host is up.
"""

from __future__ import annotations

import errno
import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from pyzookeeper.common.inet_address import InetAddress, InetSocketAddress, UnknownHostException


class NoRouteToHostException(OSError):
    """``java.net.NoRouteToHostException``."""


_ECHO_PORT = 7


class MultipleAddresses:
    DEFAULT_TIMEOUT = timedelta(milliseconds=1000)

    def __init__(self, addresses: InetSocketAddress | list[InetSocketAddress] | None = None,
                 timeout: timedelta = DEFAULT_TIMEOUT) -> None:
        if addresses is None:
            addresses = []
        elif isinstance(addresses, InetSocketAddress):
            addresses = [addresses]
        self._addresses: dict[InetSocketAddress, None] = dict.fromkeys(addresses)
        self.timeout = timeout

    def isEmpty(self) -> bool:
        return not self._addresses

    def getAllAddresses(self) -> list[InetSocketAddress]:
        return list(self._addresses)

    def getWildcardAddresses(self) -> set[InetSocketAddress]:
        return {InetSocketAddress(a.getPort()) for a in self._addresses}

    def getAllPorts(self) -> list[int]:
        return list(dict.fromkeys(a.getPort() for a in self._addresses))

    def getAllHostStrings(self) -> list[str]:
        return list(dict.fromkeys(a.getHostString() for a in self._addresses))

    def addAddress(self, address: InetSocketAddress) -> None:
        self._addresses[address] = None

    def getReachableAddress(self) -> InetSocketAddress:
        reachable = self._reachable(first_only=True)
        if not reachable:
            raise NoRouteToHostException("No valid address among " + self.toString())
        return reachable[0]

    def getAllReachableAddresses(self) -> set[InetSocketAddress]:
        return set(self._reachable(first_only=False))

    def getAllReachableAddressesOrAll(self) -> set[InetSocketAddress]:
        if len(self._addresses) == 1:
            return set(self._addresses)
        allReachable = self.getAllReachableAddresses()
        return allReachable if allReachable else set(self._addresses)

    def getReachableOrOne(self) -> InetSocketAddress:
        if len(self._addresses) == 1:
            return self.getOne()
        try:
            return self.getReachableAddress()
        except NoRouteToHostException:
            return self.getOne()

    def recreateSocketAddresses(self) -> None:
        self._addresses = dict.fromkeys(self._recreateSocketAddress(a) for a in self._addresses)

    def getOne(self) -> InetSocketAddress:
        """Any one of the addresses; raises StopIteration when there is none, as Java's iterator does."""
        return next(iter(self._addresses))

    def size(self) -> int:
        return len(self._addresses)

    def __len__(self) -> int:
        return len(self._addresses)

    def _reachable(self, first_only: bool) -> list[InetSocketAddress]:
        addresses = list(self._addresses)
        if len(addresses) <= 1:
            return [a for a in addresses if self._checkIfAddressIsReachable(a)]
        with ThreadPoolExecutor(max_workers=len(addresses)) as pool:
            results = list(pool.map(self._checkIfAddressIsReachable, addresses))
        found = [a for a, ok in zip(addresses, results) if ok]
        return found[:1] if first_only else found

    def _checkIfAddressIsReachable(self, address: InetSocketAddress) -> bool:
        if address.isUnresolved():
            return False
        timeout = self.timeout.total_seconds()
        family = socket.AF_INET6 if address.getAddress().isIPv6() else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            try:
                s.connect((address.getAddress().socket_host(), _ECHO_PORT))
                return True
            except ConnectionRefusedError:
                return True
            except OSError as e:
                return e.errno == errno.ECONNREFUSED

    @staticmethod
    def _recreateSocketAddress(address: InetSocketAddress) -> InetSocketAddress:
        try:
            return InetSocketAddress(InetAddress.getByName(address.getHostString()), address.getPort())
        except UnknownHostException:
            return address

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultipleAddresses) and set(self._addresses) == set(other._addresses)

    def __hash__(self) -> int:
        return hash(frozenset(self._addresses))

    def toString(self) -> str:
        return "|".join(a.toString() for a in self._addresses)

    __str__ = toString

    def __repr__(self) -> str:
        return f"MultipleAddresses({self.toString()})"
