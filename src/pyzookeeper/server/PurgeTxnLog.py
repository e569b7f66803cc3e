"""Mirrors org.apache.zookeeper.server.PurgeTxnLog: keeps the newest N
snapshots and the transaction logs they need, deletes older files
(the ``zkCleanup`` command).

Deliberate difference: the command line goes through click, with Java's
positional form ``dataLogDir [snapDir] -n count`` and its messages.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

import click

from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.persistence import Util
from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog

LOG = logging.getLogger(__name__)

COUNT_ERR_MSG = "count should be greater than or equal to 3"
PREFIX_SNAPSHOT = "snapshot"
PREFIX_LOG = "log"
_INTEGER = re.compile(r"[+-]?[0-9]+")


class PurgeTxnLog:

    @staticmethod
    def printUsage() -> None:
        print("Usage:")
        print("PurgeTxnLog dataLogDir [snapDir] -n count")
        print("\tdataLogDir -- path to the txn log directory")
        print("\tsnapDir -- path to the snapshot directory")
        print("\tcount -- the number of old snaps/logs you want to keep, value should be greater than or equal to 3")

    @staticmethod
    def purge(dataDir: os.PathLike | str, snapDir: os.PathLike | str, num: int) -> None:
        """Keep the ``num`` newest valid snapshots and the logs they need."""
        if num < 3:
            raise ValueError(COUNT_ERR_MSG)
        txnLog = FileTxnSnapLog(dataDir, snapDir)
        snaps = txnLog.findNValidSnapshots(num)
        if snaps:
            PurgeTxnLog.purgeOlderSnapshots(txnLog, snaps[-1])

    @staticmethod
    def purgeOlderSnapshots(txnLog: FileTxnSnapLog, snapShot: Path) -> None:
        leastZxidToBeRetain = Util.getZxidFromName(snapShot.name, PREFIX_SNAPSHOT)
        retainedTxnLogs = set(txnLog.getSnapshotLogs(leastZxidToBeRetain))

        def accept(f: Path, prefix: str) -> bool:
            if not f.name.startswith(prefix + "."):
                return False
            if f in retainedTxnLogs:
                return False
            return Util.getZxidFromName(f.name, prefix) < leastZxidToBeRetain

        files = [f for f in Util.listFiles(txnLog.getDataLogDir()) or [] if accept(f, PREFIX_LOG)]
        files += [f for f in Util.listFiles(txnLog.getSnapDir()) or [] if accept(f, PREFIX_SNAPSHOT)]
        for f in files:
            try:
                modified = int(f.stat().st_mtime * 1000)
            except OSError:
                modified = 0
            msg = f"Removing file: {Util.format_date_medium(modified)}\t{f}"
            LOG.info(msg)
            print(msg)
            try:
                f.unlink()
            except OSError:
                print(f"Failed to remove {f}", file=sys.stderr)

    @staticmethod
    def main(args: list[str]) -> None:
        if len(args) < 3 or len(args) > 4:
            PurgeTxnLog._printUsageThenExit()
        dataDir = PurgeTxnLog._validateAndGetFile(args[0])
        snapDir = dataDir
        if len(args) == 3:
            countOption = args[1]
            num = PurgeTxnLog._validateAndGetCount(args[2])
        else:
            snapDir = PurgeTxnLog._validateAndGetFile(args[1])
            countOption = args[2]
            num = PurgeTxnLog._validateAndGetCount(args[3])
        if countOption != "-n":
            PurgeTxnLog._printUsageThenExit()
        PurgeTxnLog.purge(dataDir, snapDir, num)

    @staticmethod
    def _validateAndGetFile(path: str) -> Path:
        file = Path(path)
        if not file.exists():
            print(f"Path '{Util.javaAbsolutePath(path)}' does not exist. ", file=sys.stderr)
            PurgeTxnLog._printUsageThenExit()
        return file

    @staticmethod
    def _validateAndGetCount(number: str) -> int:
        if not _INTEGER.fullmatch(number) or not -(2**31) <= int(number) < 2**31:
            print(f"'{number}' can not be parsed to integer.", file=sys.stderr)
            PurgeTxnLog._printUsageThenExit()
        result = int(number)
        if result < 3:
            print(COUNT_ERR_MSG, file=sys.stderr)
            PurgeTxnLog._printUsageThenExit()
        return result

    @staticmethod
    def _printUsageThenExit() -> None:
        PurgeTxnLog.printUsage()
        sys.stdout.flush()
        sys.exit(ExitCode.UNEXPECTED_ERROR.getValue())


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def _command(args: tuple[str, ...]) -> None:
    PurgeTxnLog.main(list(args))


def main(argv: list[str] | None = None) -> None:
    """The zkCleanup command: ``dataLogDir [snapDir] -n count``."""
    _command.main(args=argv, prog_name="PurgeTxnLog")


if __name__ == "__main__":
    main()
