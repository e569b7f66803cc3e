"""Mirrors org.apache.zookeeper.server.command.FourLetterCommands: the command
codes and the whitelist (``zookeeper.4lw.commands.whitelist``)."""

from __future__ import annotations

import logging
import struct
import threading

from pyzookeeper import system_properties
from pyzookeeper.common.java_hash_set import string_hash

LOG = logging.getLogger(__name__)

_INT = struct.Struct(">i")


def _code(word: str) -> int:
    """The command's four letters read as a big-endian int, as they arrive in a length field."""
    return _INT.unpack(word.encode("ascii"))[0]


def _to_int32(value: int) -> int:
    return value - (1 << 32) if value & 0x80000000 else value


def java_string_hash(s: str) -> int:
    """``String.hashCode()``."""
    return _to_int32(string_hash(s))


def java_hash_order(items: list, hashCode) -> list:
    """The order a ``java.util.HashMap``/``HashSet`` filled with ``items`` (in this
    order) iterates them, so that logged collections read as Java's do."""
    capacity = 16
    while len(items) > capacity * 3 // 4:
        capacity *= 2

    def bucket(item) -> int:
        h = hashCode(item) & 0xFFFFFFFF
        return (h ^ (h >> 16)) & (capacity - 1)

    return [item for _, _, item in sorted((bucket(item), i, item) for i, item in enumerate(items))]


class FourLetterCommands:
    confCmd = _code("conf")
    consCmd = _code("cons")
    crstCmd = _code("crst")
    dirsCmd = _code("dirs")
    dumpCmd = _code("dump")
    enviCmd = _code("envi")
    getTraceMaskCmd = _code("gtmk")
    ruokCmd = _code("ruok")
    setTraceMaskCmd = _code("stmk")
    srvrCmd = _code("srvr")
    srstCmd = _code("srst")
    statCmd = _code("stat")
    wchcCmd = _code("wchc")
    wchpCmd = _code("wchp")
    wchsCmd = _code("wchs")
    mntrCmd = _code("mntr")
    isroCmd = _code("isro")
    hashCmd = _code("hash")
    # What telnet sends when it closes; known only to keep the log clean (it is a negative length).
    telnetCloseCmd = _to_int32(0xFFF4FFFD)

    ZOOKEEPER_4LW_COMMANDS_WHITELIST = "zookeeper.4lw.commands.whitelist"

    cmd2String: dict[int, str] = {
        confCmd: "conf",
        consCmd: "cons",
        crstCmd: "crst",
        dirsCmd: "dirs",
        dumpCmd: "dump",
        enviCmd: "envi",
        getTraceMaskCmd: "gtmk",
        ruokCmd: "ruok",
        setTraceMaskCmd: "stmk",
        srstCmd: "srst",
        srvrCmd: "srvr",
        statCmd: "stat",
        wchcCmd: "wchc",
        wchpCmd: "wchp",
        wchsCmd: "wchs",
        mntrCmd: "mntr",
        isroCmd: "isro",
        telnetCloseCmd: "telnet close",
        hashCmd: "hash",
    }

    whiteListedCommands: list[str] = []
    whiteListInitialized = False
    # the whitelist and read-only properties the list was made from
    whiteListSource: tuple[str | None, bool] | None = None
    _lock = threading.Lock()

    @staticmethod
    def resetWhiteList() -> None:
        """Forgets the whitelist, so the property is read again (for tests)."""
        with FourLetterCommands._lock:
            FourLetterCommands.whiteListInitialized = False
            FourLetterCommands.whiteListedCommands = []

    @staticmethod
    def getCommandString(command: int) -> str | None:
        return FourLetterCommands.cmd2String.get(command)

    @staticmethod
    def isKnown(command: int) -> bool:
        return command in FourLetterCommands.cmd2String

    @staticmethod
    def isEnabled(command: str) -> bool:
        """Whether the command is whitelisted; ``srvr`` always is, ``isro`` too in
        read-only mode, ``*`` whitelists every command.

        Java reads the whitelist once per process; here it is read again when the
        properties it came from change, as they do when several servers run in one
        process one after the other.
        """
        cls = FourLetterCommands
        commands = system_properties.getProperty(cls.ZOOKEEPER_4LW_COMMANDS_WHITELIST)
        readonly = system_properties.getProperty("readonlymode.enabled", "false") == "true"
        with cls._lock:
            if cls.whiteListInitialized and cls.whiteListSource == (commands, readonly):
                return command in cls.whiteListedCommands
            enabled: list[str] = []

            def add(cmd: str) -> None:
                if cmd not in enabled:
                    enabled.append(cmd)

            if commands is not None:
                for cmd in commands.split(","):
                    if cmd.strip() == "*":
                        for name in java_hash_order(list(cls.cmd2String), lambda k: k):
                            add(cls.cmd2String[name])
                        break
                    if cmd.strip():
                        add(cmd.strip())
            if readonly:
                add("isro")
            add("srvr")
            cls.whiteListedCommands = enabled
            cls.whiteListSource = (commands, readonly)
            cls.whiteListInitialized = True
            known = ", ".join(f"{k}={cls.cmd2String[k]}" for k in java_hash_order(list(cls.cmd2String), lambda k: k))
            LOG.info("The list of known four letter word commands is : [{%s}]", known)
            LOG.info("The list of enabled four letter word commands is : [[%s]]",
                     ", ".join(java_hash_order(enabled, java_string_hash)))
            return command in enabled
