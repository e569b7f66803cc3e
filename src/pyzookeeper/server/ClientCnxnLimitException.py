"""Mirrors org.apache.zookeeper.server.ClientCnxnLimitException."""

from __future__ import annotations


class ClientCnxnLimitException(Exception):
    """The connection throttle refused a new connection."""

    def __init__(self) -> None:
        super().__init__("Connection throttle rejected connection")
