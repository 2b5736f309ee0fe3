"""The quarter's books: the chart of accounts with opening balances, invoices and the customer payments on
them, the vendors' monthly bills, card charges and bank fees, and the payroll runs."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

from mock_apps.scenarios.facts import Account, Bill, Customer, CustomerPayment, Expense, Invoice, Line, PayrollRun
from mock_apps.scenarios.generator.industry import Industry
from mock_apps.scenarios.history import QUARTER, business_days, last_business_day

_DEBIT_TYPES = {"Bank", "Accounts receivable", "Other current asset", "Fixed asset", "Other asset"}


def chart(rnd: random.Random, industry: Industry, checking_floor: int) -> tuple[Account, ...]:
    """The industry's chart with opening balances that balance (retained earnings is what the rest leaves);
    the operating account opens with `checking_floor` and a cushion of $40,000 to $120,000."""
    opening = {"Operating Checking": checking_floor + rnd.randint(40, 120) * 100_000, "Savings": rnd.randint(80, 300) * 100_000,
               "Prepaid Expenses": rnd.randint(5, 15) * 100_000}
    accounts = [replace(a, opening_balance_cents=opening.get(a.name, a.opening_balance_cents)) for a in industry.accounts]
    assets = sum(a.opening_balance_cents for a in accounts if a.type in _DEBIT_TYPES)
    owed = sum(a.opening_balance_cents for a in accounts if a.type not in _DEBIT_TYPES)
    equity = (assets - owed) * rnd.randint(45, 60) // 100 // 100_000 * 100_000
    fixed = {"Owner's Equity": equity, "Retained Earnings": assets - owed - equity}
    accounts = [replace(a, opening_balance_cents=fixed.get(a.name, a.opening_balance_cents)) for a in accounts]
    return tuple(sorted(accounts, key=lambda a: a.number))


def invoices(rnd: random.Random, industry: Industry, customers: tuple[Customer, ...], products, persons: set,
             count: int) -> tuple[Invoice, ...]:
    """`count` invoices spread over the quarter's business days, each to a customer on its terms (a person's:
    one line of one)."""
    days = business_days(date(2026, 1, 5), date(2026, 3, 27))
    offers = list(zip(products, industry.offerings))
    result = []
    for n in range(count):
        customer = customers[(n * 7 + rnd.randint(0, 3)) % len(customers)]
        day = days[min(len(days) - 1, n * len(days) // count + rnd.randint(0, 1))]
        person = customer.key in persons
        picked = rnd.sample(offers, min(len(offers), rnd.randint(*industry.invoice_lines) if not person else 1))
        lines = tuple(Line(p.name, 1 if person else rnd.randint(*offer.quantity), p.unit_price_cents, p.income_account,
                           p.sku) for p, offer in picked)
        result.append(Invoice(
            number=f"INV-{1001 + n}", customer_key=customer.key, date=day,
            due_date=day + timedelta(days=customer.terms_days), lines=lines,
            memo=industry.invoice_memo.format(n=rnd.randint(4000, 9999)) if rnd.random() < 0.5 else ""))
    return tuple(result)


def paid_on(rnd: random.Random, invoices: tuple[Invoice, ...]) -> dict[str, date]:
    """When each invoice's customer pays it (a day on or after now: still open)."""
    return {inv.number: inv.date + timedelta(days=rnd.randint(10, 40)) for inv in invoices}


def customer_payments(rnd: random.Random, invoices, paid: dict[str, date], now: datetime, unpaid: set[str],
                      partial: str) -> tuple[CustomerPayment, ...]:
    """A payment per invoice paid before now (the unpaid ones left open, the partial one paid half)."""
    result = []
    for inv in invoices:
        day = paid[inv.number]
        if day >= now.date() - timedelta(days=1) or inv.number in unpaid:
            continue
        amount = inv.total_cents // 2 // 100 * 100 if inv.number == partial else inv.total_cents
        method = rnd.choice(["Check", "ACH", "ACH", "Credit card"])
        ref = f"CHK {rnd.randint(10000, 99999)}" if method == "Check" else f"{method[:3].upper()}-{rnd.randint(100000, 999999)}"
        result.append(CustomerPayment(key=f"pmt-{len(result) + 1:03d}", customer_key=inv.customer_key, date=day,
                                      amount_cents=amount, method=method, reference=ref,
                                      applications=((inv.number, amount),)))
    return tuple(sorted(result, key=lambda p: (p.date, p.key)))


def bills(rnd: random.Random, industry: Industry, by_kind: dict, products, now: datetime) -> list[Bill]:
    """Every vendor's bills of the quarter: monthly fixed amounts, usage that varies, goods into inventory."""
    result: list[Bill] = []
    supplied: dict[str, list] = {}
    for p in products:
        supplied.setdefault(p.vendor_key, []).append(p)
    kinds = {k.category: k for k in industry.vendors}
    monthly = {v.key: rnd.randint(*kinds[cat].amount_cents) // 100 * 100 for cat, vs in by_kind.items() for v in vs}
    for month in QUARTER:
        first = date(2026, month, 1)
        for category, vendors in by_kind.items():
            kind = kinds[category]
            for v in vendors:
                if kind.billing == "goods":
                    for _ in range(rnd.randint(1, 2)):
                        day = min(first + timedelta(days=rnd.randint(2, 26)), now.date() - timedelta(days=rnd.randint(1, 5)))
                        own = supplied.get(v.key, [])
                        lines = [Line(p.name, rnd.randint(60, 320), p.unit_cost_cents, "Inventory Asset", p.sku)
                                 for p in rnd.sample(own, min(len(own), rnd.randint(1, 2)))]
                        if lines:
                            result.append(_bill(rnd, len(result), v, day, lines))
                    continue
                day = first + timedelta(days=rnd.randint(0, 4) if kind.billing == "monthly" else rnd.randint(3, 24))
                amount = monthly[v.key] if kind.billing == "monthly" else rnd.randint(*kind.amount_cents) // 5 * 5
                result.append(_bill(rnd, len(result), v, day,
                                    [Line(f"{kind.description} - {first:%B %Y}", 1, amount, v.expense_account)]))
    return result


def _bill(rnd: random.Random, n: int, vendor, day: date, lines, **kw) -> Bill:
    number = kw.pop("number", f"{vendor.name[:2].upper()}-{rnd.randint(10000, 99999)}")
    return Bill(key=f"bill-{n + 1:03d}", vendor_key=vendor.key, vendor_invoice_number=number, date=day,
                due_date=day + timedelta(days=vendor.terms_days), lines=tuple(lines), **kw)


def expenses(rnd: random.Random, industry: Industry, bank_name: str) -> tuple[Expense, ...]:
    """Card charges every third business day, and the bank's monthly fee from the operating account."""
    merchants = industry.card_merchants
    result = []
    for i, day in enumerate(business_days(date(2026, 1, 6), date(2026, 3, 30))[::3]):
        name, account, (lo, hi) = merchants[(i * 5 + rnd.randint(0, 2)) % len(merchants)]
        result.append(Expense(key=f"exp-{i + 1:03d}", date=day, payee=name, account=account,
                              amount_cents=rnd.randint(lo, hi), paid_from="Company Visa",
                              memo=rnd.choice(["", "Client visit", "Team lunch", "Restock", "Conference"])))
    fee = rnd.choice([2_500, 3_500, 4_500])
    for month in QUARTER:
        result.append(Expense(key=f"exp-fee-{month:02d}", date=date(2026, month, 28), payee=bank_name,
                              account="Bank Fees", amount_cents=fee, paid_from="Operating Checking",
                              memo="Monthly service fee"))
    return tuple(sorted(result, key=lambda e: (e.date, e.key)))


def payroll(gross: int, now: datetime) -> tuple[PayrollRun, ...]:
    """Semi-monthly payroll of `gross` (the 15th and the last business day), taxes and withholding from it."""
    runs = []
    for month in QUARTER:
        for day in (15, last_business_day(2026, month)):
            runs.append(PayrollRun(key=f"payroll-2026{month:02d}{day:02d}", date=date(2026, month, day),
                                   gross_cents=gross, employer_taxes_cents=round(gross * 0.0765),
                                   withholding_cents=round(gross * 0.24)))
    return tuple(r for r in runs if r.date <= now.date())
