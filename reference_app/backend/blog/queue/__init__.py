"""Background jobs: typed payloads, the queue protocol the services enqueue through, the
in-process backend, and the job handlers.

Services depend on :class:`blog.queue.jobs.JobQueue` and hand it a job dataclass; they never
call a broker's API (``.delay(...)``, ``q.enqueue(func, ...)``) with loose arguments. The
payload is a contract between the process that enqueues and the worker that runs it, so it
is defined once, here, and carries ids and plain values only.
"""
