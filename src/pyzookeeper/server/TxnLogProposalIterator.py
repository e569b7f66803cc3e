"""Mirrors org.apache.zookeeper.server.TxnLogProposalIterator: turns the txns
of a log iterator into PROPOSAL packets for a learner's DIFF sync."""

from __future__ import annotations

import logging

from pyzookeeper.server.persistence import Util
from pyzookeeper.server.quorum.Leader import Leader, Proposal
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket

LOG = logging.getLogger(__name__)


class TxnLogProposalIterator:
    """Iterates PROPOSAL packets over the txns of a TxnIterator (Java Iterator protocol)."""

    EMPTY_ITERATOR: "TxnLogProposalIterator"

    def __init__(self, itr=None) -> None:
        self._hasNext = False
        self.itr = None
        if itr is not None:
            self.itr = itr
            self._hasNext = itr.getHeader() is not None

    def hasNext(self) -> bool:
        return self._hasNext

    def next(self) -> Proposal:
        p = Proposal()
        try:
            hdr = self.itr.getHeader()
            serializedData = Util.marshallTxnEntry(hdr, self.itr.getTxn(), self.itr.getDigest())
            p.packet = QuorumPacket(Leader.PROPOSAL, hdr.zxid, serializedData, None)
            p.request = None
            self._hasNext = self.itr.next()
        except (OSError, EOFError) as e:
            LOG.error("Unable to read txnlog from disk", exc_info=e)
            self._hasNext = False
        return p

    def remove(self) -> None:
        raise NotImplementedError()

    def close(self) -> None:
        if self.itr is not None:
            try:
                self.itr.close()
            except OSError as ioe:
                LOG.warning("Error closing file iterator", exc_info=ioe)

    def __iter__(self):
        return self

    def __next__(self) -> Proposal:
        if not self._hasNext:
            raise StopIteration
        return self.next()


TxnLogProposalIterator.EMPTY_ITERATOR = TxnLogProposalIterator()
