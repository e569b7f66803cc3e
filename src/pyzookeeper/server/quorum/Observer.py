"""Mirrors org.apache.zookeeper.server.quorum.Observer: a non-voting member
that syncs with the leader (or an ObserverMaster) and then applies the
committed txns the leader INFORMs it of.

Deliberate difference: no JMX bean.
"""

from __future__ import annotations

import logging
import random
import struct
import threading
import time

from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.jute.BinaryInputArchive import bytesToString
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.Learner import Learner, ReconfigException, packet_to_string
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.quorum.QuorumPeer import ZabState
from pyzookeeper.server.util import SerializeUtils

LOG = logging.getLogger(__name__)

_LONG = struct.Struct(">q")

OBSERVER_RECONNECT_DELAY_MS = "zookeeper.observer.reconnectDelayMs"
OBSERVER_ELECTION_DELAY_MS = "zookeeper.observer.election.DelayMs"


class Observer(Learner):
    OBSERVER_RECONNECT_DELAY_MS = OBSERVER_RECONNECT_DELAY_MS
    OBSERVER_ELECTION_DELAY_MS = OBSERVER_ELECTION_DELAY_MS

    reconnectDelayMs = system_properties.getLong(OBSERVER_RECONNECT_DELAY_MS, 0)
    observerElectionDelayMs = system_properties.getLong(OBSERVER_ELECTION_DELAY_MS, 200)
    LOG.info("%s = %s", OBSERVER_RECONNECT_DELAY_MS, reconnectDelayMs)
    LOG.info("%s = %s", OBSERVER_ELECTION_DELAY_MS, observerElectionDelayMs)

    # the learner master to try next, when one was requested
    _nextLearnerMaster = None
    _nextLearnerMasterLock = threading.Lock()

    def __init__(self, self_, observerZooKeeperServer) -> None:
        super().__init__()
        self.self = self_
        self.zk = observerZooKeeperServer
        self.currentLearnerMaster = None

    def __str__(self) -> str:
        return f"Observer {self.sock} pendingRevalidationCount:{len(self.pendingRevalidations)}"

    toString = __str__

    def observeLeader(self) -> None:
        """Observe the leader (or a learner master) until the connection ends."""
        peer = self.self
        connectTime = 0
        completedSync = False
        try:
            peer.setZabState(ZabState.DISCOVERY)
            master = self._findLearnerMaster()
            try:
                if master is None:
                    raise OSError("No learner master to observe")
                self.connectToLeader(master.addr, master.hostname)
                connectTime = int(time.time() * 1000)
                newLeaderZxid = self.registerWithLeader(Leader.OBSERVERINFO)
                if peer.isReconfigStateChange():
                    raise ReconfigException("learned about role change")
                startTime = Time.currentElapsedTime()
                peer.setLeaderAddressAndId(master.addr, master.getId())
                peer.setZabState(ZabState.SYNCHRONIZATION)
                self.syncWithLeader(newLeaderZxid)
                peer.setZabState(ZabState.BROADCAST)
                completedSync = True
                ServerMetrics.getMetrics().OBSERVER_SYNC_TIME.add(Time.currentElapsedTime() - startTime)
                qp = QuorumPacket()
                while self.isRunning() and Observer._nextLearnerMaster is None:
                    self.readPacket(qp)
                    self.processPacket(qp)
            except Exception as e:
                LOG.warning("Exception when observing the leader", exc_info=e)
                self.closeSocket()
                self.pendingRevalidations.clear()
        finally:
            self.currentLearnerMaster = None
            if connectTime != 0:
                connectionDuration = int(time.time() * 1000) - connectTime
                LOG.info("Disconnected from leader (with address: %s). Was connected for %sms. Sync state: %s",
                         self.leaderAddr, connectionDuration, "true" if completedSync else "false")
                self.messageTracker.dumpToLog(str(self.leaderAddr))

    def _findLearnerMaster(self):
        with Observer._nextLearnerMasterLock:
            prescribedLearnerMaster = Observer._nextLearnerMaster
            Observer._nextLearnerMaster = None
        peer = self.self
        if (prescribedLearnerMaster is not None
                and peer.validateLearnerMaster(str(prescribedLearnerMaster.id)) is None):
            LOG.warning("requested next learner master %s is no longer valid", prescribedLearnerMaster)
            prescribedLearnerMaster = None
        if prescribedLearnerMaster is None:
            master = peer.findLearnerMaster(self.findLeader())
        else:
            master = prescribedLearnerMaster
        self.currentLearnerMaster = master
        if master is None:
            LOG.warning("No learner master found")
        else:
            LOG.info("Observing new leader sid=%s addr=%s", master.id, master.addr)
        return master

    def processPacket(self, qp: QuorumPacket) -> None:
        """Act on one packet from the leader."""
        ptype = qp.type
        if ptype == Leader.PING:
            self.ping(qp)
        elif ptype == Leader.PROPOSAL:
            LOG.warning("Ignoring proposal")
        elif ptype == Leader.COMMIT:
            LOG.warning("Ignoring commit")
        elif ptype == Leader.UPTODATE:
            LOG.error("Received an UPTODATE message after Observer started")
        elif ptype == Leader.REVALIDATE:
            self.revalidate(qp)
        elif ptype == Leader.SYNC:
            self.zk.sync()
        elif ptype == Leader.INFORM:
            metrics = ServerMetrics.getMetrics()
            metrics.LEARNER_COMMIT_RECEIVED_COUNT.add(1)
            logEntry = SerializeUtils.deserializeTxn(qp.data)
            hdr = logEntry.getHeader()
            request = Request.fromTxn(hdr.clientId, hdr.cxid, hdr.type, hdr, logEntry.getTxn(), 0)
            request.logLatency(metrics.COMMIT_PROPAGATION_LATENCY)
            request.setTxnDigest(logEntry.getDigest())
            self.zk.commitRequest(request)
        elif ptype == Leader.INFORMANDACTIVATE:
            suggestedLeaderId = _LONG.unpack_from(qp.data, 0)[0]
            logEntry = SerializeUtils.deserializeTxn(qp.data[8:])
            hdr = logEntry.getHeader()
            txn = logEntry.getTxn()
            qv = self.self.configFromString(bytesToString(txn.data))
            request = Request.fromTxn(hdr.clientId, hdr.cxid, hdr.type, hdr, txn, 0)
            request.setTxnDigest(logEntry.getDigest())
            majorChange = self.self.processReconfig(qv, suggestedLeaderId, qp.zxid, True)
            self.zk.commitRequest(request)
            if majorChange:
                raise ReconfigException("changes proposed in reconfig")
        else:
            LOG.warning("Unknown packet type: %s", packet_to_string(qp))

    def shutdown(self) -> None:
        LOG.info("shutdown Observer")
        super().shutdown()

    @staticmethod
    def waitForReconnectDelay() -> None:
        Observer._waitForReconnectDelayHelper(Observer.reconnectDelayMs)

    @staticmethod
    def waitForObserverElectionDelay() -> None:
        Observer._waitForReconnectDelayHelper(Observer.observerElectionDelayMs)

    @staticmethod
    def _waitForReconnectDelayHelper(delayValueMs: int) -> None:
        if delayValueMs > 0:
            randomDelay = random.randrange(delayValueMs)
            LOG.info("Waiting for %s ms before reconnecting with the leader", randomDelay)
            time.sleep(randomDelay / 1000.0)

    def getLearnerMasterId(self) -> int:
        current = self.currentLearnerMaster
        return -1 if current is None else current.id

    def setLearnerMaster(self, learnerMaster: str) -> bool:
        """Ask the observer to move to another learner master; False if it is not one."""
        server = self.self.validateLearnerMaster(learnerMaster)
        if server is None:
            return False
        if server == self.currentLearnerMaster:
            LOG.info("Already connected to requested learner master sid=%s addr=%s", server.id, server.addr)
            return True
        LOG.info("Requesting disconnect and reconnect to new learner master sid=%s addr=%s", server.id, server.addr)
        with Observer._nextLearnerMasterLock:
            Observer._nextLearnerMaster = server
        return True

    def getCurrentLearnerMaster(self):
        return self.currentLearnerMaster

    @staticmethod
    def getObserverElectionDelayMs() -> int:
        return Observer.observerElectionDelayMs

    @staticmethod
    def setObserverElectionDelayMs(electionDelayMs: int) -> None:
        Observer.observerElectionDelayMs = electionDelayMs
        LOG.info("%s = %s", OBSERVER_ELECTION_DELAY_MS, electionDelayMs)
