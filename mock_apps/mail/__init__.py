"""Mail: a Gmail-like app (UI + Gmail API v1 subset) over the shared core."""

from __future__ import annotations

from mock_apps.core.app import AppSpec, create_mock_app


SPEC = AppSpec(
    name="mail", title="Mail",
    description="Gmail-like mailbox: threads, labels, search, attachments.",
    openapi_path="/gmail/v1/openapi.json",
    metadata="mock_apps.mail.models:MailModel.metadata",
    seed="mock_apps.mail.seed:seed",
    blueprints=("mock_apps.mail.views:bp", "mock_apps.mail.api:bp"),
    extra_ddl="mock_apps.mail.models:FTS_DDL",
    api_prefixes=("/gmail/", "/upload/gmail/"),
    api_error="mock_apps.mail.api:error_response",
    home_endpoint="mail.inbox",
)


def create_app(config: dict | None = None):
    """The mail Flask app."""
    return create_mock_app(SPEC, config)
