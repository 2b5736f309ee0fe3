"""What every template of a scenario shares: today, the accountant whose seat the apps show, the controller,
the operating bank account, the close workbooks, the mail domain of sent messages and the controller's DM."""

from __future__ import annotations

from typing import Any

from mock_apps.chat.ids import slack_id
from mock_apps.scenarios import checklist
from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import MissingFact


def company(facts: Facts) -> dict[str, Any]:
    """The scenario-wide parameters every template may use (`${today}`, `${owner}`, `${controller}` ...)."""
    owner = facts.owner
    controller_key = facts.roles.get("controller") or owner.manager_key  # roles name it; else the owner's manager
    if controller_key is None:
        raise MissingFact(f"a controller (roles['controller'], or the mailbox owner {owner.key}'s manager)")
    controller = facts.person(controller_key)
    bank = next((a for a in facts.accounts if a.type == "Bank"), None)
    if bank is None:
        raise MissingFact("a Bank account in the chart of accounts")
    month = f"{facts.now:%B %Y}"
    return {
        "today": facts.now.date().isoformat(),
        "owner": owner.key, "owner_name": owner.name, "owner_email": owner.email,
        "controller": controller.first_name, "controller_key": controller.key, "controller_name": controller.name,
        "controller_email": controller.email, "controller_dm": dm_name(owner.key, controller.key),
        "bank": bank.name, "bank_option": f"{bank.number} {bank.name}",
        "ap_workbook": f"AP Reconciliation {month}", "close_workbook": checklist.title(facts),
        "sent_domain": f"@mail.{facts.company.domain}", "company": facts.company.name,
    }


def dm_name(*person_keys: str) -> str:
    """The name Chat gives the direct-message conversation of two people (from their users' ids)."""
    return "dm-" + "--".join(sorted(slack_id("user", key) for key in person_keys))
