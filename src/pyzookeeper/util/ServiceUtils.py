"""Mirrors org.apache.zookeeper.util.ServiceUtils: the one place that ends the process.

``os._exit`` after flushing the logs plays Java's ``System.exit``: a Python
``sys.exit`` from a server thread would only end that thread.
"""

from __future__ import annotations

import logging
import os
from typing import Callable

LOG = logging.getLogger(__name__)


def SYSTEM_EXIT(code: int) -> None:
    msg = "Exiting JVM with code %s"
    if code == 0:
        LOG.info(msg, code)
    else:
        LOG.error(msg, code)
    logging.shutdown()
    os._exit(code)


def LOG_ONLY(code: int) -> None:
    if code != 0:
        LOG.error("Fatal error, JVM should exit with code %s. Actually System.exit is disabled", code)
    else:
        LOG.info("JVM should exit with code %s. Actually System.exit is disabled", code)


_systemExitProcedure: Callable[[int], None] = SYSTEM_EXIT


def setSystemExitProcedure(systemExitProcedure: Callable[[int], None]) -> None:
    global _systemExitProcedure
    if systemExitProcedure is None:
        raise TypeError("systemExitProcedure")
    _systemExitProcedure = systemExitProcedure


def requestSystemExit(code: int) -> None:
    _systemExitProcedure(code)
