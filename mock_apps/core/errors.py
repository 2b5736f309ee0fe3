"""The one exception root of mock_apps, with HTTP status and a machine-readable code."""

from __future__ import annotations


class MockAppsError(Exception):
    """A user-facing error: an actionable message, an HTTP status and a short code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None, **details):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.details = details

    def to_dict(self) -> dict:
        """The error as a JSON-able dict (control API and generic error bodies)."""
        return {"error": self.code, "message": self.message, **self.details}


class BadRequest(MockAppsError):
    """The request is malformed or names something invalid."""


class NotFound(MockAppsError):
    """The thing named does not exist."""

    status = 404
    code = "not_found"


class Conflict(MockAppsError):
    """The request conflicts with the current state (stale version, duplicate name)."""

    status = 409
    code = "conflict"


class Forbidden(MockAppsError):
    """The caller may not do this."""

    status = 403
    code = "forbidden"


class Unauthorized(MockAppsError):
    """The caller must authenticate (for example the control API's bearer token)."""

    status = 401
    code = "unauthorized"


class ChangeOutsideOperation(MockAppsError):
    """A programming error: state was flushed outside db.operation(...)."""

    status = 500
    code = "change_outside_operation"
