"""Mirrors org.apache.zookeeper.server.command.MonitorCommand (``mntr``): one
``zk_<key>\\t<value>`` line per monitored value and metric."""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ServerStats import java_double_str


class MonitorCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        if not self.isZKServerRunning():
            self.pw.write(self.ZK_NOT_SERVING + "\n")
            return
        self.zkServer.dumpMonitorValues(self.print)
        ServerMetrics.getMetrics().getMetricsProvider().dump(self.print)

    def print(self, key: str, value) -> None:
        if value is None:
            self.output(key, None)
        elif isinstance(value, bool):
            self.output(key, "true" if value else "false")
        elif isinstance(value, int):
            self.output(key, str(value))
        elif isinstance(value, float):
            self.output(key, java_double_str(value))
        else:
            self.output(key, str(value))

    def output(self, key: str, value: str | None) -> None:
        self.pw.write(f"zk_{key}\t{'null' if value is None else value}\n")
