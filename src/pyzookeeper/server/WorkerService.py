"""Mirrors org.apache.zookeeper.server.WorkerService: a pool of worker threads,
either one shared N-thread pool or N assignable single-thread pools.

Each Java ExecutorService is a queue served by daemon threads named
``<name>Thread-<n>`` as Java's DaemonThreadFactory names them.
"""

from __future__ import annotations

import logging
import queue
import threading

from pyzookeeper.common import Time

LOG = logging.getLogger(__name__)


class WorkerService:
    class WorkRequest:
        """Work to schedule; ``cleanup`` runs instead when the service is stopped."""

        __slots__ = ()

        def doWork(self) -> None:
            raise NotImplementedError

        def cleanup(self) -> None:
            pass

    class _Executor:
        """One fixed-size thread pool (Java's ``Executors.newFixedThreadPool``)."""

        def __init__(self, service: "WorkerService", namePrefix: str, firstThreadNum: int,
                     numThreads: int) -> None:
            self.service = service
            self.tasks: queue.SimpleQueue = queue.SimpleQueue()
            self.isShutdown = False
            self.discard = False
            self.threads = [
                threading.Thread(target=self.run, name=f"{namePrefix}-{firstThreadNum + i}", daemon=True)
                for i in range(numThreads)
            ]
            for t in self.threads:
                t.start()

        def execute(self, workRequest: "WorkerService.WorkRequest") -> bool:
            if self.isShutdown:
                return False
            self.tasks.put(workRequest)
            return True

        def run(self) -> None:
            tasks = self.tasks
            service = self.service
            while True:
                workRequest = tasks.get()
                if workRequest is None:
                    return
                if self.discard:
                    continue
                try:
                    if service.stopped:
                        workRequest.cleanup()
                        continue
                    workRequest.doWork()
                except Exception as e:
                    LOG.warning("Unexpected exception", exc_info=e)
                    workRequest.cleanup()

        def shutdown(self) -> None:
            if not self.isShutdown:
                self.isShutdown = True
                for _ in self.threads:
                    self.tasks.put(None)

        def awaitTermination(self, timeoutMS: int) -> bool:
            deadline = Time.currentElapsedTime() + timeoutMS
            for t in self.threads:
                remaining = deadline - Time.currentElapsedTime()
                if remaining > 0:
                    t.join(remaining / 1000.0)
            return not any(t.is_alive() for t in self.threads)

        def shutdownNow(self) -> None:
            self.discard = True
            self.shutdown()

    def __init__(self, name: str | None, numThreads: int, useAssignableThreads: bool) -> None:
        self.threadNamePrefix = (name or "") + "Thread"
        self.numWorkerThreads = numThreads
        self.threadsAreAssignable = useAssignableThreads
        self.workers: list[WorkerService._Executor] = []
        self.stopped = True
        self.start()

    def schedule(self, workRequest: "WorkerService.WorkRequest", id: int = 0) -> None:
        """Runs ``workRequest`` on a pool thread (the one assigned to ``id`` for
        assignable pools), or right here when there are no worker threads."""
        if self.stopped:
            workRequest.cleanup()
            return
        workers = self.workers
        size = len(workers)
        if size > 0:
            if not workers[id % size].execute(workRequest):
                LOG.warning("ExecutorService rejected execution")
                workRequest.cleanup()
        else:
            try:
                workRequest.doWork()
            except Exception as e:
                LOG.warning("Unexpected exception", exc_info=e)
                workRequest.cleanup()

    def start(self) -> None:
        if self.numWorkerThreads > 0:
            if self.threadsAreAssignable:
                for i in range(1, self.numWorkerThreads + 1):
                    self.workers.append(WorkerService._Executor(self, self.threadNamePrefix, i, 1))
            else:
                self.workers.append(
                    WorkerService._Executor(self, self.threadNamePrefix, 1, self.numWorkerThreads))
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True
        for worker in self.workers:
            worker.shutdown()

    def join(self, shutdownTimeoutMS: int) -> None:
        endTime = Time.currentElapsedTime() + shutdownTimeoutMS
        for worker in self.workers:
            if not worker.awaitTermination(max(0, endTime - Time.currentElapsedTime())):
                worker.shutdownNow()
