"""Mirrors org.apache.zookeeper.server.RequestProcessor: one stage of the request chain."""

from __future__ import annotations


class RequestProcessorException(Exception):
    """RequestProcessor.RequestProcessorException."""

    def __init__(self, msg: str, t: BaseException | None = None) -> None:
        super().__init__(msg)
        self.__cause__ = t


class RequestProcessor:
    RequestProcessorException = RequestProcessorException

    def processRequest(self, request) -> None:
        raise NotImplementedError

    def shutdown(self) -> None:
        raise NotImplementedError
