"""Mirrors org.apache.zookeeper.server.admin.AdminServerFactory."""

from __future__ import annotations

import logging

from pyzookeeper import system_properties
from pyzookeeper.server.admin.AdminServer import AdminServer
from pyzookeeper.server.admin.DummyAdminServer import DummyAdminServer

LOG = logging.getLogger(__name__)


class AdminServerFactory:

    @staticmethod
    def createAdminServer() -> AdminServer:
        """The HTTP AdminServer unless ``zookeeper.admin.enableServer`` is "false"
        or it cannot be made (then a DummyAdminServer, with a warning)."""
        if system_properties.getProperty("zookeeper.admin.enableServer") != "false":
            try:
                from pyzookeeper.server.admin.JettyAdminServer import JettyAdminServer

                return JettyAdminServer()
            except Exception:
                LOG.warning("Unable to start JettyAdminServer", exc_info=True)
        return DummyAdminServer()


createAdminServer = AdminServerFactory.createAdminServer
