"""Mirrors org.apache.zookeeper.common.NetUtils: host:port text for socket addresses."""

from __future__ import annotations

from pyzookeeper.common.inet_address import InetSocketAddress


class NetUtils:

    @staticmethod
    def formatInetAddr(addr: InetSocketAddress) -> str:
        """``host:port`` with the host as given (no reverse lookup), IPv6 literals in brackets."""
        hostString = addr.getHostString()
        ia = addr.getAddress()
        if ia is not None and ia.isIPv6() and ":" in hostString:
            return f"[{hostString}]:{addr.getPort()}"
        return f"{hostString}:{addr.getPort()}"

    @staticmethod
    def getIPV6HostAndPort(hostPort: str) -> list[str]:
        """``[host]:port`` split into ``[host, port]`` (``[host]`` alone gives ``[host]``);
        an empty list when the text is not a bracketed IPv6 host."""
        if not hostPort.startswith("["):
            return []
        i = hostPort.rfind("]")
        if i < 0:
            raise ValueError(f"{hostPort} starts with '[' but has no matching ']'")
        host = hostPort[1:i]
        if not host:
            raise ValueError(f"{host} is empty.")
        if len(hostPort) > i + 1:
            return NetUtils._getHostPort(hostPort, i, host)
        return [host]

    @staticmethod
    def _getHostPort(hostPort: str, indexOfClosingBracket: int, host: str) -> list[str]:
        if hostPort[indexOfClosingBracket + 1] != ":":
            raise ValueError(f"{hostPort} does not have : after ]")
        if indexOfClosingBracket + 2 == len(hostPort):
            raise ValueError(f"{hostPort} doesn't have a port after colon.")
        return [host, hostPort[indexOfClosingBracket + 2:]]


formatInetAddr = NetUtils.formatInetAddr
getIPV6HostAndPort = NetUtils.getIPV6HostAndPort
