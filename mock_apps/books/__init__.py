"""Books: a QuickBooks-Online-like double-entry bookkeeping app (UI + QuickBooks Online API v3 subset).

The scenario company's realm id (Meridian Supply Co.) is 9341452298761234: the API lives under
`/v3/company/9341452298761234/`; any other realm gets QuickBooks' authorization fault.
"""

from __future__ import annotations

from mock_apps.core.app import AppSpec, create_mock_app


SPEC = AppSpec(
    name="books", title="Books",
    description="QuickBooks-like bookkeeping: bills, invoices, banking, reports.",
    openapi_path="/v3/openapi.json",
    metadata="mock_apps.books.models:BooksModel.metadata",
    seed="mock_apps.books.seed:seed",
    blueprints=("mock_apps.books.views:bp", "mock_apps.books.api:bp"),
    api_prefixes=("/v3/",),
    api_error="mock_apps.books.api:error_response",
    home_endpoint="books.dashboard",
)


def create_app(config: dict | None = None):
    """The books Flask app."""
    return create_mock_app(SPEC, config)
