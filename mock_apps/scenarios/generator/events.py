"""The narrative events the apps render around the loose ends (the same kinds and data keys as Meridian's)."""

from __future__ import annotations

from datetime import date, timedelta

from mock_apps.scenarios.facts import Event
from mock_apps.scenarios.generator.loose_ends import money
from mock_apps.scenarios.history import at
from mock_apps.scenarios.policy import MEAL_LIMIT_CENTS


def events(facts_so_far: dict, roles: dict, people: dict, tz, spoof: tuple[str, str, str]) -> tuple[Event, ...]:
    """Every event, in time order. `facts_so_far` holds bills, invoices, payments, bill payments, vendors and the
    receivables' choices; `spoof` is (look-alike domain, bank, account last 4) of the bank-change request."""
    bills, vendors = facts_so_far["bills"], facts_so_far["vendors"]
    plain, dup, corrected, _held, repair = facts_so_far["narrative"]
    controller, ap = roles["controller"], roles["ap"]
    name = lambda key: people[key].first_name  # noqa: E731
    vendor = {v.key: v for v in vendors}

    def approval(bill, when, actor) -> Event:
        return Event(f"ev-approve-{bill.vendor_invoice_number.lower().replace('-', '')}", "bill_approval", when, actor,
                     (bill.key,), f"{name(actor)} approves {vendor[bill.vendor_key].name} invoice "
                     f"{bill.vendor_invoice_number} for {money(bill.total_cents)} in #ap-approvals.",
                     {"amount_cents": bill.total_cents})

    number = lambda bill: bill.vendor_invoice_number.lower().replace("-", "")  # noqa: E731
    result = [
        Event("ev-close-kickoff", "close_kickoff", at(date(2026, 3, 30), 9, 5, tz), controller, (),
              f"{name(controller)} kicks off the March close in #finance and lists what is left."),
        approval(plain, at(date(2026, 3, 19), 10, 12, tz), controller),
        approval(dup, at(date(2026, 3, 21), 14, 40, tz), controller),
        Event(f"ev-dup-{number(dup)}", "duplicate_invoice", at(date(2026, 3, 25), 8, 47, tz), dup.vendor_key,
              (dup.key,), f"{vendor[dup.vendor_key].name} re-sends invoice {dup.vendor_invoice_number} as a 'reminder' "
              "(same number and amount)."),
        approval(corrected, at(date(2026, 3, 24), 11, 3, tz), controller),
        Event(f"ev-correct-{number(corrected)}", "amount_correction", at(date(2026, 3, 24), 11, 9, tz), ap,
              (corrected.key,),
              f"{name(ap)} points out in #ap-approvals that {corrected.vendor_invoice_number}'s PDF says "
              f"{money(corrected.mailed_total_cents)} but the agreed volume credit brings it to "
              f"{money(corrected.total_cents)}; {name(controller)} confirms: enter {money(corrected.total_cents)}.",
              {"mailed_cents": corrected.mailed_total_cents, "correct_cents": corrected.total_cents}),
        approval(repair, at(date(2026, 3, 26), 16, 20, tz), roles["ops"]),
    ]
    target = vendor[plain.vendor_key]
    domain, bank, last4 = spoof
    result.append(Event(
        "ev-bank-change", "bank_change_request", at(date(2026, 3, 27), 7, 58, tz), target.key, (target.key,),
        f"A mail claiming to be from {target.name}, sent from {domain}, asks to send all future payments to a new "
        f"account at {bank} (acct ending {last4}) before paying {plain.vendor_invoice_number}. "
        f"{name(roles['it'])} flags it in #finance as a likely phishing attempt.",
        {"spoof_domain": domain, "new_bank": bank, "new_account_last4": last4, "flagged_by": roles["it"]}))
    partial = facts_so_far["partial"]
    paid = next(p for p in facts_so_far["payments"] if any(n == partial.number for n, _ in p.applications))
    result.append(Event(
        f"ev-partial-{partial.number.split('-')[-1]}", "partial_payment_note",
        at(paid.date + timedelta(days=1), 13, 15, tz), roles["seller"], (partial.number,),
        f"{name(roles['seller'])} says the customer for {partial.number} paid half and will pay the rest in April."))
    for inv in facts_so_far["collections"]:
        result.append(Event(f"ev-collect-{inv.number}", "collections_reminder", at(date(2026, 3, 16), 10, 0, tz),
                            controller, (inv.number,),
                            f"{name(controller)} asks {name(roles['owner'])} to chase {inv.number}, which is past due."))
    result += [
        Event("ev-expense-policy", "expense_policy", at(date(2026, 1, 6), 9, 30, tz), controller, (),
              f"{name(controller)} posts the expense policy in #finance: meals up to {money(MEAL_LIMIT_CENTS)} per "
              "person, itemized receipts, no alcohol-only charges.", {"meal_limit_cents": MEAL_LIMIT_CENTS}),
        Event("ev-expense-review", "expense_review_request", at(date(2026, 3, 30), 10, 20, tz), controller, (),
              f"{name(controller)} asks {name(roles['owner'])} in #finance to review the March expense reports on "
              "the Expense Review sheet, flag anything out of policy and reply in the thread."),
    ]
    paid_bills = {k: p for p in facts_so_far["bill_payments"] for k, _ in p.applications}
    asked = []
    for bill in bills:
        if bill.date.month == 2 and bill.key in paid_bills and bill.vendor_key not in asked and len(asked) < 2:
            asked.append(bill.vendor_key)
            payment = paid_bills[bill.key]
            result.append(Event(
                f"ev-query-{bill.vendor_key}", "vendor_payment_query", at(date(2026, 3, 30), 9 + 4 * (len(asked) - 1), 25, tz),
                bill.vendor_key, (bill.key,),
                f"{bill.vendor_key} asks whether invoice {bill.vendor_invoice_number} was paid; the books show "
                f"{payment.method} {payment.reference} on {payment.date.isoformat()}.",
                {"invoice": bill.vendor_invoice_number, "paid_on": payment.date.isoformat(), "method": payment.method,
                 "reference": payment.reference, "amount_cents": payment.amount_cents}))
    return tuple(sorted(result, key=lambda e: e.at))
