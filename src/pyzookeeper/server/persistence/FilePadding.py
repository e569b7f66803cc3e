"""Mirrors org.apache.zookeeper.server.persistence.FilePadding: grows a log
file ahead of the writer in ``zookeeper.preAllocSize`` KiB steps.

Deliberate difference: ``padFile`` takes the file descriptor and the writer's
logical position (buffered bytes included) instead of a FileChannel.
"""

from __future__ import annotations

import logging
import os

from pyzookeeper import system_properties
from pyzookeeper.server.persistence.Util import parseLong

LOG = logging.getLogger("pyzookeeper.server.persistence.FileTxnLog")

_FILL = b"\x00"


class FilePadding:
    __slots__ = ("currentSize",)

    preAllocSize: int = 65536 * 1024
    _configured = False

    def __init__(self) -> None:
        FilePadding._configure()
        self.currentSize = 0

    @classmethod
    def _configure(cls) -> None:
        """The Java static initializer, run when the class is first used."""
        if cls._configured:
            return
        cls._configured = True
        size = system_properties.getProperty("zookeeper.preAllocSize")
        if size is not None:
            try:
                cls.preAllocSize = parseLong(size) * 1024
            except ValueError:
                LOG.warning("%s is not a valid value for preAllocSize", size)

    @classmethod
    def getPreAllocSize(cls) -> int:
        cls._configure()
        return cls.preAllocSize

    @classmethod
    def setPreallocSize(cls, size: int) -> None:
        cls._configured = True
        cls.preAllocSize = size

    def setCurrentSize(self, currentSize: int) -> None:
        self.currentSize = currentSize

    def padFile(self, fd: int, position: int) -> int:
        """Extend the file with a single zero byte at its new end when the
        writer at ``position`` is within 4 KiB of the preallocated size."""
        newFileSize = FilePadding.calculateFileSizeWithPadding(position, self.currentSize, FilePadding.preAllocSize)
        if self.currentSize != newFileSize:
            os.pwrite(fd, _FILL, newFileSize - len(_FILL))
            self.currentSize = newFileSize
        return self.currentSize

    @staticmethod
    def calculateFileSizeWithPadding(position: int, fileSize: int, preAllocSize: int) -> int:
        if preAllocSize > 0 and position + 4096 >= fileSize:
            if position > fileSize:
                fileSize = position + preAllocSize
                fileSize -= fileSize % preAllocSize
            else:
                fileSize += preAllocSize
        return fileSize
