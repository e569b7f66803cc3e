"""Mirrors org.apache.zookeeper.server.util.VerifyingFileFactory: paths from
configuration, with a warning for relative ones and an error for missing ones."""

from __future__ import annotations

import logging
import os
import re


class VerifyingFileFactory:

    def __init__(self, builder: VerifyingFileFactory.Builder) -> None:
        self.warnForRelativePath = builder.warnForRelativePathOption
        self.failForNonExistingPath = builder.failForNonExistingPathOption
        self.log = builder.log

    def create(self, path: str) -> str:
        return self.validate(java_file_path(path))

    def validate(self, file: str) -> str:
        if self.warnForRelativePath:
            self._doWarnForRelativePath(file)
        if self.failForNonExistingPath:
            self._doFailForNonExistingPath(file)
        return file

    @staticmethod
    def _doFailForNonExistingPath(file: str) -> None:
        if not os.path.exists(file):
            raise ValueError(f"{file} file is missing")

    def _doWarnForRelativePath(self, file: str) -> None:
        if os.path.isabs(file) or file[:2] == "." + os.sep:
            return
        self.log.warning("%s is relative. Prepend .%s to indicate that you're sure!", file, os.sep)

    class Builder:

        def __init__(self, log: logging.Logger) -> None:
            self.log = log
            self.warnForRelativePathOption = False
            self.failForNonExistingPathOption = False

        def warnForRelativePath(self) -> VerifyingFileFactory.Builder:
            self.warnForRelativePathOption = True
            return self

        def failForNonExistingPath(self) -> VerifyingFileFactory.Builder:
            self.failForNonExistingPathOption = True
            return self

        def build(self) -> VerifyingFileFactory:
            return VerifyingFileFactory(self)


def java_file_path(path: str) -> str:
    """The path as ``new File(path)`` keeps it: repeated separators collapsed,
    no trailing separator."""
    collapsed = re.sub(r"/+", "/", path)
    return collapsed[:-1] if len(collapsed) > 1 and collapsed.endswith("/") else collapsed
