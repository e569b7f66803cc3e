"""Mirrors org.apache.zookeeper.common.AtomicFileOutputStream: writes to
``<name>.tmp`` and, on close, flushes, fsyncs and renames it over ``<name>``,
so readers see either the old file or the complete new one."""

from __future__ import annotations

import logging
import os
from pathlib import Path

LOG = logging.getLogger(__name__)


class AtomicFileOutputStream:
    TMP_EXTENSION = ".tmp"

    def __init__(self, f: os.PathLike | str) -> None:
        f = Path(f)
        self.origFile = f.absolute()
        self.tmpFile = f.with_name(f.name + AtomicFileOutputStream.TMP_EXTENSION).absolute()
        self.out = open(self.tmpFile, "wb")

    def write(self, b) -> int:
        return self.out.write(b)

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        if self.out.closed:
            return
        triedToClose = False
        success = False
        try:
            self.out.flush()
            os.fsync(self.out.fileno())
            triedToClose = True
            self.out.close()
            success = True
        finally:
            if success:
                try:
                    os.replace(self.tmpFile, self.origFile)
                except OSError as e:
                    raise IOError(f"Could not rename temporary file {self.tmpFile} to {self.origFile}") from e
            else:
                if not triedToClose:
                    try:
                        self.out.close()
                    except OSError:
                        pass
                try:
                    self.tmpFile.unlink()
                except OSError:
                    LOG.warning("Unable to delete tmp file %s", self.tmpFile)

    def abort(self) -> None:
        """Close without publishing: the tmp file is deleted."""
        try:
            self.out.close()
        except OSError as e:
            LOG.warning("Unable to abort file %s", self.tmpFile, exc_info=e)
        try:
            self.tmpFile.unlink()
        except OSError:
            LOG.warning("Unable to delete tmp file during abort %s", self.tmpFile)

    def __enter__(self) -> "AtomicFileOutputStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
