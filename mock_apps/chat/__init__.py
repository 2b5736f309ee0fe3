"""Chat: a Slack-like app (workspace UI + Slack Web API subset) over the shared core.

Authentication for the Web API (`/api/<method>`, optionally under `/w/<world>/`): send
`Authorization: Bearer xoxp-<handle>` (or a `token` parameter), where `<handle>` is a world user's
handle, e.g. `xoxp-dana.whitfield` for the scenario's accountant. Tokens are deterministic, so
`slack_sdk.WebClient(token="xoxp-dana.whitfield", base_url="http://host:8002/w/<world>/api/")` works
against any world. A missing token gives `not_authed`, an unknown one `invalid_auth`.

The UI acts as the scenario's mailbox owner (facts.mailbox_owner) unless the user switcher in the
header (cookie `chatuser`) picks another person.
"""

from __future__ import annotations

from mock_apps.core.app import AppSpec, create_mock_app

TOKEN_PREFIX = "xoxp-"


SPEC = AppSpec(
    name="chat", title="Chat",
    description="Slack-like workspace: channels, DMs, threads, files.",
    openapi_path="/api/openapi.json",
    metadata="mock_apps.chat.models:ChatModel.metadata",
    seed="mock_apps.chat.seed:seed",
    blueprints=("mock_apps.chat.views:bp", "mock_apps.chat.api:bp"),
    api_prefixes=("/api/", "/upload/"),
    api_error="mock_apps.chat.api:error_response",
    home_endpoint="chat.home",
)


def create_app(config: dict | None = None):
    """The chat Flask app."""
    return create_mock_app(SPEC, config)
