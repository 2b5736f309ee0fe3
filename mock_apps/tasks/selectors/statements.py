"""A customer who asked (through the account executive) for a statement of account, with a check on its way."""

from __future__ import annotations

from calendar import month_name

from mock_apps.chat.ids import slack_id
from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact, slug
from mock_apps.tasks.selectors.money import dollars
from mock_apps.tasks.selectors.names import listing, possessive, pronouns
from mock_apps.tasks.selectors.remittances import open_cents


def after_remittance(facts: Facts) -> list[Instance]:
    """The statement-request customer's pending check recorded first, then the invoices still open mailed."""
    key = facts.backdrop.statement_request if facts.backdrop else None
    remittance = next((r for r in facts.pending_remittances if r.customer_key == key), None)
    if key is None or remittance is None:
        raise MissingFact("a pending remittance of the customer who asked for a statement (backdrop.statement_request)")
    customer, seller = facts.customer(key), facts.person(facts.roles.get("seller", ""))
    paid = [number for number, _cents in remittance.applications]
    still_open = [i.number for i in facts.invoices if i.customer_key == key and i.number not in paid
                  and open_cents(facts, i.number) > 0]
    if not still_open:
        raise MissingFact("an invoice the statement-request customer still owes after its pending check")
    first = still_open[0]
    promised = any(e.kind == "partial_payment_note" and first in e.refs for e in facts.events)
    return [Instance(slug(remittance.reference), {
        "customer": customer.name, "short": customer.name.split()[0], "contact": customer.contact_name,
        "contact_first": customer.contact_name.split()[0], "email": customer.email, "seller": seller.first_name,
        "seller_key": seller.key, "seller_uid": slack_id("user", seller.key), "check": remittance.reference,
        "total_cents": remittance.amount_cents, "date": remittance.date.isoformat(), "paid": paid,
        "paid_count": len(paid), "paid_text": listing(paid), "open_first": first,
        "open_first_cents": open_cents(facts, first),
        "open_total": dollars(sum(open_cents(facts, n) for n in still_open)),
        "open_hint": (f"the rest of {first} is due in {month_name[facts.now.month % 12 + 1]}, as {seller.first_name} said"
                      if promised else f"{first} is not on the advice and stays open")})]


def request(facts: Facts) -> list[Instance]:
    """The account executive's direct message asking for a customer's statement: answered with a day."""
    key = facts.backdrop.statement_request if facts.backdrop else None
    if key is None or "seller" not in facts.roles:
        raise MissingFact("backdrop.statement_request (a customer the account executive, roles['seller'], asks about)")
    seller = facts.role("seller")
    return [Instance(slug(key), {
        "seller": seller.first_name, "seller_s": possessive(seller.first_name), "seller_key": seller.key,
        "seller_uid": slack_id("user", seller.key), "customer": facts.customer(key).name,
        "seller_them": pronouns(facts.hr and facts.hr.worker(seller.key))["them"]})]
