"""The industry's own work (mock_apps/scenarios/work.py) added to a generated company: a law firm's trust
ledger, a medical practice's remittances, an agency's project time. Drawn from its own random stream after
the rest of the company is built, so everything else a seed generates stays as it was."""

from __future__ import annotations

import random
from dataclasses import replace

from mock_apps.scenarios.facts import Facts, Invoice


def extend(industry_name: str, facts: Facts, base: int, kinds: dict[str, str]) -> Facts:
    """The company with its industry's work (unchanged for an industry that has none)."""
    from mock_apps.scenarios.generator import claims, projects, trust

    rnd = random.Random(f"{base}-work")
    if industry_name == "law":
        return replace(facts, work=trust.work(facts, rnd))
    if industry_name == "medical":
        return claims.extend(facts, rnd, kinds)
    if industry_name == "agency":
        return replace(facts, work=projects.work(facts, rnd))
    return facts


def untouched_open(facts: Facts) -> list[Invoice]:
    """Open invoices no loose end is about (nothing paid, no remittance or event refers to them)."""
    taken = {n for p in facts.pending_remittances for n, _ in p.applications}
    taken |= {ref for event in facts.events for ref in event.refs}
    return [i for i in facts.invoices if facts.invoice_paid_cents(i.number) == 0 and i.number not in taken]
