"""Data access: the only package that imports SQLAlchemy or runs a query.

Each repository maps rows to the domain dataclasses of :mod:`blog.types.domain` and back;
no ORM object leaves this package. Soft-deleted rows (``deleted_at`` set) are invisible to
every read.
"""
