"""CommitProcessor: writes wait for their commit and leave in commit order,
reads of other sessions run meanwhile on the worker threads, a session's
requests never overtake each other, and no read runs while a write is
applied. Random workloads with local and remote commits check the
invariants; a few cases check the thread names and properties."""

from __future__ import annotations

import random
import threading

import pytest

from javaref import wait_for

from pyzookeeper import system_properties
from pyzookeeper.server.Request import Request
from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.quorum.CommitProcessor import CommitProcessor
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.ZooDefs import OpCode


class Listener:
    def __init__(self) -> None:
        self.stopping: list[str] = []

    def notifyStopping(self, threadName: str, errorCode: int) -> None:
        self.stopping.append(threadName)


class Recorder(RequestProcessor):
    """The next processor: records what arrives, on which thread, and checks
    that a write never overlaps a read."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.out: list[Request] = []
        self.threads: set[str] = set()
        self.reading = 0
        self.overlaps = 0
        self.shut = False

    def processRequest(self, request: Request) -> None:
        write = request.getHdr() is not None
        with self.lock:
            if write and self.reading:
                self.overlaps += 1
            if not write:
                self.reading += 1
            self.threads.add(threading.current_thread().name)
        if not write:
            # let other threads run while this read is "processed"
            threading.Event().wait(0.0001)
        with self.lock:
            if not write:
                self.reading -= 1
            self.out.append(request)

    def shutdown(self) -> None:
        self.shut = True


def read(session: int, cxid: int) -> Request:
    return Request(None, session, cxid, OpCode.getData, b"", None)


def write(session: int, cxid: int) -> Request:
    return Request(None, session, cxid, OpCode.setData, b"", None)


def committed(request: Request, zxid: int) -> Request:
    """What the leader hands to commit(): a request carrying the txn header."""
    c = Request(None, request.sessionId, request.cxid, request.type, b"", None)
    c.setHdr(TxnHeader(request.sessionId, request.cxid, zxid, 0, request.type))
    c.zxid = zxid
    return c


@pytest.fixture
def processor_factory():
    made: list[CommitProcessor] = []

    def make(workers: int, matchSyncs: bool = True, **props) -> tuple[CommitProcessor, Recorder]:
        system_properties.setProperty(CommitProcessor.ZOOKEEPER_COMMIT_PROC_NUM_WORKER_THREADS, str(workers))
        for k, v in props.items():
            system_properties.setProperty(k, str(v))
        try:
            recorder = Recorder()
            cp = CommitProcessor(recorder, "7", matchSyncs, Listener())
            cp.start()
        finally:
            system_properties.clearProperty(CommitProcessor.ZOOKEEPER_COMMIT_PROC_NUM_WORKER_THREADS)
            for k in props:
                system_properties.clearProperty(k)
        made.append(cp)
        return cp, recorder

    yield make
    for cp in made:
        cp.shutdown()
        cp.join(10)
    CommitProcessor.initBatchSizes()


@pytest.mark.parametrize("workers", [0, 1, 3])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_workload_keeps_session_and_commit_order(processor_factory, workers, seed):
    cp, recorder = processor_factory(workers)
    rng = random.Random(seed)
    sessions = list(range(1, 9))
    cxids = {s: 0 for s in sessions}
    submitted: dict[int, list[int]] = {s: [] for s in sessions}
    pending_writes: list[Request] = []
    commit_order: list[tuple[int, int]] = []
    zxid = 0
    remote = 1000
    for _ in range(1500):
        roll = rng.random()
        if roll < 0.55:
            s = rng.choice(sessions)
            cxids[s] += 1
            cp.processRequest(read(s, cxids[s]))
            submitted[s].append(cxids[s])
        elif roll < 0.8:
            s = rng.choice(sessions)
            cxids[s] += 1
            w = write(s, cxids[s])
            cp.processRequest(w)
            submitted[s].append(cxids[s])
            pending_writes.append(w)
        elif roll < 0.95 and pending_writes:
            # commits arrive in the order the writes were sent to the leader
            w = pending_writes.pop(0)
            zxid += 1
            cp.commit(committed(w, zxid))
            commit_order.append((w.sessionId, w.cxid))
        else:
            # a write of a client of another server
            zxid += 1
            remote += 1
            cp.commit(committed(write(remote, 1), zxid))
            commit_order.append((remote, 1))
    for w in pending_writes:
        zxid += 1
        cp.commit(committed(w, zxid))
        commit_order.append((w.sessionId, w.cxid))
    total = sum(len(v) for v in submitted.values()) + (remote - 1000)
    wait_for(lambda: len(recorder.out) == total, timeout=30, what="every request to come out")
    with recorder.lock:
        out = list(recorder.out)
    for s in sessions:
        assert [r.cxid for r in out if r.sessionId == s] == submitted[s]
    writes_out = [(r.sessionId, r.cxid) for r in out if r.getHdr() is not None]
    assert writes_out == commit_order
    assert [r.zxid for r in out if r.getHdr() is not None] == sorted(r.zxid for r in out if r.getHdr() is not None)
    assert recorder.overlaps == 0


def test_reads_of_other_sessions_pass_a_write_waiting_for_its_commit(processor_factory):
    cp, recorder = processor_factory(2)
    w = write(1, 1)
    cp.processRequest(w)
    cp.processRequest(read(1, 2))
    cp.processRequest(read(2, 1))
    cp.processRequest(read(3, 1))
    wait_for(lambda: {(r.sessionId, r.cxid) for r in recorder.out} == {(2, 1), (3, 1)}, timeout=10)
    # session 1's read waits behind its own write
    cp.commit(committed(w, 1))
    wait_for(lambda: len(recorder.out) == 4, timeout=10)
    assert [(r.sessionId, r.cxid) for r in recorder.out[2:]] == [(1, 1), (1, 2)]
    assert recorder.out[2].zxid == 1 and recorder.out[2].getHdr().zxid == 1


def test_local_request_object_carries_the_commit(processor_factory):
    """The local request (with its connection) is passed on, updated with the
    committed header, txn, digest and zxid."""
    cp, recorder = processor_factory(1)
    w = write(5, 9)
    cp.processRequest(w)
    c = committed(w, 0x100000007)
    cp.commit(c)
    wait_for(lambda: recorder.out, timeout=10)
    assert recorder.out[0] is w
    assert w.zxid == 0x100000007 and w.getHdr() is c.getHdr()


def test_worker_threads_and_main_thread_names(processor_factory):
    cp, recorder = processor_factory(3)
    assert cp.name == "CommitProcessor:7"
    for s in range(1, 7):
        cp.processRequest(read(s, 1))
    wait_for(lambda: len(recorder.out) == 6, timeout=10)
    assert recorder.threads == {f"CommitProcWorkThread-{(s % 3) + 1}" for s in range(1, 7)}
    names = {t.name for t in threading.enumerate()}
    assert {"CommitProcWorkThread-1", "CommitProcWorkThread-2", "CommitProcWorkThread-3"} <= names


def test_no_worker_threads_runs_reads_on_the_processor_thread(processor_factory):
    cp, recorder = processor_factory(0)
    cp.processRequest(read(1, 1))
    wait_for(lambda: recorder.out, timeout=10)
    assert recorder.threads == {"CommitProcessor:7"}


def test_syncs_wait_for_a_commit_only_when_matched(processor_factory):
    learner_cp, learner_out = processor_factory(1, matchSyncs=True)
    leader_cp, leader_out = processor_factory(1, matchSyncs=False)
    for cp in (learner_cp, leader_cp):
        cp.processRequest(Request(None, 1, 1, OpCode.sync, b"", None))
    wait_for(lambda: leader_out.out, timeout=10)
    assert not learner_out.out
    sync = Request(None, 1, 1, OpCode.sync, b"", None)
    learner_cp.commit(sync)
    wait_for(lambda: learner_out.out, timeout=10)


def test_local_sessions_are_not_committed(processor_factory):
    cp, recorder = processor_factory(1)
    local = Request(None, 1, 0, OpCode.createSession, b"\0\0\0\1", None)
    local.setLocalSession(True)
    assert not cp.needCommit(local)
    assert cp.needCommit(Request(None, 1, 0, OpCode.createSession, b"\0\0\0\1", None))
    cp.processRequest(local)
    wait_for(lambda: recorder.out, timeout=10)


def test_batch_size_properties(processor_factory):
    processor_factory(1, **{CommitProcessor.ZOOKEEPER_COMMIT_PROC_MAX_READ_BATCH_SIZE: 5,
                            CommitProcessor.ZOOKEEPER_COMMIT_PROC_MAX_COMMIT_BATCH_SIZE: 3})
    assert (CommitProcessor.getMaxReadBatchSize(), CommitProcessor.getMaxCommitBatchSize()) == (5, 3)
    with pytest.raises(ValueError, match="maxCommitBatchSize must be positive, was 0"):
        processor_factory(1, **{CommitProcessor.ZOOKEEPER_COMMIT_PROC_MAX_COMMIT_BATCH_SIZE: 0})


@pytest.mark.parametrize("batches", [(10, 4), (0, 1), (-1, 50)])
def test_batched_reads_and_commits_keep_the_order(processor_factory, batches):
    readBatch, commitBatch = batches
    cp, recorder = processor_factory(2, **{CommitProcessor.ZOOKEEPER_COMMIT_PROC_MAX_READ_BATCH_SIZE: readBatch,
                                           CommitProcessor.ZOOKEEPER_COMMIT_PROC_MAX_COMMIT_BATCH_SIZE: commitBatch})
    writes = []
    for i in range(1, 201):
        w = write(i % 4, i)
        writes.append(w)
        cp.processRequest(w)
        cp.processRequest(read(i % 4, 1000 + i))
    for zxid, w in enumerate(writes, 1):
        cp.commit(committed(w, zxid))
    wait_for(lambda: len(recorder.out) == 400, timeout=30)
    for s in range(4):
        assert [r.cxid for r in recorder.out if r.sessionId == s] == \
            [c for i in range(1, 201) if i % 4 == s for c in (i, 1000 + i)]
    assert [r.zxid for r in recorder.out if r.getHdr() is not None] == list(range(1, 201))
    assert recorder.overlaps == 0


def test_shutdown_stops_the_threads_and_the_next_processor(processor_factory):
    cp, recorder = processor_factory(2)
    cp.processRequest(read(1, 1))
    wait_for(lambda: recorder.out, timeout=10)
    cp.shutdown()
    cp.join(10)
    assert not cp.is_alive()
    assert recorder.shut
    cp.processRequest(read(1, 2))
    assert len(recorder.out) == 1
