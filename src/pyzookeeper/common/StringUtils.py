"""Mirrors org.apache.zookeeper.common.StringUtils."""

from __future__ import annotations

import re


class StringUtils:

    @staticmethod
    def split(value: str, separator: str) -> list[str]:
        """Split on the regular expression ``separator``, trim each part, drop empty ones."""
        return [part.strip() for part in re.split(separator, value) if part.strip()]

    @staticmethod
    def joinStrings(list_: list[str] | None, delim: str) -> str | None:
        if delim is None:
            raise TypeError("delim is null")
        return None if list_ is None else delim.join(list_)

    @staticmethod
    def isBlank(s: str | None) -> bool:
        return s is None or not s.strip()

    @staticmethod
    def isEmpty(s: str | None) -> bool:
        return not s
