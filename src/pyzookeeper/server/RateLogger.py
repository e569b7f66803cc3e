"""Mirrors org.apache.zookeeper.server.RateLogger: logs a repeated warning at most
once per interval, with a count of how often it happened."""

from __future__ import annotations

import logging

from pyzookeeper.common import Time


class RateLogger:
    """Rate-limits one message at a time on ``log`` (interval in ms, default 100)."""

    def __init__(self, log: logging.Logger, interval: int = 100) -> None:
        self.LOG = log
        self.LOG_INTERVAL = interval
        self.msg: str | None = None
        self.timestamp = 0
        self.count = 0
        self.value: str | None = None

    def flush(self) -> None:
        if self.msg is not None and self.count > 0:
            log = ""
            if self.count > 1:
                log = "[" + str(self.count) + " times] "
            log += "Message: " + self.msg
            if self.value is not None:
                log += " Last value:" + self.value
            self.LOG.warning(log)
        self.msg = None
        self.value = None
        self.count = 0

    def rateLimitLog(self, newMsg: str, newValue: str | None = None) -> None:
        now = Time.currentElapsedTime()
        if newMsg == self.msg:
            self.count += 1
            self.value = newValue
            if now - self.timestamp >= self.LOG_INTERVAL:
                self.flush()
                self.msg = newMsg
                self.timestamp = now
                self.value = newValue
        else:
            self.flush()
            self.msg = newMsg
            self.value = newValue
            self.timestamp = now
            self.LOG.warning("Message:%s Value:%s", self.msg, "null" if self.value is None else self.value)
