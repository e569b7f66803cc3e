"""Mirrors org.apache.zookeeper.common.AtomicFileWritingIdiom: runs a write
statement against an AtomicFileOutputStream, publishing the file only when
the statement succeeds.

Deliberate difference: a statement is a callable taking the stream (bytes),
or a ``WriterStatement`` whose callable takes a text writer (UTF-8).
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO, Callable, TextIO

from pyzookeeper.common.AtomicFileOutputStream import AtomicFileOutputStream


class AtomicFileWritingIdiom:

    class OutputStreamStatement:
        """Wraps ``write(os)`` writing bytes."""

        def __init__(self, write: Callable[[BinaryIO], None]) -> None:
            self.write = write

    class WriterStatement:
        """Wraps ``write(writer)`` writing text."""

        def __init__(self, write: Callable[[TextIO], None]) -> None:
            self.write = write

    def __init__(self, targetFile: os.PathLike | str, stmt) -> None:
        """``stmt``: an OutputStreamStatement, a WriterStatement, or a callable taking the stream."""
        out: AtomicFileOutputStream | None = None
        triedToClose = False
        try:
            out = AtomicFileOutputStream(targetFile)
            if isinstance(stmt, AtomicFileWritingIdiom.WriterStatement):
                bw = io.StringIO()
                stmt.write(bw)
                out.write(bw.getvalue().encode("utf-8"))
            elif isinstance(stmt, AtomicFileWritingIdiom.OutputStreamStatement):
                stmt.write(out)
            else:
                stmt(out)
            triedToClose = True
            out.close()
        finally:
            if out is not None and not triedToClose:
                out.abort()

