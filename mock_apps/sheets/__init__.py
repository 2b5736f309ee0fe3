"""Sheets: a spreadsheet app with Excel formula semantics and a Google Sheets API v4 subset."""

from __future__ import annotations

from mock_apps.core.app import AppSpec, create_mock_app


def _metadata():
    from mock_apps.sheets import models
    return models.SheetsModel.metadata


def _seed(db, scenario) -> None:
    from mock_apps.sheets import seed
    seed.seed(db, scenario)


def _blueprints():
    from mock_apps.sheets import api, views
    return [views.bp, api.bp]


def _api_error(error):
    from mock_apps.sheets import api
    return api.error_response(error)


SPEC = AppSpec(
    name="sheets", title="Sheets", port_offset=3,
    metadata=_metadata,
    seed=_seed,
    blueprints=_blueprints,
    api_prefixes=("/v4/",),
    api_error=_api_error,
    home_endpoint="sheets.workbooks",
)


def create_app(config=None):
    """The Sheets Flask app."""
    return create_mock_app(SPEC, config)
