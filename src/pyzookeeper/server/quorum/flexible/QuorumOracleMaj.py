"""Mirrors org.apache.zookeeper.server.quorum.flexible.QuorumOracleMaj:
majority quorums where, in a two-server ensemble, a leader that has lost its
only follower asks an oracle file (first character ``1`` = keep going).

Deliberate difference: ``revalidateOutstandingProp`` makes one ordered pass
over the outstanding proposals and stops at the first that cannot commit;
Java's loop spins when a proposal can neither commit nor be skipped.
"""

from __future__ import annotations

import logging

from pyzookeeper.common.java_properties import Properties
from pyzookeeper.server.quorum.QuorumPeer import QuorumServer
from pyzookeeper.server.quorum.flexible.QuorumMaj import QuorumMaj

LOG = logging.getLogger(__name__)


class QuorumOracleMaj(QuorumMaj):

    def __init__(self, members: dict[int, QuorumServer] | Properties, oraclePath: str | None) -> None:
        super().__init__(members)
        self.oracle: str | None = None
        self.needOracle = True
        self._setOracle(oraclePath)

    def _setOracle(self, path: str | None) -> None:
        if self.oracle is None:
            self.oracle = path
            LOG.info("Oracle is set to %s", path)
        else:
            LOG.warning("Oracle is already set. Ignore:%s", path)

    def updateNeedOracle(self, forwardingFollowers: list) -> bool:
        self.needOracle = not forwardingFollowers and len(self.getVotingMembers()) == 2
        return self.needOracle

    def askOracle(self) -> bool:
        if self.oracle is None:
            LOG.error("Oracle is not set, return false")
            return False
        try:
            with open(self.oracle, encoding="utf-8") as fr:
                read = fr.read(1)
        except OSError:
            LOG.warning("Cannot read the oracle %s", self.oracle, exc_info=True)
            return False
        LOG.debug("Oracle says:%s", read)
        return read == "1"

    def getNeedOracle(self) -> bool:
        return self.needOracle

    def getOraclePath(self) -> str | None:
        return self.oracle

    def overrideQuorumDecision(self, forwardingFollowers: list) -> bool:
        return self.updateNeedOracle(forwardingFollowers) and self.askOracle()

    def revalidateOutstandingProp(self, self_leader, outstandingProposal: list, lastCommitted: int) -> bool:
        LOG.debug("Start Revalidation outstandingProposals")
        try:
            outstandingProposal.sort(key=lambda p: p.packet.zxid)
            for p in list(outstandingProposal):
                if p.request.zxid <= lastCommitted:
                    continue
                LOG.debug("Re-validate outstanding proposal: 0x%x size:%s lastCommitted:%x",
                          p.request.zxid, len(outstandingProposal), lastCommitted)
                if not self_leader.tryToCommit(p, p.request.zxid, None):
                    break
                lastCommitted = p.request.zxid
                outstandingProposal.remove(p)
        except Exception:
            LOG.warning("Revalidation of outstanding proposals failed", exc_info=True)
            return False
        LOG.debug("Finish Revalidation outstandingProposals")
        return True

    def revalidateVoteset(self, voteSet, timeout: bool) -> bool:
        return voteSet is not None and voteSet.hasAllQuorums() and timeout

    def containsQuorum(self, ackSet: set[int]) -> bool:
        if self.oracle is None or len(self.getVotingMembers()) > 2:
            return super().containsQuorum(ackSet)
        if not super().containsQuorum(ackSet):
            if self.getNeedOracle():
                LOG.debug("We lose the quorum, but we do not have any valid followers Oracle:%s", self.askOracle())
                return self.askOracle()
            return False
        return True

    def __eq__(self, o: object) -> bool:
        if o is None or type(o) is not type(self):
            return False
        if o.getVersion() == self.getVersion():
            return True
        if len(self.getAllMembers()) != len(o.getAllMembers()):
            return False
        for qs in self.getAllMembers().values():
            qso = o.getAllMembers().get(qs.id)
            if qso is None or qs != qso:
                return False
        return True

    def __hash__(self) -> int:
        return 43
