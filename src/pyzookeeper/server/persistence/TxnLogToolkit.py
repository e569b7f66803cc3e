"""Mirrors org.apache.zookeeper.server.persistence.TxnLogToolkit: dumps a
transaction log, repairs entries with a bad CRC (``-r``), or chops a log at a
zxid (``-c -z``).

Deliberate differences: the command line is parsed with click (same options,
help text and messages as Java's commons-cli); the chop mode carries its own
copy of org.apache.zookeeper.server.util.LogChopper's ``chop``. Dates print
in the US format of Java's default locale, in the local time zone.
"""

from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path
from typing import BinaryIO, TextIO

import click

from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive, bytesToString
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.persistence import Util
from pyzookeeper.server.persistence.FileHeader import FileHeader
from pyzookeeper.server.persistence.FilePadding import FilePadding
from pyzookeeper.server.persistence.FileTxnLog import FileTxnLog
from pyzookeeper.server.Request import Request
from pyzookeeper.server.util import ZxidUtils
from pyzookeeper.server.util import SerializeUtils
from pyzookeeper.txn.CreateContainerTxn import CreateContainerTxn
from pyzookeeper.txn.CreateTTLTxn import CreateTTLTxn
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.MultiTxn import MultiTxn
from pyzookeeper.txn.SetDataTxn import SetDataTxn

_USAGE = "TxnLogToolkit [-dhrvc] <txn_log_file_name> (-z <zxid>)"
_HELP = (
    f"usage: {_USAGE}\n"
    " -c,--chop         Chop mode. Chop txn file to a zxid.\n"
    " -d,--dump         Dump mode. Dump all entries of the log file with printing the content of a nodepath (default)\n"
    " -h,--help         Print help message\n"
    " -r,--recover      Recovery mode. Re-calculate CRC for broken entries.\n"
    " -v,--verbose      Be verbose in recovery mode: print all entries, not just fixed ones.\n"
    " -y,--yes          Non-interactive mode: repair all CRC errors without asking\n"
    " -z,--zxid <arg>   Used with chop. Zxid to which to chop.\n"
)


class TxnLogToolkitException(Exception):
    def __init__(self, exitCode: int, message: str, *params) -> None:
        super().__init__(message % params if params else message)
        self.exitCode = int(exitCode)

    def getExitCode(self) -> int:
        return self.exitCode

    def getMessage(self) -> str:
        return str(self)


class TxnLogToolkitParseException(TxnLogToolkitException):
    pass


def _decodeLong(text: str) -> int:
    """``Long.decode``: decimal, 0x/# hex or leading-0 octal, with an optional sign."""
    s = text
    negative = s.startswith("-")
    if s[:1] in "+-":
        s = s[1:]
    if s[:2] in ("0x", "0X"):
        digits, radix = s[2:], 16
    elif s[:1] == "#":
        digits, radix = s[1:], 16
    elif s[:1] == "0" and len(s) > 1:
        digits, radix = s[1:], 8
    else:
        digits, radix = s, 10
    if not digits or digits[0] in "+-":
        raise ValueError(f'For input string: "{text}"')
    value = Util.parseLong(("-" if negative else "") + digits, radix)
    return value


def _checkNullToEmpty(data: bytes | None) -> str:
    if not data:
        return ""
    return bytesToString(data)


def _aclListToString(acl) -> str:
    """``List<ACL>.toString()``."""
    if acl is None:
        return "null"
    return "[" + ", ".join(a.toString() for a in acl) + "]"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def getFormattedTxnStr(txn) -> str:
    if txn is None:
        return ""
    if isinstance(txn, CreateTxn):
        return (f"{txn.path},{_checkNullToEmpty(txn.data)},{_aclListToString(txn.acl)},"
                f"{_bool(txn.ephemeral)},{txn.parentCVersion}")
    if isinstance(txn, SetDataTxn):
        return f"{txn.path},{_checkNullToEmpty(txn.data)},{txn.version}"
    if isinstance(txn, CreateContainerTxn):
        return f"{txn.path},{_checkNullToEmpty(txn.data)},{_aclListToString(txn.acl)},{txn.parentCVersion}"
    if isinstance(txn, CreateTTLTxn):
        return (f"{txn.path},{_checkNullToEmpty(txn.data)},{_aclListToString(txn.acl)},"
                f"{txn.parentCVersion},{txn.ttl}")
    if isinstance(txn, MultiTxn):
        return ";".join(f"{Request.op2String(t.type)}:{_checkNullToEmpty(t.data)}" for t in txn.txns)
    return txn.toString()


def chop(is_: BinaryIO, os_: BinaryIO, zxid: int, out: TextIO) -> bool:
    """LogChopper.chop: copy the txns of a log up to and including ``zxid``."""
    logStream = BinaryInputArchive.getArchive(is_)
    choppedStream = BinaryOutputArchive.getArchive(os_)
    fhdr = FileHeader()
    fhdr.deserialize(logStream, "fileheader")
    if fhdr.magic != FileTxnLog.TXNLOG_MAGIC:
        print("Invalid magic number in txn log file", file=sys.stderr)
        return False
    print(f"ZooKeeper Transactional Log File with dbid {fhdr.dbid} txnlog format version {fhdr.version}", file=out)
    fhdr.serialize(choppedStream, "fileheader")
    count = 0
    hasZxid = False
    previousZxid = -1
    while True:
        try:
            crcValue = logStream.readLong("crcvalue")
            data = logStream.readBuffer("txnEntry")
        except EOFError:
            print(f"EOF reached after {count} txns.", file=out)
            return False
        if len(data) == 0:
            print(f"EOF reached after {count} txns.", file=out)
            return False
        crc = zlib.adler32(data)
        if crcValue != crc:
            raise IOError(f"CRC doesn't match {crcValue} vs {crc}")
        hdr = SerializeUtils.deserializeTxn(data).getHeader()
        if logStream.readByte("EOR") != 0x42:
            print("Last transaction was partial.", file=out)
            raise EOFError("Last transaction was partial.")
        txnZxid = hdr.zxid
        if txnZxid == zxid:
            hasZxid = True
        if previousZxid != -1 and txnZxid != previousZxid + 1:
            txnEpoch = ZxidUtils.getEpochFromZxid(txnZxid)
            txnCounter = ZxidUtils.getCounterFromZxid(txnZxid)
            previousEpoch = ZxidUtils.getEpochFromZxid(previousZxid)
            if txnEpoch == previousEpoch:
                print(f"There is intra-epoch gap between {Util.toHexString(previousZxid)} and "
                      f"{Util.toHexString(txnZxid)}", file=out)
            elif txnCounter != 1:
                print(f"There is inter-epoch gap between {Util.toHexString(previousZxid)} and "
                      f"{Util.toHexString(txnZxid)}", file=out)
        previousZxid = txnZxid
        if txnZxid > zxid:
            if count == 0 or not hasZxid:
                print(f"This log does not contain zxid {Util.toHexString(zxid)}", file=out)
                return False
            print(f"Chopping at {Util.toHexString(zxid)} new log has {count} records", file=out)
            return True
        choppedStream.writeLong(crcValue, "crcvalue")
        choppedStream.writeBuffer(data, "txnEntry")
        choppedStream.writeByte(0x42, "EOR")
        count += 1


class TxnLogToolkit:
    TxnLogToolkitException = TxnLogToolkitException
    TxnLogToolkitParseException = TxnLogToolkitParseException

    def __init__(self, txnLogFileName: str, recoveryMode: bool = False, verbose: bool = False,
                 force: bool = False, zxidName: str | None = None, out: TextIO | None = None,
                 input_: TextIO | None = None) -> None:
        """Dump/recover mode, or chop mode when ``zxidName`` is given."""
        self.out = out if out is not None else sys.stdout
        self.input = input_ if input_ is not None else sys.stdin
        self.recoveryMode = recoveryMode
        self.verbose = verbose
        self.force = force
        self.zxid = -1
        self.crcFixed = 0
        self.txnFis: BinaryIO | None = None
        self.logStream: BinaryInputArchive | None = None
        self.recoveryFos: BinaryIO | None = None
        self.recoveryOa: BinaryOutputArchive | None = None
        self.recoveryLogFile: Path | None = None
        self.filePadding = FilePadding()
        self._recoveryPosition = 0
        self._answers: list[str] = []
        self.txnLogFile = self._loadTxnFile(txnLogFileName)
        if zxidName is not None:
            self.zxid = _decodeLong(zxidName)
            return
        if recoveryMode:
            self.recoveryLogFile = Path(str(self.txnLogFile) + ".fixed")
            if self.recoveryLogFile.exists():
                raise TxnLogToolkitException(
                    ExitCode.UNEXPECTED_ERROR, "Recovery file %s already exists or not writable", self.recoveryLogFile)
        self.txnFis = open(self.txnLogFile, "rb")
        self.logStream = BinaryInputArchive.getArchive(self.txnFis)
        if recoveryMode:
            self.recoveryFos = open(self.recoveryLogFile, "wb", buffering=0)
            self.recoveryOa = BinaryOutputArchive.getArchive(self.recoveryFos)

    @staticmethod
    def _loadTxnFile(txnLogFileName: str) -> Path:
        logFile = Path(txnLogFileName)
        if not logFile.exists() or not os.access(logFile, os.R_OK):
            raise TxnLogToolkitException(
                ExitCode.UNEXPECTED_ERROR, "File doesn't exist or not readable: %s", logFile)
        return logFile

    def _print(self, text: str = "", end: str = "\n") -> None:
        self.out.write(text + end)

    def dump(self) -> None:
        self.crcFixed = 0
        fhdr = FileHeader()
        fhdr.deserialize(self.logStream, "fileheader")
        if fhdr.magic != FileTxnLog.TXNLOG_MAGIC:
            raise TxnLogToolkitException(
                ExitCode.INVALID_INVOCATION, "Invalid magic number for %s", self.txnLogFile.name)
        self._print(f"ZooKeeper Transactional Log File with dbid {fhdr.dbid} txnlog format version {fhdr.version}")
        if self.recoveryMode:
            fhdr.serialize(self.recoveryOa, "fileheader")
            self._recoveryPosition = 16
            self.filePadding.setCurrentSize(self._recoveryPosition)
        count = 0
        while True:
            try:
                crcValue = self.logStream.readLong("crcvalue")
                data = self.logStream.readBuffer("txnEntry")
            except EOFError:
                self._print(f"EOF reached after {count} txns.")
                return
            if len(data) == 0:
                self._print(f"EOF reached after {count} txns.")
                return
            crc = zlib.adler32(data)
            if crcValue != crc:
                if self.recoveryMode:
                    if not self.force:
                        self.printTxn(data, "CRC ERROR")
                        if self.askForFix():
                            crcValue = crc
                            self.crcFixed += 1
                    else:
                        crcValue = crc
                        self.printTxn(data, "CRC FIXED")
                        self.crcFixed += 1
                else:
                    self.printTxn(data, "CRC ERROR")
            if not self.recoveryMode or self.verbose:
                self.printTxn(data)
            if self.logStream.readByte("EOR") != 0x42:
                raise TxnLogToolkitException(ExitCode.UNEXPECTED_ERROR, "Last transaction was partial.")
            if self.recoveryMode:
                self.filePadding.padFile(self.recoveryFos.fileno(), self._recoveryPosition)
                self.recoveryOa.writeLong(crcValue, "crcvalue")
                self.recoveryOa.writeBuffer(data, "txnEntry")
                self.recoveryOa.writeByte(0x42, "EOR")
                self._recoveryPosition += len(data) + 13
            count += 1

    def chop(self) -> None:
        targetFile = self.txnLogFile.parent / f"{self.txnLogFile.name}.chopped{self.zxid}"
        try:
            with open(self.txnLogFile, "rb") as is_, open(targetFile, "wb") as os_:
                if not chop(is_, os_, self.zxid, self.out):
                    raise TxnLogToolkitException(ExitCode.INVALID_INVOCATION, "Failed to chop %s", self.txnLogFile.name)
        except Exception as e:
            self._print(f"Got exception: {e}")

    def isDumpMode(self) -> bool:
        return self.zxid < 0

    def _nextToken(self) -> str:
        while not self._answers:
            line = self.input.readline()
            if not line:
                raise TxnLogToolkitException(ExitCode.UNEXPECTED_ERROR, "No answer on standard input.")
            self._answers = line.split()
        return self._answers.pop(0)

    def askForFix(self) -> bool:
        while True:
            self._print("Would you like to fix it (Yes/No/Abort) ? ", end="")
            self.out.flush()
            answer = self._nextToken()[0].upper()
            if answer == "Y":
                return True
            if answer == "N":
                return False
            if answer == "A":
                raise TxnLogToolkitException(ExitCode.EXECUTION_FINISHED, "Recovery aborted.")

    def printTxn(self, data: bytes, prefix: str = "") -> None:
        logEntry = SerializeUtils.deserializeTxn(data)
        hdr = logEntry.getHeader()
        txnStr = getFormattedTxnStr(logEntry.getTxn())
        txns = (f"{Util.format_date_short_long(hdr.time)} session 0x{Util.toHexString(hdr.clientId)} "
                f"cxid 0x{Util.toHexString(hdr.cxid)} zxid 0x{Util.toHexString(hdr.zxid)} "
                f"{Request.op2String(hdr.type)} {txnStr}")
        if prefix is not None and prefix.strip() != "":
            self._print(prefix + " - ", end="")
        if txns.endswith("\n"):
            self._print(txns, end="")
        else:
            self._print(txns)

    def printStat(self) -> None:
        if self.recoveryMode:
            self._print(f"Recovery file {self.recoveryLogFile} has been written with {self.crcFixed} fixed CRC error(s)")

    def close(self) -> None:
        if self.recoveryMode and self.recoveryFos is not None:
            self.recoveryFos.close()
        if self.txnFis is not None:
            self.txnFis.close()

    def __enter__(self) -> "TxnLogToolkit":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _printHelpAndExit(exitCode: int) -> None:
    sys.stdout.write(_HELP)
    sys.stdout.flush()
    sys.exit(exitCode)


@click.command(context_settings={"help_option_names": []})
@click.option("-h", "--help", "help_", is_flag=True)
@click.option("-r", "--recover", is_flag=True)
@click.option("-v", "--verbose", is_flag=True)
@click.option("-d", "--dump", is_flag=True)
@click.option("-y", "--yes", is_flag=True)
@click.option("-c", "--chop", "chop_", is_flag=True)
@click.option("-z", "--zxid")
@click.argument("files", nargs=-1)
def _command(help_: bool, recover: bool, verbose: bool, dump: bool, yes: bool, chop_: bool,
             zxid: str | None, files: tuple[str, ...]) -> TxnLogToolkit:
    if help_:
        _printHelpAndExit(0)
    if len(files) < 1:
        _printHelpAndExit(1)
    if chop_ and zxid is not None:
        return TxnLogToolkit(files[0], zxidName=zxid)
    return TxnLogToolkit(files[0], recoveryMode=recover, verbose=verbose, force=yes)


def _parseError(e: click.UsageError) -> str:
    if isinstance(e, click.NoSuchOption):
        return f"Unrecognized option: {e.option_name}"
    if isinstance(e, click.BadOptionUsage):
        return f"Missing argument for option: {e.option_name.lstrip('-')[:1] if e.option_name else ''}"
    return e.format_message()


def main(argv: list[str] | None = None) -> None:
    """The zkTxnLogToolkit command."""
    sys.stdout.reconfigure(errors="replace")
    sys.stdout = Util.JavaPrintStream(sys.stdout)
    try:
        try:
            lt = _command.main(args=argv, prog_name="TxnLogToolkit", standalone_mode=False)
        except click.UsageError as e:
            raise TxnLogToolkitParseException(ExitCode.UNEXPECTED_ERROR, _parseError(e)) from e
        with lt:
            if lt.isDumpMode():
                lt.dump()
                lt.printStat()
            else:
                lt.chop()
    except TxnLogToolkitParseException as e:
        sys.stdout.flush()
        sys.stderr.write(e.getMessage() + "\n\n")
        sys.stderr.flush()
        _printHelpAndExit(e.getExitCode())
    except TxnLogToolkitException as e:
        sys.stdout.flush()
        sys.stderr.write(e.getMessage() + "\n")
        sys.stderr.flush()
        sys.exit(e.getExitCode())
    sys.stdout.flush()


if __name__ == "__main__":
    main()
