"""Mirrors org.apache.zookeeper.server.quorum.SyncThrottleException: a new
learner sync would exceed the LearnerSyncThrottler's limit."""

from __future__ import annotations


class SyncThrottleException(Exception):
    def __init__(self, concurrentSyncNumber: int, throttleThreshold: int, syncType) -> None:
        super().__init__(SyncThrottleException.getMessage(concurrentSyncNumber, throttleThreshold, syncType))

    @staticmethod
    def getMessage(concurrentSyncNumber: int, throttleThreshold: int, syncType) -> str:
        return (f"new {syncType.name.lower()} sync would make {concurrentSyncNumber} concurrently in progress;"
                f" maximum is {throttleThreshold}")
