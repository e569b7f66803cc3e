"""Mirrors org.apache.zookeeper.server.quorum.auth.QuorumAuth: the property
names of quorum SASL and the auth packet that opens an authenticated connection."""

from __future__ import annotations

import enum
import logging
import struct

from pyzookeeper.server.quorum.QuorumAuthPacket import QuorumAuthPacket

LOG = logging.getLogger(__name__)

_LONG = struct.Struct(">q")


class Status(enum.Enum):
    IN_PROGRESS = 0
    SUCCESS = 1
    ERROR = -1

    @staticmethod
    def getStatus(status: int) -> Status:
        try:
            return Status(status)
        except ValueError:
            LOG.error("Unknown status:%s!", status)
            return Status.ERROR

    def status(self) -> int:
        return self.value


class QuorumAuth:
    Status = Status

    QUORUM_SASL_AUTH_ENABLED = "quorum.auth.enableSasl"
    QUORUM_SERVER_SASL_AUTH_REQUIRED = "quorum.auth.serverRequireSasl"
    QUORUM_LEARNER_SASL_AUTH_REQUIRED = "quorum.auth.learnerRequireSasl"
    QUORUM_KERBEROS_SERVICE_PRINCIPAL = "quorum.auth.kerberos.servicePrincipal"
    QUORUM_KERBEROS_SERVICE_PRINCIPAL_DEFAULT_VALUE = "zkquorum/localhost"
    QUORUM_LEARNER_SASL_LOGIN_CONTEXT = "quorum.auth.learner.saslLoginContext"
    QUORUM_LEARNER_SASL_LOGIN_CONTEXT_DFAULT_VALUE = "QuorumLearner"
    QUORUM_SERVER_SASL_LOGIN_CONTEXT = "quorum.auth.server.saslLoginContext"
    QUORUM_SERVER_SASL_LOGIN_CONTEXT_DFAULT_VALUE = "QuorumServer"
    QUORUM_SERVER_PROTOCOL_NAME = "zookeeper-quorum"
    QUORUM_SERVER_SASL_DIGEST = "zk-quorum-sasl-md5"
    QUORUM_AUTH_MESSAGE_TAG = "qpconnect"
    QUORUM_AUTH_MAGIC_NUMBER = -0xa0dbcafecafe1234

    @staticmethod
    def createPacket(status: Status, response: bytes | None) -> QuorumAuthPacket:
        return QuorumAuthPacket(QuorumAuth.QUORUM_AUTH_MAGIC_NUMBER, status.status(), response)

    @staticmethod
    def nextPacketIsAuth(din) -> bool:
        """Whether the next 8 bytes of the buffered stream ``din`` (read without
        consuming them) hold the auth magic number."""
        head = din.peek(8)[:8]
        return len(head) == 8 and _LONG.unpack(head)[0] == QuorumAuth.QUORUM_AUTH_MAGIC_NUMBER
