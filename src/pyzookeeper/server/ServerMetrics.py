"""Mirrors org.apache.zookeeper.server.ServerMetrics: every server-side metric, by its Java name.

Use: ``ServerMetrics.getMetrics().SNAPSHOT_TIME.add(elapsed)``. Until the server boots its
configured provider (``metricsProviderInitialized``), the metrics live in a
DefaultMetricsProvider, as in Java.
"""

from __future__ import annotations

import logging

from pyzookeeper.metrics.Counter import Counter
from pyzookeeper.metrics.CounterSet import CounterSet
from pyzookeeper.metrics.MetricsContext import DetailLevel
from pyzookeeper.metrics.MetricsProvider import MetricsProvider
from pyzookeeper.metrics.Summary import Summary
from pyzookeeper.metrics.SummarySet import SummarySet
from pyzookeeper.metrics.impl.DefaultMetricsProvider import DefaultMetricsProvider
from pyzookeeper.metrics.impl.NullMetricsProvider import NullMetricsProvider
from pyzookeeper.server.util import QuotaMetricsUtils

LOG = logging.getLogger(__name__)

BASIC = DetailLevel.BASIC
ADVANCED = DetailLevel.ADVANCED


class ServerMetrics:
    NULL_METRICS: ServerMetrics
    """Backed by the NullMetricsProvider; records nothing (for tests)."""
    DEFAULT_METRICS_FOR_TESTS: ServerMetrics
    """Backed by a DefaultMetricsProvider; current until the server boots its provider."""
    CURRENT: ServerMetrics

    @staticmethod
    def getMetrics() -> ServerMetrics:
        return ServerMetrics.CURRENT

    @staticmethod
    def metricsProviderInitialized(metricsProvider: MetricsProvider) -> None:
        LOG.info("ServerMetrics initialized with provider %s", metricsProvider)
        ServerMetrics.CURRENT = ServerMetrics(metricsProvider)

    __slots__ = (
        "metricsProvider",
        "FSYNC_TIME", "SNAPSHOT_TIME", "DB_INIT_TIME", "READ_LATENCY", "UPDATE_LATENCY",
        "PROPAGATION_LATENCY", "FOLLOWER_SYNC_TIME", "OBSERVER_SYNC_TIME", "ELECTION_TIME",
        "LOOKING_COUNT", "DIFF_COUNT", "SNAP_COUNT", "COMMIT_COUNT", "CONNECTION_REQUEST_COUNT",
        "CONNECTION_TOKEN_DEFICIT", "CONNECTION_REJECTED", "INFLIGHT_SNAP_COUNT",
        "INFLIGHT_DIFF_COUNT", "WRITE_PER_NAMESPACE", "READ_PER_NAMESPACE",
        "BYTES_RECEIVED_COUNT", "UNRECOVERABLE_ERROR_COUNT", "NODE_CREATED_WATCHER",
        "NODE_DELETED_WATCHER", "NODE_CHANGED_WATCHER", "NODE_CHILDREN_WATCHER",
        "ADD_DEAD_WATCHER_STALL_TIME", "DEAD_WATCHERS_QUEUED", "DEAD_WATCHERS_CLEARED",
        "DEAD_WATCHERS_CLEANER_LATENCY", "RESPONSE_PACKET_CACHE_HITS",
        "RESPONSE_PACKET_CACHE_MISSING", "RESPONSE_PACKET_GET_CHILDREN_CACHE_HITS",
        "RESPONSE_PACKET_GET_CHILDREN_CACHE_MISSING", "ENSEMBLE_AUTH_SUCCESS",
        "ENSEMBLE_AUTH_FAIL", "ENSEMBLE_AUTH_SKIP", "PREP_PROCESSOR_QUEUE_TIME",
        "PREP_PROCESSOR_QUEUE_SIZE", "PREP_PROCESSOR_QUEUED", "OUTSTANDING_CHANGES_QUEUED",
        "OUTSTANDING_CHANGES_REMOVED", "PREP_PROCESS_TIME", "PROPOSAL_PROCESS_TIME",
        "CLOSE_SESSION_PREP_TIME", "REVALIDATE_COUNT", "CONNECTION_DROP_COUNT",
        "CONNECTION_REVALIDATE_COUNT", "SESSIONLESS_CONNECTIONS_EXPIRED",
        "STALE_SESSIONS_EXPIRED", "UNAVAILABLE_TIME", "LEADER_UNAVAILABLE_TIME",
        "REQUESTS_IN_SESSION_QUEUE", "PENDING_SESSION_QUEUE_SIZE",
        "READS_AFTER_WRITE_IN_SESSION_QUEUE", "READ_ISSUED_FROM_SESSION_QUEUE",
        "SESSION_QUEUES_DRAINED", "TIME_WAITING_EMPTY_POOL_IN_COMMIT_PROCESSOR_READ",
        "WRITE_BATCH_TIME_IN_COMMIT_PROCESSOR", "CONCURRENT_REQUEST_PROCESSING_IN_COMMIT_PROCESSOR",
        "READS_QUEUED_IN_COMMIT_PROCESSOR", "WRITES_QUEUED_IN_COMMIT_PROCESSOR",
        "COMMITS_QUEUED_IN_COMMIT_PROCESSOR", "COMMITS_QUEUED", "READS_ISSUED_IN_COMMIT_PROC",
        "WRITES_ISSUED_IN_COMMIT_PROC", "THROTTLED_OPS", "READ_COMMITPROC_TIME",
        "WRITE_COMMITPROC_TIME", "LOCAL_WRITE_COMMITTED_TIME", "SERVER_WRITE_COMMITTED_TIME",
        "COMMIT_PROCESS_TIME", "OM_PROPOSAL_PROCESS_TIME", "OM_COMMIT_PROCESS_TIME",
        "READ_FINAL_PROC_TIME", "WRITE_FINAL_PROC_TIME", "PROPOSAL_LATENCY",
        "PROPOSAL_ACK_CREATION_LATENCY", "COMMIT_PROPAGATION_LATENCY",
        "LEARNER_PROPOSAL_RECEIVED_COUNT", "LEARNER_COMMIT_RECEIVED_COUNT",
        "LEARNER_HANDLER_QP_SIZE", "LEARNER_HANDLER_QP_TIME", "STARTUP_TXNS_LOADED",
        "STARTUP_TXNS_LOAD_TIME", "STARTUP_SNAP_LOAD_TIME", "SYNC_PROCESSOR_QUEUE_AND_FLUSH_TIME",
        "SYNC_PROCESSOR_QUEUE_SIZE", "SYNC_PROCESSOR_QUEUED", "SYNC_PROCESSOR_QUEUE_TIME",
        "SYNC_PROCESSOR_FLUSH_TIME", "SYNC_PROCESS_TIME", "BATCH_SIZE", "QUORUM_ACK_LATENCY",
        "ACK_LATENCY", "PROPOSAL_COUNT", "QUIT_LEADING_DUE_TO_DISLOYAL_VOTER", "STALE_REQUESTS",
        "STALE_REQUESTS_DROPPED", "STALE_REPLIES", "REQUEST_THROTTLE_QUEUE_TIME",
        "REQUEST_THROTTLE_WAIT_COUNT", "LARGE_REQUESTS_REJECTED", "NETTY_QUEUED_BUFFER",
        "DIGEST_MISMATCHES_COUNT", "LEARNER_REQUEST_PROCESSOR_QUEUE_SIZE",
        "UNSUCCESSFUL_HANDSHAKE", "INSECURE_ADMIN", "TLS_HANDSHAKE_EXCEEDED",
        "CNXN_CLOSED_WITHOUT_ZK_SERVER_RUNNING", "SKIP_LEARNER_REQUEST_TO_NEXT_PROCESSOR_COUNT",
        "SOCKET_CLOSING_TIME", "REQUESTS_NOT_FORWARDED_TO_COMMIT_PROCESSOR", "RESPONSE_BYTES",
        "WATCH_BYTES", "JVM_PAUSE_TIME", "QUOTA_EXCEEDED_ERROR_PER_NAMESPACE",
    )

    def __init__(self, metricsProvider: MetricsProvider) -> None:
        self.metricsProvider = metricsProvider
        ctx = metricsProvider.getRootContext()

        # Persistence and request latency.
        self.FSYNC_TIME: Summary = ctx.getSummary("fsynctime", BASIC)
        self.SNAPSHOT_TIME: Summary = ctx.getSummary("snapshottime", BASIC)
        self.DB_INIT_TIME: Summary = ctx.getSummary("dbinittime", BASIC)
        self.READ_LATENCY: Summary = ctx.getSummary("readlatency", ADVANCED)
        self.UPDATE_LATENCY: Summary = ctx.getSummary("updatelatency", ADVANCED)
        self.PROPAGATION_LATENCY: Summary = ctx.getSummary("propagation_latency", ADVANCED)
        self.FOLLOWER_SYNC_TIME: Summary = ctx.getSummary("follower_sync_time", BASIC)
        self.OBSERVER_SYNC_TIME: Summary = ctx.getSummary("observer_sync_time", BASIC)
        self.ELECTION_TIME: Summary = ctx.getSummary("election_time", BASIC)
        self.LOOKING_COUNT: Counter = ctx.getCounter("looking_count")
        self.DIFF_COUNT: Counter = ctx.getCounter("diff_count")
        self.SNAP_COUNT: Counter = ctx.getCounter("snap_count")
        self.COMMIT_COUNT: Counter = ctx.getCounter("commit_count")
        self.CONNECTION_REQUEST_COUNT: Counter = ctx.getCounter("connection_request_count")
        self.CONNECTION_TOKEN_DEFICIT: Summary = ctx.getSummary("connection_token_deficit", BASIC)
        self.CONNECTION_REJECTED: Counter = ctx.getCounter("connection_rejected")

        self.INFLIGHT_SNAP_COUNT: Summary = ctx.getSummary("inflight_snap_count", BASIC)
        self.INFLIGHT_DIFF_COUNT: Summary = ctx.getSummary("inflight_diff_count", BASIC)

        self.WRITE_PER_NAMESPACE: SummarySet = ctx.getSummarySet("write_per_namespace", BASIC)
        self.READ_PER_NAMESPACE: SummarySet = ctx.getSummarySet("read_per_namespace", BASIC)

        self.BYTES_RECEIVED_COUNT: Counter = ctx.getCounter("bytes_received_count")
        self.UNRECOVERABLE_ERROR_COUNT: Counter = ctx.getCounter("unrecoverable_error_count")

        # Watches fired, by event type.
        self.NODE_CREATED_WATCHER: Summary = ctx.getSummary("node_created_watch_count", BASIC)
        self.NODE_DELETED_WATCHER: Summary = ctx.getSummary("node_deleted_watch_count", BASIC)
        self.NODE_CHANGED_WATCHER: Summary = ctx.getSummary("node_changed_watch_count", BASIC)
        self.NODE_CHILDREN_WATCHER: Summary = ctx.getSummary("node_children_watch_count", BASIC)

        # The dead watcher listener.
        self.ADD_DEAD_WATCHER_STALL_TIME: Counter = ctx.getCounter("add_dead_watcher_stall_time")
        self.DEAD_WATCHERS_QUEUED: Counter = ctx.getCounter("dead_watchers_queued")
        self.DEAD_WATCHERS_CLEARED: Counter = ctx.getCounter("dead_watchers_cleared")
        self.DEAD_WATCHERS_CLEANER_LATENCY: Summary = ctx.getSummary(
            "dead_watchers_cleaner_latency", ADVANCED)

        # Response caches.
        self.RESPONSE_PACKET_CACHE_HITS: Counter = ctx.getCounter("response_packet_cache_hits")
        self.RESPONSE_PACKET_CACHE_MISSING: Counter = ctx.getCounter("response_packet_cache_misses")
        self.RESPONSE_PACKET_GET_CHILDREN_CACHE_HITS: Counter = ctx.getCounter(
            "response_packet_get_children_cache_hits")
        self.RESPONSE_PACKET_GET_CHILDREN_CACHE_MISSING: Counter = ctx.getCounter(
            "response_packet_get_children_cache_misses")

        # EnsembleAuthenticationProvider outcomes.
        self.ENSEMBLE_AUTH_SUCCESS: Counter = ctx.getCounter("ensemble_auth_success")
        self.ENSEMBLE_AUTH_FAIL: Counter = ctx.getCounter("ensemble_auth_fail")
        self.ENSEMBLE_AUTH_SKIP: Counter = ctx.getCounter("ensemble_auth_skip")

        # PrepRequestProcessor.
        self.PREP_PROCESSOR_QUEUE_TIME: Summary = ctx.getSummary("prep_processor_queue_time_ms", ADVANCED)
        self.PREP_PROCESSOR_QUEUE_SIZE: Summary = ctx.getSummary("prep_processor_queue_size", BASIC)
        self.PREP_PROCESSOR_QUEUED: Counter = ctx.getCounter("prep_processor_request_queued")
        self.OUTSTANDING_CHANGES_QUEUED: Counter = ctx.getCounter("outstanding_changes_queued")
        self.OUTSTANDING_CHANGES_REMOVED: Counter = ctx.getCounter("outstanding_changes_removed")
        self.PREP_PROCESS_TIME: Summary = ctx.getSummary("prep_process_time", BASIC)
        self.PROPOSAL_PROCESS_TIME: Summary = ctx.getSummary("proposal_process_time", BASIC)
        self.CLOSE_SESSION_PREP_TIME: Summary = ctx.getSummary("close_session_prep_time", ADVANCED)

        # Connections.
        self.REVALIDATE_COUNT: Counter = ctx.getCounter("revalidate_count")
        self.CONNECTION_DROP_COUNT: Counter = ctx.getCounter("connection_drop_count")
        self.CONNECTION_REVALIDATE_COUNT: Counter = ctx.getCounter("connection_revalidate_count")

        # Expiry queues.
        self.SESSIONLESS_CONNECTIONS_EXPIRED: Counter = ctx.getCounter("sessionless_connections_expired")
        self.STALE_SESSIONS_EXPIRED: Counter = ctx.getCounter("stale_sessions_expired")

        self.UNAVAILABLE_TIME: Summary = ctx.getSummary("unavailable_time", BASIC)
        self.LEADER_UNAVAILABLE_TIME: Summary = ctx.getSummary("leader_unavailable_time", BASIC)

        # CommitProcessor session queues.
        self.REQUESTS_IN_SESSION_QUEUE: Summary = ctx.getSummary("requests_in_session_queue", BASIC)
        self.PENDING_SESSION_QUEUE_SIZE: Summary = ctx.getSummary("pending_session_queue_size", BASIC)
        self.READS_AFTER_WRITE_IN_SESSION_QUEUE: Summary = ctx.getSummary(
            "reads_after_write_in_session_queue", BASIC)
        self.READ_ISSUED_FROM_SESSION_QUEUE: Summary = ctx.getSummary("reads_issued_from_session_queue", BASIC)
        self.SESSION_QUEUES_DRAINED: Summary = ctx.getSummary("session_queues_drained", BASIC)

        # CommitProcessor.
        self.TIME_WAITING_EMPTY_POOL_IN_COMMIT_PROCESSOR_READ: Summary = ctx.getSummary(
            "time_waiting_empty_pool_in_commit_processor_read_ms", BASIC)
        self.WRITE_BATCH_TIME_IN_COMMIT_PROCESSOR: Summary = ctx.getSummary(
            "write_batch_time_in_commit_processor", BASIC)
        self.CONCURRENT_REQUEST_PROCESSING_IN_COMMIT_PROCESSOR: Summary = ctx.getSummary(
            "concurrent_request_processing_in_commit_processor", BASIC)
        self.READS_QUEUED_IN_COMMIT_PROCESSOR: Summary = ctx.getSummary("read_commit_proc_req_queued", BASIC)
        self.WRITES_QUEUED_IN_COMMIT_PROCESSOR: Summary = ctx.getSummary("write_commit_proc_req_queued", BASIC)
        self.COMMITS_QUEUED_IN_COMMIT_PROCESSOR: Summary = ctx.getSummary("commit_commit_proc_req_queued", BASIC)
        self.COMMITS_QUEUED: Counter = ctx.getCounter("request_commit_queued")
        self.READS_ISSUED_IN_COMMIT_PROC: Summary = ctx.getSummary("read_commit_proc_issued", BASIC)
        self.WRITES_ISSUED_IN_COMMIT_PROC: Summary = ctx.getSummary("write_commit_proc_issued", BASIC)

        self.THROTTLED_OPS: Counter = ctx.getCounter("throttled_ops")

        self.READ_COMMITPROC_TIME: Summary = ctx.getSummary("read_commitproc_time_ms", ADVANCED)
        self.WRITE_COMMITPROC_TIME: Summary = ctx.getSummary("write_commitproc_time_ms", ADVANCED)
        self.LOCAL_WRITE_COMMITTED_TIME: Summary = ctx.getSummary("local_write_committed_time_ms", ADVANCED)
        self.SERVER_WRITE_COMMITTED_TIME: Summary = ctx.getSummary("server_write_committed_time_ms", ADVANCED)
        self.COMMIT_PROCESS_TIME: Summary = ctx.getSummary("commit_process_time", BASIC)

        # Observer master.
        self.OM_PROPOSAL_PROCESS_TIME: Summary = ctx.getSummary("om_proposal_process_time_ms", ADVANCED)
        self.OM_COMMIT_PROCESS_TIME: Summary = ctx.getSummary("om_commit_process_time_ms", ADVANCED)

        # FinalRequestProcessor time, measured in the CommitProcessor.
        self.READ_FINAL_PROC_TIME: Summary = ctx.getSummary("read_final_proc_time_ms", ADVANCED)
        self.WRITE_FINAL_PROC_TIME: Summary = ctx.getSummary("write_final_proc_time_ms", ADVANCED)

        # Quorum proposals and commits.
        self.PROPOSAL_LATENCY: Summary = ctx.getSummary("proposal_latency", ADVANCED)
        self.PROPOSAL_ACK_CREATION_LATENCY: Summary = ctx.getSummary("proposal_ack_creation_latency", ADVANCED)
        self.COMMIT_PROPAGATION_LATENCY: Summary = ctx.getSummary("commit_propagation_latency", ADVANCED)
        self.LEARNER_PROPOSAL_RECEIVED_COUNT: Counter = ctx.getCounter("learner_proposal_received_count")
        self.LEARNER_COMMIT_RECEIVED_COUNT: Counter = ctx.getCounter("learner_commit_received_count")

        # LearnerHandler packets, by packet type.
        self.LEARNER_HANDLER_QP_SIZE: SummarySet = ctx.getSummarySet("learner_handler_qp_size", BASIC)
        self.LEARNER_HANDLER_QP_TIME: SummarySet = ctx.getSummarySet("learner_handler_qp_time_ms", ADVANCED)

        # Startup.
        self.STARTUP_TXNS_LOADED: Summary = ctx.getSummary("startup_txns_loaded", BASIC)
        self.STARTUP_TXNS_LOAD_TIME: Summary = ctx.getSummary("startup_txns_load_time", BASIC)
        self.STARTUP_SNAP_LOAD_TIME: Summary = ctx.getSummary("startup_snap_load_time", BASIC)

        # SyncRequestProcessor.
        self.SYNC_PROCESSOR_QUEUE_AND_FLUSH_TIME: Summary = ctx.getSummary(
            "sync_processor_queue_and_flush_time_ms", ADVANCED)
        self.SYNC_PROCESSOR_QUEUE_SIZE: Summary = ctx.getSummary("sync_processor_queue_size", BASIC)
        self.SYNC_PROCESSOR_QUEUED: Counter = ctx.getCounter("sync_processor_request_queued")
        self.SYNC_PROCESSOR_QUEUE_TIME: Summary = ctx.getSummary("sync_processor_queue_time_ms", ADVANCED)
        self.SYNC_PROCESSOR_FLUSH_TIME: Summary = ctx.getSummary("sync_processor_queue_flush_time_ms", ADVANCED)
        self.SYNC_PROCESS_TIME: Summary = ctx.getSummary("sync_process_time", BASIC)
        self.BATCH_SIZE: Summary = ctx.getSummary("sync_processor_batch_size", BASIC)

        # Leader.
        self.QUORUM_ACK_LATENCY: Summary = ctx.getSummary("quorum_ack_latency", ADVANCED)
        self.ACK_LATENCY: SummarySet = ctx.getSummarySet("ack_latency", ADVANCED)
        self.PROPOSAL_COUNT: Counter = ctx.getCounter("proposal_count")
        self.QUIT_LEADING_DUE_TO_DISLOYAL_VOTER: Counter = ctx.getCounter("quit_leading_due_to_disloyal_voter")

        # Stale requests and request throttling.
        self.STALE_REQUESTS: Counter = ctx.getCounter("stale_requests")
        self.STALE_REQUESTS_DROPPED: Counter = ctx.getCounter("stale_requests_dropped")
        self.STALE_REPLIES: Counter = ctx.getCounter("stale_replies")
        self.REQUEST_THROTTLE_QUEUE_TIME: Summary = ctx.getSummary("request_throttle_queue_time_ms", ADVANCED)
        self.REQUEST_THROTTLE_WAIT_COUNT: Counter = ctx.getCounter("request_throttle_wait_count")
        self.LARGE_REQUESTS_REJECTED: Counter = ctx.getCounter("large_requests_rejected")

        self.NETTY_QUEUED_BUFFER: Summary = ctx.getSummary("netty_queued_buffer_capacity", BASIC)

        self.DIGEST_MISMATCHES_COUNT: Counter = ctx.getCounter("digest_mismatches_count")

        self.LEARNER_REQUEST_PROCESSOR_QUEUE_SIZE: Summary = ctx.getSummary(
            "learner_request_processor_queue_size", BASIC)

        # TLS and the admin port.
        self.UNSUCCESSFUL_HANDSHAKE: Counter = ctx.getCounter("unsuccessful_handshake")
        self.INSECURE_ADMIN: Counter = ctx.getCounter("insecure_admin_count")
        self.TLS_HANDSHAKE_EXCEEDED: Counter = ctx.getCounter("tls_handshake_exceeded")

        self.CNXN_CLOSED_WITHOUT_ZK_SERVER_RUNNING: Counter = ctx.getCounter(
            "cnxn_closed_without_zk_server_running")

        self.SKIP_LEARNER_REQUEST_TO_NEXT_PROCESSOR_COUNT: Counter = ctx.getCounter(
            "skip_learner_request_to_next_processor_count")

        self.SOCKET_CLOSING_TIME: Summary = ctx.getSummary("socket_closing_time", BASIC)

        self.REQUESTS_NOT_FORWARDED_TO_COMMIT_PROCESSOR: Counter = ctx.getCounter(
            "requests_not_forwarded_to_commit_processor")

        # Bytes written to clients.
        self.RESPONSE_BYTES: Counter = ctx.getCounter("response_bytes")
        self.WATCH_BYTES: Counter = ctx.getCounter("watch_bytes")

        self.JVM_PAUSE_TIME: Summary = ctx.getSummary("jvm_pause_time_ms", ADVANCED)

        self.QUOTA_EXCEEDED_ERROR_PER_NAMESPACE: CounterSet = ctx.getCounterSet(
            QuotaMetricsUtils.QUOTA_EXCEEDED_ERROR_PER_NAMESPACE)

    def resetAll(self) -> None:
        self.metricsProvider.resetAllValues()

    def getMetricsProvider(self) -> MetricsProvider:
        return self.metricsProvider


ServerMetrics.NULL_METRICS = ServerMetrics(NullMetricsProvider.INSTANCE)
ServerMetrics.DEFAULT_METRICS_FOR_TESTS = ServerMetrics(DefaultMetricsProvider())
ServerMetrics.CURRENT = ServerMetrics.DEFAULT_METRICS_FOR_TESTS
