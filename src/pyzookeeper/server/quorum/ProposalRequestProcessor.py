"""Mirrors org.apache.zookeeper.server.quorum.ProposalRequestProcessor: on
the leader, sends each txn as a PROPOSAL and logs it (SyncRequestProcessor ->
AckRequestProcessor) while passing the request on to the CommitProcessor;
learners' syncs go to Leader.processSync."""

from __future__ import annotations

import logging

from pyzookeeper import system_properties
from pyzookeeper.server.RequestProcessor import RequestProcessor, RequestProcessorException
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.SyncRequestProcessor import SyncRequestProcessor
from pyzookeeper.server.quorum.AckRequestProcessor import AckRequestProcessor
from pyzookeeper.server.quorum.Leader import XidRolloverException
from pyzookeeper.server.quorum.LearnerSyncRequest import LearnerSyncRequest

LOG = logging.getLogger(__name__)

FORWARD_LEARNER_REQUESTS_TO_COMMIT_PROCESSOR_DISABLED = \
    "zookeeper.forward_learner_requests_to_commit_processor_disabled"


class ProposalRequestProcessor(RequestProcessor):
    FORWARD_LEARNER_REQUESTS_TO_COMMIT_PROCESSOR_DISABLED = FORWARD_LEARNER_REQUESTS_TO_COMMIT_PROCESSOR_DISABLED

    def __init__(self, zks, nextProcessor: RequestProcessor) -> None:
        self.zks = zks
        self.nextProcessor = nextProcessor
        ackProcessor = AckRequestProcessor(zks.getLeader())
        self.syncProcessor = SyncRequestProcessor(zks, ackProcessor)
        self.forwardLearnerRequestsToCommitProcessorDisabled = system_properties.getBoolean(
            FORWARD_LEARNER_REQUESTS_TO_COMMIT_PROCESSOR_DISABLED)
        LOG.info("%s = %s", FORWARD_LEARNER_REQUESTS_TO_COMMIT_PROCESSOR_DISABLED,
                 "true" if self.forwardLearnerRequestsToCommitProcessorDisabled else "false")

    def initialize(self) -> None:
        self.syncProcessor.start()

    def processRequest(self, request) -> None:
        if isinstance(request, LearnerSyncRequest):
            self.zks.getLeader().processSync(request)
            return
        if self.shouldForwardToNextProcessor(request):
            self.nextProcessor.processRequest(request)
        if request.getHdr() is not None:
            try:
                self.zks.getLeader().propose(request)
            except XidRolloverException as e:
                raise RequestProcessorException(str(e), e) from e
            self.syncProcessor.processRequest(request)

    def shutdown(self) -> None:
        LOG.info("Shutting down")
        self.nextProcessor.shutdown()
        self.syncProcessor.shutdown()

    def shouldForwardToNextProcessor(self, request) -> bool:
        if not self.forwardLearnerRequestsToCommitProcessorDisabled:
            return True
        if request.isFromLearner():
            ServerMetrics.getMetrics().REQUESTS_NOT_FORWARDED_TO_COMMIT_PROCESSOR.add(1)
            return False
        return True
