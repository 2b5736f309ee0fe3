"""The narrative the payment, onboarding and expense tasks depend on is in every app, consistently, in a
fresh world: what is only in mail is not in Books yet, and what Books has agrees with the mail."""

from __future__ import annotations

import pytest

from mock_apps.scenarios import get_scenario
from mock_apps.tasks.checks import World
from mock_apps.tasks.model import RowQuery

FACTS = get_scenario().facts


@pytest.fixture
def fresh(world):
    return World({app: world.state(app) for app in ("mail", "chat", "books", "sheets")}, [])


def _rows(fresh, app, table, **where):
    return fresh.rows(RowQuery(app=app, table=table, where=where))


def test_pending_remittances_are_mailed_but_not_in_books(fresh):
    for pmt in FACTS.pending_remittances:
        customer = FACTS.customer(pmt.customer_key)
        mails = _rows(fresh, "mail", "mail_message", from_email=customer.email,
                      snippet={"contains": pmt.reference})
        assert len(mails) == 1, pmt.key
        assert not _rows(fresh, "books", "txn", type="Payment", doc_number=pmt.reference)
        for number, cents in pmt.applications:
            (invoice,) = _rows(fresh, "books", "txn", type="Invoice", doc_number=number)
            assert invoice["balance_cents"] == cents  # open in full until the check is recorded


def test_onboarding_vendors_are_in_mail_and_chat_but_not_in_books(fresh):
    for onboarding in FACTS.onboardings:
        vendor = onboarding.vendor
        assert not _rows(fresh, "books", "contact", display_name=vendor.name)
        setup = _rows(fresh, "mail", "mail_message", from_email=vendor.email, subject={"contains": "New vendor setup"})
        assert len(setup) == 1
        w9 = _rows(fresh, "mail", "mail_attachment", message_pk=setup[0]["pk"], mime_type="application/pdf")
        assert len(w9) == (1 if onboarding.approved_by else 0)  # the vendor on hold has not sent its W-9
        assert len(_rows(fresh, "chat", "chat_message", text={"contains": f"*{vendor.name}*"})) == 1
    crestview = FACTS.onboardings[0]
    assert len(_rows(fresh, "mail", "mail_message", subject={"contains": crestview.first_invoice.vendor_invoice_number},
                     from_email=crestview.vendor.email)) == 1
    assert _rows(fresh, "books", "contact", display_name="Crestview Labels")  # the near-duplicate distractor


def test_expense_reports_match_card_charges_in_books(fresh):
    visa = _rows(fresh, "books", "account", name="Company Visa")[0]["id"]
    for expense in FACTS.expense_reports:
        (payee,) = _rows(fresh, "books", "contact", display_name=expense.payee)
        charges = _rows(fresh, "books", "txn", type="Purchase", contact_id=payee["id"], txn_date=expense.date.isoformat(),
                        total_cents=expense.amount_cents, account_id=visa)
        assert len(charges) == 1, expense.key
        person = FACTS.person(expense.submitted_by)
        assert _rows(fresh, "mail", "mail_message", from_email=person.email,
                     subject=f"Expense report - March 2026 - {person.name}")
    (sheet,) = _rows(fresh, "sheets", "sheet", title="March")
    amounts = sorted(c["num"] for c in _rows(fresh, "sheets", "cell", sheet_pk=sheet["id"], col=4) if c["kind"] == "number")
    assert amounts == sorted(e.amount_cents / 100 for e in FACTS.expense_reports)
    assert _rows(fresh, "chat", "chat_pin", message_pk=_rows(fresh, "chat", "chat_message",
                                                               text={"contains": "Expense policy reminder"})[0]["pk"])
