"""Log output in the layout of Java ZooKeeper's logback configuration.

    2026-11-22 10:00:00,123 [myid:1] - INFO  [SyncThread:1:FileTxnLog@284] - Creating new log file: log.100000001

Logger names are the module paths (``pyzookeeper.server.DataTree``), and
because each module holds one Java class, ``%(module)s`` prints the class name
where Java prints ``%C{1}``. ``myid`` plays the part of Java's MDC entry.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys

PATTERN = "%(asctime)s [myid:%(myid)s] - %(levelname)-5s [%(threadName)s:%(module)s@%(lineno)d] - %(message)s"

_myid = ""


def setMyid(myid: int | str | None) -> None:
    """Set the ``[myid:N]`` shown on every line (QuorumPeer does this once known)."""
    global _myid
    _myid = "" if myid is None else str(myid)


class _MyidFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.myid = _myid
        return True


class _Formatter(logging.Formatter):
    default_msec_format = "%s,%03d"


logging.addLevelName(logging.WARNING, "WARN")
logging.addLevelName(logging.CRITICAL, "FATAL")


def _handler_formatted(handler: logging.Handler) -> logging.Handler:
    handler.setFormatter(_Formatter(PATTERN))
    handler.addFilter(_MyidFilter())
    return handler


def configure(level: str | None = None, log_dir: str | None = None, log_file: str | None = None,
              console: bool | None = None) -> None:
    """Set up the root logger.

    Mirrors zkServer.sh's ``ZOO_LOG4J_PROP``/``zookeeper.root.logger`` (e.g.
    ``INFO,CONSOLE`` or ``INFO,ROLLINGFILE``) and ``ZOO_LOG_DIR``.
    """
    spec = level or os.environ.get("ZOO_LOG4J_PROP") or "INFO,CONSOLE"
    parts = [p.strip().upper() for p in spec.split(",") if p.strip()]
    level_name = parts[0] if parts else "INFO"
    appenders = set(parts[1:]) or {"CONSOLE"}
    if console is not None:
        appenders = {"CONSOLE"} if console else {"ROLLINGFILE"}
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    numeric = {"WARN": logging.WARNING, "FATAL": logging.CRITICAL, "TRACE": logging.DEBUG}.get(
        level_name, getattr(logging, level_name, logging.INFO))
    root.setLevel(numeric)
    if "ROLLINGFILE" in appenders:
        directory = log_dir or os.environ.get("ZOO_LOG_DIR") or "."
        os.makedirs(directory, exist_ok=True)
        name = log_file or os.environ.get("ZOO_LOG_FILE") or "zookeeper.log"
        handler = logging.handlers.RotatingFileHandler(
            os.path.join(directory, name), maxBytes=10 * 1024 * 1024, backupCount=10)
        root.addHandler(_handler_formatted(handler))
    if "CONSOLE" in appenders or "ROLLINGFILE" not in appenders:
        root.addHandler(_handler_formatted(logging.StreamHandler(sys.stdout)))
