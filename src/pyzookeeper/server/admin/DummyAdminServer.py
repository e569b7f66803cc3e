"""Mirrors org.apache.zookeeper.server.admin.DummyAdminServer: the AdminServer
used when ``zookeeper.admin.enableServer`` is false or the real one cannot be made."""

from __future__ import annotations

from pyzookeeper.server.admin.AdminServer import AdminServer


class DummyAdminServer(AdminServer):

    def start(self) -> None:
        """Nothing to start."""

    def shutdown(self) -> None:
        """Nothing to stop."""

    def setZooKeeperServer(self, zkServer) -> None:
        """No commands are served, so the server is not needed."""
