"""Mirrors org.apache.zookeeper.server.auth.X509AuthenticationProvider by
refusing to be created: the ``x509`` scheme reads the client certificate of a
TLS connection, and this server's client port (NIO, as Java's
NIOServerCnxnFactory) does not speak TLS.
"""

from __future__ import annotations


class X509AuthenticationProvider:
    """Loading it (``zookeeper.authProvider.x509=...X509AuthenticationProvider``)
    fails with this explanation, which ProviderRegistry logs."""

    def __init__(self) -> None:
        raise NotImplementedError(
            "X509AuthenticationProvider needs TLS client connections (secureClientPort with "
            "NettyServerCnxnFactory), which this server does not provide; the x509 scheme is unavailable")
