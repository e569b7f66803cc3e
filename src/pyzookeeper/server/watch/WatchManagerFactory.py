"""Mirrors org.apache.zookeeper.server.watch.WatchManagerFactory: makes the watch
manager named by ``zookeeper.watchManagerName`` (default WatchManager).

A Java class name (``org.apache.zookeeper.server.watch.WatchManager``) names
the class of the same name under ``pyzookeeper``; a Python dotted name
(``package.module.Class``, or a module holding a class of its own name) works too.
"""

from __future__ import annotations

import importlib
import logging

from pyzookeeper import system_properties
from pyzookeeper.server.watch.IWatchManager import IWatchManager

LOG = logging.getLogger(__name__)

ZOOKEEPER_WATCH_MANAGER_NAME = "zookeeper.watchManagerName"

_JAVA_PREFIX = "org.apache.zookeeper."
_DEFAULT = "org.apache.zookeeper.server.watch.WatchManager"


def _load_class(name: str) -> type:
    dotted = "pyzookeeper." + name[len(_JAVA_PREFIX):] if name.startswith(_JAVA_PREFIX) else name
    try:
        module = importlib.import_module(dotted)
        return getattr(module, dotted.rsplit(".", 1)[-1])
    except ImportError:
        moduleName, _, className = dotted.rpartition(".")
        return getattr(importlib.import_module(moduleName), className)


def createWatchManager() -> IWatchManager:
    watchManagerName = system_properties.getProperty(ZOOKEEPER_WATCH_MANAGER_NAME)
    if watchManagerName is None:
        watchManagerName = _DEFAULT
    try:
        watchManager = _load_class(watchManagerName)()
        if not isinstance(watchManager, IWatchManager):
            raise TypeError(f"{watchManagerName} is not an IWatchManager")
    except Exception as e:
        raise IOError("Couldn't instantiate " + watchManagerName) from e
    LOG.info("Using %s as watch manager", watchManagerName)
    return watchManager
