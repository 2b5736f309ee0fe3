"""Sheets: a spreadsheet app with Excel formula semantics and a Google Sheets API v4 subset."""

from __future__ import annotations

from mock_apps.core.app import AppSpec, create_mock_app


SPEC = AppSpec(
    name="sheets", title="Sheets",
    description="Spreadsheets with Excel formulas, XLSX import and export.",
    openapi_path="/v4/openapi.json",
    metadata="mock_apps.sheets.models:SheetsModel.metadata",
    seed="mock_apps.sheets.seed:seed",
    blueprints=("mock_apps.sheets.views:bp", "mock_apps.sheets.api:bp"),
    api_prefixes=("/v4/",),
    api_error="mock_apps.sheets.api:error_response",
    home_endpoint="sheets.workbooks",
)


def create_app(config=None):
    """The Sheets Flask app."""
    return create_mock_app(SPEC, config)
