"""People: a Workday-like HR and expenses app (worker experience UI + Workday REST conventions) over the core.

The REST API lives under `/ccx/api/<service>/v<n>/<tenant>/...` (the tenant is the scenario company's slug,
`meridian`). Authentication: `Authorization: Bearer <token>`; a token `wd-<worker key>` (e.g.
`wd-marcus.reyes`) acts as that worker, any other non-empty token as the scenario's accountant.
The UI acts as the scenario's accountant unless "Acting as" in the header (cookie `peopleuser`) picks another.
"""

from __future__ import annotations

from mock_apps.core.app import AppSpec, create_mock_app

TOKEN_PREFIX = "wd-"

SPEC = AppSpec(
    name="people", title="People",
    description="Workday-like HR and expenses: workers, expense reports, time off, timesheets, payroll.",
    openapi_path="/ccx/api/openapi.json",
    metadata="mock_apps.people.models:PeopleModel.metadata",
    seed="mock_apps.people.seed:seed",
    blueprints=("mock_apps.people.views:bp", "mock_apps.people.api:bp"),
    api_prefixes=("/ccx/",),
    api_error="mock_apps.people.api:error_response",
    home_endpoint="people.home",
)


def create_app(config: dict | None = None):
    """The People Flask app."""
    return create_mock_app(SPEC, config)
