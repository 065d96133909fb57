"""The default queue backend: jobs run on a worker thread of the web process.

Good enough for development and small deployments: the request answers at once and the job
runs right after. Jobs still queued when the process dies are lost, so a deployment that
cannot lose them implements :class:`blog.queue.jobs.JobQueue` over a broker (RQ, Celery,
Dramatiq, SQS): the services do not change, only the object the composition root builds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from blog.queue.jobs import Job

JobHandler = Callable[[Job], None]

logger = logging.getLogger(__name__)


class InProcessJobQueue:
    def __init__(self, handlers: Mapping[type[Job], JobHandler], workers: int = 1) -> None:
        self._handlers = dict(handlers)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jobs")

    def enqueue(self, job: Job) -> None:
        handler = self._handlers.get(type(job))
        if handler is None:
            raise LookupError(f"no handler for {type(job).__name__}")
        logger.info("job enqueued", extra={"job": type(job).__name__})
        self._executor.submit(self._run, handler, job)

    def shutdown(self) -> None:
        """Wait for the queued jobs to finish; called when the app shuts down."""
        self._executor.shutdown(wait=True)

    @staticmethod
    def _run(handler: JobHandler, job: Job) -> None:
        try:
            handler(job)
        except Exception:
            logger.exception("job failed", extra={"job": type(job).__name__})
        else:
            logger.info("job done", extra={"job": type(job).__name__})
