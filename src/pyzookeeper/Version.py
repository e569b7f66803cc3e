"""Mirrors org.apache.zookeeper.Version: the version the server reports.

pyzookeeper speaks ZooKeeper 3.8.0, so ``getVersion()`` is ``3.8.0`` (what
clients parse); the place of Java's git revision holds this implementation's
name and release, so ``getFullVersion()`` reads
``3.8.0-pyzookeeper-0.1.0, built on 2026-11-22 01:15 UTC``. The date is the
release date of this version, fixed in the source.
"""

from __future__ import annotations

import sys

from pyzookeeper import __version__
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.util import ServiceUtils


class Version:
    MAJOR = 3
    MINOR = 8
    MICRO = 0
    QUALIFIER: str | None = None
    REVISION = -1
    REVISION_HASH = "pyzookeeper-" + __version__
    BUILD_DATE = "2026-11-22 01:15 UTC"

    @staticmethod
    def getRevision() -> int:
        return Version.REVISION

    @staticmethod
    def getRevisionHash() -> str:
        return Version.REVISION_HASH

    @staticmethod
    def getBuildDate() -> str:
        return Version.BUILD_DATE

    @staticmethod
    def getVersion() -> str:
        return (f"{Version.MAJOR}.{Version.MINOR}.{Version.MICRO}"
                + ("" if Version.QUALIFIER is None else "-" + Version.QUALIFIER))

    @staticmethod
    def getVersionRevision() -> str:
        return Version.getVersion() + "-" + Version.getRevisionHash()

    @staticmethod
    def getFullVersion() -> str:
        return Version.getVersionRevision() + ", built on " + Version.getBuildDate()

    @staticmethod
    def printUsage() -> None:
        print("Usage:\tpython -m pyzookeeper.Version [--full | --short | --revision],\n"
              "\tPrints --full version info if no arg specified.", end="")
        sys.stdout.flush()
        ServiceUtils.requestSystemExit(ExitCode.UNEXPECTED_ERROR.getValue())

    @staticmethod
    def main(args: list[str]) -> None:
        if len(args) > 1:
            Version.printUsage()
        if not args or args == ["--full"]:
            print(Version.getFullVersion())
        elif args[0] == "--short":
            print(Version.getVersion())
        elif args[0] == "--revision":
            print(Version.getVersionRevision())
        else:
            Version.printUsage()
        sys.stdout.flush()
        ServiceUtils.requestSystemExit(ExitCode.EXECUTION_FINISHED.getValue())


if __name__ == "__main__":
    Version.main(sys.argv[1:])
