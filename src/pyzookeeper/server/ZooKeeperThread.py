"""Mirrors org.apache.zookeeper.server.ZooKeeperThread: a named thread whose
uncaught exceptions are logged rather than lost.

Python has no per-thread uncaught-exception handler, so this module installs
one ``threading.excepthook`` that hands exceptions of ZooKeeperThreads to their
``handleException``.
"""

from __future__ import annotations

import logging
import threading

LOG = logging.getLogger(__name__)


class ZooKeeperThread(threading.Thread):
    """Base of the server's threads. Daemon by default, as the server threads
    must not keep a stopped process alive."""

    def __init__(self, threadName: str, daemon: bool = True) -> None:
        super().__init__(name=threadName, daemon=daemon)

    def getName(self) -> str:
        return self.name

    def handleException(self, thName: str, e: BaseException) -> None:
        LOG.warning("Exception occurred from thread %s", thName, exc_info=e)


_previous_hook = threading.excepthook


def _excepthook(args: threading.ExceptHookArgs) -> None:
    thread = args.thread
    if isinstance(thread, ZooKeeperThread) and args.exc_type is not SystemExit:
        thread.handleException(thread.name, args.exc_value)
        return
    _previous_hook(args)


threading.excepthook = _excepthook
