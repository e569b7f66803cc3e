"""Mirrors org.apache.zookeeper.server.ServerWatcher: a watcher that is also
given the ACL of the znode an event is about (so a connection can drop events
its client may not read)."""

from __future__ import annotations

import abc

from pyzookeeper.data.ACL import ACL
from pyzookeeper.Watcher import Watcher


class ServerWatcher(Watcher, abc.ABC):
    """``process(event, znodeAcl)``; the watch managers pass the znode's ACL
    to every ServerWatcher and call plain watchers with the event alone."""

    @abc.abstractmethod
    def process(self, event, znodeAcl: list[ACL] | None = None) -> None:
        """Deliver ``event``; ``znodeAcl`` is the ACL of the node it is about."""
