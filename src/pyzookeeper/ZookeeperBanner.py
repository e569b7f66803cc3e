"""Mirrors org.apache.zookeeper.ZookeeperBanner: the logo logged at start-up."""

from __future__ import annotations

_BANNER = [
    "",
    "  ______                  _                                          ",
    " |___  /                 | |                                         ",
    "    / /    ___     ___   | | __   ___    ___   _ __     ___   _ __   ",
    "   / /    / _ \\   / _ \\  | |/ /  / _ \\  / _ \\ | '_ \\   / _ \\ | '__|",
    "  / /__  | (_) | | (_) | |   <  |  __/ |  __/ | |_) | |  __/ | |    ",
    " /_____|  \\___/   \\___/  |_|\\_\\  \\___|  \\___| | .__/   \\___| |_|",
    "                                              | |                     ",
    "                                              |_|                     ",
    "",
]


def printBanner(log) -> None:
    for line in _BANNER:
        log.info("%s", line)
