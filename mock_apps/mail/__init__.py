"""Mail: a Gmail-like app (UI + Gmail API v1 subset) over the shared core."""

from __future__ import annotations

from mock_apps.core.app import AppSpec, create_mock_app


def _metadata():
    from mock_apps.mail import models

    return models.MailModel.metadata


def _seed(db, scenario):
    from mock_apps.mail import seed

    seed.seed(db, scenario)


def _blueprints():
    from mock_apps.mail import api, views

    return [views.bp, api.bp]


def _extra_ddl():
    from mock_apps.mail import models

    return list(models.FTS_DDL)


def _api_error(error):
    from mock_apps.mail import api

    return api.error_response(error)


SPEC = AppSpec(
    name="mail", title="Mail", port_offset=1,
    metadata=_metadata, seed=_seed, blueprints=_blueprints, extra_ddl=_extra_ddl,
    api_prefixes=("/gmail/", "/upload/gmail/"), api_error=_api_error, home_endpoint="mail.inbox",
)


def create_app(config: dict | None = None):
    """The mail Flask app."""
    return create_mock_app(SPEC, config)
