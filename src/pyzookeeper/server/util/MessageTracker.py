"""Mirrors org.apache.zookeeper.server.util.MessageTracker: the last few quorum
packets sent to and received from a peer, dumped to the log when the
connection ends (only with ``zookeeper.messageTracker.Enabled``)."""

from __future__ import annotations

import logging
import time

from pyzookeeper import system_properties
from pyzookeeper.server.util.CircularBuffer import CircularBuffer

LOG = logging.getLogger(__name__)

MESSAGE_TRACKER_BUFFER_SIZE = "zookeeper.messageTracker.BufferSize"
MESSAGE_TRACKER_ENABLED = "zookeeper.messageTracker.Enabled"


def _formatTimestamp(millis: int) -> str:
    """``SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS")`` in local time."""
    seconds, ms = divmod(millis, 1000)
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds)) + f",{ms:03d}"


class BufferedMessage:
    __slots__ = ("timestamp", "messageType")

    def __init__(self, messageType: int = -1, timestamp: int | None = None) -> None:
        self.messageType = messageType
        self.timestamp = int(time.time() * 1000) if timestamp is None else timestamp

    def getTimestamp(self) -> int:
        return self.timestamp

    def __str__(self) -> str:
        text = "TimeStamp: " + _formatTimestamp(self.timestamp)
        if self.messageType == -1:
            return text
        from pyzookeeper.server.quorum.Leader import Leader

        return text + " Type: " + Leader.getPacketType(self.messageType)


class MessageTracker:
    MESSAGE_TRACKER_BUFFER_SIZE = MESSAGE_TRACKER_BUFFER_SIZE
    MESSAGE_TRACKER_ENABLED = MESSAGE_TRACKER_ENABLED
    BUFFERED_MESSAGE_SIZE = system_properties.getInteger(MESSAGE_TRACKER_BUFFER_SIZE, 10)
    enabled = system_properties.getBoolean(MESSAGE_TRACKER_ENABLED)

    def __init__(self, buffer_size: int) -> None:
        self.sentBuffer: CircularBuffer[BufferedMessage] = CircularBuffer(buffer_size)
        self.receivedBuffer: CircularBuffer[BufferedMessage] = CircularBuffer(buffer_size)

    def trackSent(self, packetType: int) -> None:
        if MessageTracker.enabled:
            self.sentBuffer.write(BufferedMessage(packetType))

    def trackSentTimestamp(self, timestamp: int) -> None:
        if MessageTracker.enabled:
            self.sentBuffer.write(BufferedMessage(timestamp=timestamp))

    def trackReceived(self, packetType: int) -> None:
        if MessageTracker.enabled:
            self.receivedBuffer.write(BufferedMessage(packetType))

    def trackReceivedTimestamp(self, timestamp: int) -> None:
        if MessageTracker.enabled:
            self.receivedBuffer.write(BufferedMessage(timestamp=timestamp))

    def peekSent(self) -> BufferedMessage | None:
        return self.sentBuffer.peek()

    def peekReceived(self) -> BufferedMessage | None:
        return self.receivedBuffer.peek()

    def peekSentTimestamp(self) -> int:
        return self.sentBuffer.peek().getTimestamp() if MessageTracker.enabled else 0

    def peekReceivedTimestamp(self) -> int:
        return self.receivedBuffer.peek().getTimestamp() if MessageTracker.enabled else 0

    def dumpToLog(self, serverAddress: str) -> None:
        if not MessageTracker.enabled:
            return
        self._logMessages(serverAddress, self.receivedBuffer, "receivedBuffer from")
        self._logMessages(serverAddress, self.sentBuffer, "sentBuffer to")

    @staticmethod
    def _logMessages(serverAddr: str, messages: CircularBuffer, sentOrReceivedText: str) -> None:
        if messages.isEmpty():
            LOG.info("No buffered timestamps for messages %s %s", sentOrReceivedText, serverAddr)
            return
        LOG.warning("Last %s timestamps for messages %s %s:", messages.size(), sentOrReceivedText, serverAddr)
        while not messages.isEmpty():
            LOG.warning("%s %s  %s", sentOrReceivedText, serverAddr, messages.take())
