"""A generated company's world opens in the browser: each app's first page shows that company's own names."""

import os

import pytest
from playwright.sync_api import expect

from mock_apps.core.world import WorldRegistry
from mock_apps.scenarios import get_scenario

pytestmark = pytest.mark.slow
COMPANY = "agency-1"


def test_every_app_opens_on_a_generated_company(page, sandbox):
    world_id = f"gen-browser-{os.getpid()}"
    WorldRegistry.for_settings(sandbox.settings).reset(world_id, COMPANY)
    facts = get_scenario(COMPANY).facts
    page.context.add_cookies([{"name": "mockworld", "value": world_id, "url": sandbox.url("portal")}])
    page.set_default_timeout(15_000)
    phish = next(e for e in facts.events if e.kind == "bank_change_request")
    expected = {
        "mail": f"URGENT: Updated remittance details for {facts.vendor(phish.actor).name}",
        "chat": "ap-approvals",
        "sheets": "AP Reconciliation March 2026",
        "books": facts.company.name,
        "people": f"{facts.person(facts.expense_reports[0].submitted_by).name} submitted",
    }
    for app, text in expected.items():
        response = page.goto(sandbox.url(app) + "/")
        assert response.ok, app
        expect(page.get_by_text(text).first).to_be_visible()
    assert "Meridian" not in page.content()
