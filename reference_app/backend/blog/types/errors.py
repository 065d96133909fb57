"""The errors of the domain. Services and repositories raise them; the error-handling
middleware (:mod:`blog.middleware.errors`) turns each kind into an HTTP status. They know
nothing of HTTP themselves, so a CLI or a queue worker can catch them too."""

from __future__ import annotations

from uuid import UUID


class DomainError(Exception):
    """Base class. ``code`` is a stable, machine-readable name for API clients."""

    code = "domain_error"


class NotFoundError(DomainError):
    code = "not_found"

    def __init__(self, resource: str, resource_id: UUID) -> None:
        super().__init__(f"{resource} {resource_id} not found")
        self.resource = resource
        self.resource_id = resource_id


class PermissionDeniedError(DomainError):
    code = "permission_denied"


class ConflictError(DomainError):
    code = "conflict"


class AuthenticationError(DomainError):
    """Missing, wrong or expired credentials or tokens."""

    code = "not_authenticated"
