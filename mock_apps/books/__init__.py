"""Books: a QuickBooks-Online-like double-entry bookkeeping app (UI + QuickBooks Online API v3 subset).

The scenario company's realm id (Meridian Supply Co.) is 9341452298761234: the API lives under
`/v3/company/9341452298761234/`; any other realm gets QuickBooks' authorization fault.
"""

from __future__ import annotations

from mock_apps.core.app import AppSpec, create_mock_app


def _metadata():
    from mock_apps.books import models

    return models.BooksModel.metadata


def _seed(db, scenario):
    from mock_apps.books import seed

    seed.seed(db, scenario)


def _blueprints():
    from mock_apps.books import api, views

    return [views.bp, api.bp]


def _api_error(error):
    from mock_apps.books import api

    return api.error_response(error)


SPEC = AppSpec(
    name="books", title="Books", port_offset=4,
    metadata=_metadata, seed=_seed, blueprints=_blueprints,
    api_prefixes=("/v3/",), api_error=_api_error, home_endpoint="books.dashboard",
)


def create_app(config: dict | None = None):
    """The books Flask app."""
    return create_mock_app(SPEC, config)
