"""Mirrors org.apache.zookeeper.server.quorum.Follower: a participant
following the leader — discovery, synchronisation, then logging and ACKing
proposals and applying commits until the leader goes away. It logs through
Learner's logger, as the Java class does.

Deliberate difference: no JMX bean.
"""

from __future__ import annotations

import struct
import time

from pyzookeeper.common import Time
from pyzookeeper.jute.BinaryInputArchive import bytesToString
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.Learner import LOG, Learner, ReconfigException, packet_to_string
from pyzookeeper.server.quorum.ObserverMaster import ObserverMaster
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.quorum.QuorumPeer import ZabState
from pyzookeeper.server.util import SerializeUtils, ZxidUtils
from pyzookeeper.ZooDefs import OpCode

_LONG = struct.Struct(">q")


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class Follower(Learner):
    def __init__(self, self_, zk) -> None:
        super().__init__()
        if self_ is None or zk is None:
            raise TypeError("a Follower needs its peer and its server")
        self.self = self_
        self.fzk = zk
        self.zk = zk
        self.lastQueued = 0
        self.om = None

    def __str__(self) -> str:
        return (f"Follower {self.sock} lastQueuedZxid:{self.lastQueued}"
                f" pendingRevalidationCount:{len(self.pendingRevalidations)}")

    toString = __str__

    def followLeader(self) -> None:
        """Follow the leader we voted for until the connection ends."""
        peer = self.self
        peer.end_fle = Time.currentElapsedTime()
        electionTimeTaken = peer.end_fle - peer.start_fle
        peer.setElectionTimeTaken(electionTimeTaken)
        ServerMetrics.getMetrics().ELECTION_TIME.add(electionTimeTaken)
        LOG.info("FOLLOWING - LEADER ELECTION TOOK - %s %s", electionTimeTaken, peer.FLE_TIME_UNIT)
        peer.start_fle = 0
        peer.end_fle = 0

        connectionTime = 0
        completedSync = False
        try:
            peer.setZabState(ZabState.DISCOVERY)
            leaderServer = self.findLeader()
            try:
                if leaderServer is None:
                    raise OSError("No leader to follow")
                self.connectToLeader(leaderServer.addr, leaderServer.hostname)
                connectionTime = int(time.time() * 1000)
                newEpochZxid = self.registerWithLeader(Leader.FOLLOWERINFO)
                if peer.isReconfigStateChange():
                    raise ReconfigException("learned about role change")
                # a leader older than our accepted epoch cannot be: refuse it
                newEpoch = ZxidUtils.getEpochFromZxid(newEpochZxid)
                if newEpoch < peer.getAcceptedEpoch():
                    LOG.error("Proposed leader epoch %s is less than our accepted epoch %s",
                              ZxidUtils.zxidToString(newEpochZxid), ZxidUtils.zxidToString(peer.getAcceptedEpoch()))
                    raise OSError("Error: Epoch of leader is lower")
                startTime = Time.currentElapsedTime()
                peer.setLeaderAddressAndId(leaderServer.addr, leaderServer.getId())
                peer.setZabState(ZabState.SYNCHRONIZATION)
                self.syncWithLeader(newEpochZxid)
                peer.setZabState(ZabState.BROADCAST)
                completedSync = True
                ServerMetrics.getMetrics().FOLLOWER_SYNC_TIME.add(Time.currentElapsedTime() - startTime)
                if peer.getObserverMasterPort() > 0:
                    LOG.info("Starting ObserverMaster")
                    self.om = ObserverMaster(peer, self.fzk, peer.getObserverMasterPort())
                    self.om.start()
                else:
                    self.om = None
                qp = QuorumPacket()
                while self.isRunning():
                    self.readPacket(qp)
                    self.processPacket(qp)
            except Exception as e:
                LOG.warning("Exception when following the leader", exc_info=e)
                self.closeSocket()
                self.pendingRevalidations.clear()
        finally:
            if self.om is not None:
                self.om.stop()
            if connectionTime != 0:
                connectionDuration = int(time.time() * 1000) - connectionTime
                LOG.info("Disconnected from leader (with address: %s). Was connected for %sms. Sync state: %s",
                         self.leaderAddr, connectionDuration, "true" if completedSync else "false")
                self.messageTracker.dumpToLog(str(self.leaderAddr))

    def processPacket(self, qp: QuorumPacket) -> None:
        """Act on one packet from the leader."""
        ptype = qp.type
        if ptype == Leader.PING:
            self.ping(qp)
        elif ptype == Leader.PROPOSAL:
            metrics = ServerMetrics.getMetrics()
            metrics.LEARNER_PROPOSAL_RECEIVED_COUNT.add(1)
            logEntry = SerializeUtils.deserializeTxn(qp.data)
            hdr = logEntry.getHeader()
            txn = logEntry.getTxn()
            digest = logEntry.getDigest()
            if hdr.zxid != self.lastQueued + 1:
                LOG.warning("Got zxid 0x%s expected 0x%s", _hex(hdr.zxid), _hex(self.lastQueued + 1))
            self.lastQueued = hdr.zxid
            if hdr.type == OpCode.reconfig:
                qv = self.self.configFromString(bytesToString(txn.data))
                self.self.setLastSeenQuorumVerifier(qv, True)
            self.fzk.logRequest(hdr, txn, digest)
            # the header's time is the leader's wall clock: skew may make this negative
            latency = Time.currentWallTime() - hdr.time
            if latency >= 0:
                metrics.PROPOSAL_LATENCY.add(latency)
            if self.om is not None:
                startTime = Time.currentElapsedTime()
                self.om.proposalReceived(qp)
                metrics.OM_PROPOSAL_PROCESS_TIME.add(Time.currentElapsedTime() - startTime)
        elif ptype == Leader.COMMIT:
            metrics = ServerMetrics.getMetrics()
            metrics.LEARNER_COMMIT_RECEIVED_COUNT.add(1)
            self.fzk.commit(qp.zxid)
            if self.om is not None:
                startTime = Time.currentElapsedTime()
                self.om.proposalCommitted(qp.zxid)
                metrics.OM_COMMIT_PROCESS_TIME.add(Time.currentElapsedTime() - startTime)
        elif ptype == Leader.COMMITANDACTIVATE:
            request = self.fzk.pendingTxns[0]
            qv = self.self.configFromString(bytesToString(request.getTxn().data))
            suggestedLeaderId = _LONG.unpack_from(qp.data, 0)[0]
            zxid = qp.zxid
            majorChange = self.self.processReconfig(qv, suggestedLeaderId, zxid, True)
            # the commit writes the new configuration into /zookeeper/config
            self.fzk.commit(zxid)
            if self.om is not None:
                self.om.informAndActivate(zxid, suggestedLeaderId)
            if majorChange:
                raise ReconfigException("changes proposed in reconfig")
        elif ptype == Leader.UPTODATE:
            LOG.error("Received an UPTODATE message after Follower started")
        elif ptype == Leader.REVALIDATE:
            if self.om is None or not self.om.revalidateLearnerSession(qp):
                self.revalidate(qp)
        elif ptype == Leader.SYNC:
            self.fzk.sync()
        else:
            LOG.warning("Unknown packet type: %s", packet_to_string(qp))

    def getZxid(self) -> int:
        with self.fzk._lock:
            return self.fzk.getZxid()

    def getLastQueued(self) -> int:
        return self.lastQueued

    def getSyncedObserverSize(self) -> int | None:
        return None if self.om is None else self.om.getNumActiveObservers()

    def getSyncedObserversInfo(self):
        if self.om is not None and self.om.getNumActiveObservers() > 0:
            return self.om.getActiveObservers()
        return []

    def resetObserverConnectionStats(self) -> None:
        if self.om is not None and self.om.getNumActiveObservers() > 0:
            self.om.resetObserverConnectionStats()

    def shutdown(self) -> None:
        LOG.info("shutdown Follower")
        super().shutdown()
