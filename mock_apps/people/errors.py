"""People's errors: a message a Workday user would read, and the field it is about."""

from __future__ import annotations

from mock_apps.core.errors import MockAppsError


class PeopleError(MockAppsError):
    """A rule of People refused the request; `field` names the input at fault (or None)."""

    def __init__(self, message: str, *, field: str | None = None, status: int = 400, code: str = "invalid"):
        super().__init__(message, status=status, code=code)
        self.field = field


def not_found(what: str, ident: str) -> PeopleError:
    """The error for an id that names nothing."""
    return PeopleError(f"There is no {what} with id {str(ident)[:60]!r}.", status=404, code="not_found")
