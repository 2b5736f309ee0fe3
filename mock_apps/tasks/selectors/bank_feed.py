"""The month's bank-feed lines of the operating account that match nothing in Books."""

from __future__ import annotations

from mock_apps.scenarios import checklist
from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact
from mock_apps.tasks.selectors.money import dollars

INTEREST, AUTOPAY, UNKNOWN = "INTEREST PAID", "COMPANY VISA AUTOPAY", "MOBILE DEPOSIT UNKNOWN"


def unmatched(facts: Facts) -> list[Instance]:
    """Interest and the card's autopay to add from the feed, and a deposit nobody can place to ask about."""
    lines = {line.description: line for line in facts.bank_lines if line.in_feed and line.source is None}
    card = next((a for a in facts.accounts if a.type.lower() == "credit card"), None)
    income = next((a for a in facts.accounts if a.name == "Interest Income"), None)
    if not all(k in lines for k in (INTEREST, AUTOPAY, UNKNOWN)) or card is None or income is None:
        raise MissingFact("bank_lines in the feed with no source: the interest, the card autopay and an unknown "
                          "deposit (and Interest Income and credit-card accounts)")
    interest, autopay, deposit = lines[INTEREST], lines[AUTOPAY], lines[UNKNOWN]
    return [Instance("feed", {
        "interest_cents": -interest.amount_cents, "interest": dollars(interest.amount_cents),
        "interest_date": interest.date.isoformat(), "autopay_cents": -autopay.amount_cents,
        "autopay": dollars(-autopay.amount_cents), "autopay_date": autopay.date.isoformat(),
        "deposit": dollars(deposit.amount_cents), "deposit_short": f"${deposit.amount_cents // 100:,}",
        "deposit_date": f"{deposit.date:%m/%d}", "card": card.name, "card_option": f"{card.number} {card.name}",
        "income_option": f"{income.number} {income.name}", "month": f"{facts.now:%B}",
        "checklist_row": checklist.row_of(facts, "bank-feed")})]
