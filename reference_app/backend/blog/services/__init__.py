"""Use cases: the business rules, free of HTTP and of SQL.

Services receive their collaborators (a unit of work, a clock, a job queue...) through their
constructors, typed by the protocols of :mod:`blog.types.protocols`; they import no web
framework and no database library, and are tested with plain calls against in-memory fakes.
"""
