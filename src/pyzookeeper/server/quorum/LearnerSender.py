"""Mirrors org.apache.zookeeper.server.quorum.LearnerSender: the
"LearnerSender:<id>" thread that writes a learner's packets to the leader
when ``zookeeper.learner.asyncSending`` is on, flushing whenever its queue
runs dry."""

from __future__ import annotations

import logging
import queue

from pyzookeeper.server.ZooKeeperCriticalThread import ZooKeeperCriticalThread
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket

LOG = logging.getLogger(__name__)


class LearnerSender(ZooKeeperCriticalThread):
    def __init__(self, learner) -> None:
        super().__init__(f"LearnerSender:{learner.zk.getServerId()}", learner.zk.getZooKeeperServerListener())
        self.learner = learner
        self.queuedPackets: queue.SimpleQueue[QuorumPacket] = queue.SimpleQueue()
        self.proposalOfDeath = QuorumPacket()

    def run(self) -> None:
        learner = self.learner
        queued = self.queuedPackets
        while True:
            try:
                try:
                    p = queued.get_nowait()
                except queue.Empty:
                    learner.bufferedOutput.flush()
                    p = queued.get()
                if p is self.proposalOfDeath:
                    break
                learner.messageTracker.trackSent(p.type)
                learner.leaderOs.writeRecord(p, "packet")
            except (OSError, ValueError) as e:
                self.handleException(self.getName(), e)
                break
        LOG.info("LearnerSender exited")

    def queuePacket(self, pp: QuorumPacket | None) -> None:
        if pp is None:
            self.learner.bufferedOutput.flush()
        else:
            self.queuedPackets.put(pp)

    def shutdown(self) -> None:
        LOG.info("Shutting down LearnerSender")
        while True:
            try:
                self.queuedPackets.get_nowait()
            except queue.Empty:
                break
        self.queuedPackets.put(self.proposalOfDeath)
