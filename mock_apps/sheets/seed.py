"""Renders the scenario's facts into the accountant's workbooks (real formulas, not pasted values)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from mock_apps.scenarios import checklist
from mock_apps.sheets import service, work_sheets
from mock_apps.sheets.models import Sheet, Workbook

MONEY = "$#,##0.00"
DATE = "yyyy-mm-dd"
PCT = "0.0%"


def seed(db, scenario) -> None:
    """Create the scenario's workbooks."""
    facts = scenario.facts
    rng = random.Random(f"{scenario.seed}-sheets")
    today = facts.now.date()
    _price_list(db, facts)
    _budget_vs_actuals(db, facts, rng)
    _ap_reconciliation(db, facts, today)
    _close_checklist(db, facts)
    _expense_review(db, facts)
    work_sheets.seed(db, facts, _fill, MONEY)  # the industry's own work, added last


def _iso(d: date) -> str:
    return d.isoformat()


def _money(cents: int) -> float:
    return round(cents / 100, 2)


def _fill(db, wb: Workbook, sheet: Sheet, rows: list[list], formats: dict[int, str] | None = None,
          widths: dict[int, int] | None = None, freeze: bool = True) -> None:
    """Write a table with a bold header row, column formats and widths."""
    service.set_values(db, wb, sheet, 1, 1, rows, user_entered=True)
    width = max(len(r) for r in rows)
    service.set_format(db, wb, sheet, 1, 1, 1, width, bold=True, fill="#e8eef7")
    for col, fmt in (formats or {}).items():
        service.set_format(db, wb, sheet, 2, col, len(rows), col, number_format=fmt)
    for col, px in (widths or {}).items():
        service.set_column_width(db, wb, sheet, col, px)
    if freeze:
        service.update_sheet(db, wb, sheet, frozen_rows=1)


def _price_list(db, facts) -> None:
    wb = service.create_workbook(db, "Customer Price List 2026", ["Price List", "Tiers", "Quote"])
    price, tiers, quote = service.sheets_of(db, wb)
    vendors = {v.key: v.name for v in facts.vendors}
    rows: list[list] = [["SKU", "Product", "Vendor", "Unit Cost", "Unit Price", "Margin %", "Markup"]]
    for i, p in enumerate(facts.products, start=2):
        rows.append([p.sku, p.name, vendors.get(p.vendor_key, p.vendor_key), _money(p.unit_cost_cents),
                     _money(p.unit_price_cents), f"=IFERROR((E{i}-D{i})/E{i},0)", f"=IFERROR(E{i}/D{i}-1,0)"])
    _fill(db, wb, price, rows, {4: MONEY, 5: MONEY, 6: PCT, 7: PCT}, {1: 90, 2: 280, 3: 200})
    _fill(db, wb, tiers, [["Tier", "Discount"], ["Standard", 0], ["Silver", 0.05], ["Gold", 0.1]], {2: "0%"})
    first = facts.products[0].sku
    second = facts.products[1].sku
    q = [["SKU", "Qty", "Tier", "Product", "List Price", "Discount", "Net Price", "Line Total"]]
    for i, (sku, qty, tier) in enumerate([(first, 10, "Gold"), (second, 4, "Standard")], start=2):
        q.append([sku, qty, tier,
                  f"=IFERROR(VLOOKUP(A{i},'Price List'!$A:$E,2,FALSE),\"Unknown SKU\")",
                  f"=IFERROR(VLOOKUP(A{i},'Price List'!$A:$E,5,FALSE),0)",
                  f"=XLOOKUP(C{i},Tiers!$A:$A,Tiers!$B:$B,0)",
                  f"=ROUND(E{i}*(1-F{i}),2)", f"=G{i}*B{i}"])
    q.append(["Total", "", "", "", "", "", "", "=SUM(H2:H3)"])
    _fill(db, wb, quote, q, {5: MONEY, 6: "0%", 7: MONEY, 8: MONEY}, {4: 260})


def _budget_vs_actuals(db, facts, rng: random.Random) -> None:
    months = [(2026, 1), (2026, 2), (2026, 3)]
    actual: dict[str, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    for e in facts.expenses:
        actual[e.account][(e.date.year, e.date.month)] += e.amount_cents
    for b in facts.bills:
        if b.in_books:
            for line in b.lines:
                actual[line.account][(b.date.year, b.date.month)] += line.amount_cents
    for p in facts.payroll_runs:
        actual["Payroll Expenses"][(p.date.year, p.date.month)] += p.gross_cents
        actual["Payroll Taxes"][(p.date.year, p.date.month)] += p.employer_taxes_cents
    expense_accounts = [a.name for a in facts.accounts if a.type in ("Expense", "Cost of goods sold")]
    accounts = [a for a in expense_accounts if a in actual]
    wb = service.create_workbook(db, "Budget vs Actuals Q1 2026", ["Budget", "Actuals", "Variance"])
    budget, actuals, variance = service.sheets_of(db, wb)
    header = ["Account", "Jan 2026", "Feb 2026", "Mar 2026", "Q1 Total"]
    n = len(accounts)
    b_rows: list[list] = [header]
    a_rows: list[list] = [header]
    for i, acct in enumerate(accounts, start=2):
        spent = [actual[acct][m] for m in months]
        planned = [int(round(max(c, 10000) * rng.uniform(0.85, 1.15), -4)) for c in spent]
        b_rows.append([acct, *[_money(c) for c in planned], f"=SUM(B{i}:D{i})"])
        a_rows.append([acct, *[_money(c) for c in spent], f"=SUM(B{i}:D{i})"])
    total = ["Total", *[f"=SUM({col}2:{col}{n + 1})" for col in "BCDE"]]
    b_rows.append(total)
    a_rows.append(total)
    _fill(db, wb, budget, b_rows, {c: MONEY for c in range(2, 6)}, {1: 220})
    _fill(db, wb, actuals, a_rows, {c: MONEY for c in range(2, 6)}, {1: 220})
    v_rows: list[list] = [["Account", "Budget", "Actual", "Variance", "Variance %", "Status"]]
    for i, acct in enumerate(accounts, start=2):
        v_rows.append([
            acct,
            f"=INDEX(Budget!$E:$E,MATCH($A{i},Budget!$A:$A,0))",
            f"=INDEX(Actuals!$E:$E,MATCH($A{i},Actuals!$A:$A,0))",
            f"=C{i}-B{i}",
            f"=IFERROR(D{i}/B{i},0)",
            f'=IF(ABS(E{i})<=0.05,"On budget",IF(D{i}>0,"Over","Under"))',
        ])
    last = n + 1
    v_rows.append(["Total", f"=SUM(B2:B{last})", f"=SUM(C2:C{last})", f"=C{last + 1}-B{last + 1}",
                   f"=IFERROR(D{last + 1}/B{last + 1},0)", f'=COUNTIF(F2:F{last},"Over")&" over budget"'])
    _fill(db, wb, variance, v_rows, {2: MONEY, 3: MONEY, 4: MONEY, 5: PCT}, {1: 220, 6: 140})


def _ap_reconciliation(db, facts, today: date) -> None:
    wb = service.create_workbook(db, "AP Reconciliation March 2026", ["Open Bills", "By Vendor", "Reconciliation"])
    bills_sheet, vendor_sheet, recon = service.sheets_of(db, wb)
    vendors = {v.key: v for v in facts.vendors}
    rows: list[list] = [["Vendor", "Vendor Invoice #", "Bill Date", "Due Date", "Amount", "Paid", "Open",
                         "Status", "Days Past Due"]]
    bills = sorted((b for b in facts.bills if b.in_books and b.date <= today), key=lambda b: (b.date, b.key))
    for i, b in enumerate(bills, start=2):
        rows.append([vendors[b.vendor_key].name, b.vendor_invoice_number, _iso(b.date), _iso(b.due_date),
                     _money(b.total_cents), _money(facts.bill_paid_cents(b.key)), f"=E{i}-F{i}",
                     f'=IF(G{i}<=0,"Paid",IF(D{i}<TODAY(),"Overdue","Open"))',
                     f'=IF(H{i}="Overdue",TODAY()-D{i},0)'])
    last = len(bills) + 1
    _fill(db, wb, bills_sheet, rows, {3: DATE, 4: DATE, 5: MONEY, 6: MONEY, 7: MONEY, 9: "0"},
          {1: 220, 2: 140})
    used = sorted({vendors[b.vendor_key].name for b in bills})
    v_rows: list[list] = [["Vendor", "Terms (days)", "Open Bills", "Open Balance", "Overdue Balance"]]
    terms = {v.name: v.terms_days for v in facts.vendors}
    for i, name in enumerate(used, start=2):
        v_rows.append([name, terms[name],
                       f"=COUNTIFS('Open Bills'!$A$2:$A${last},A{i},'Open Bills'!$G$2:$G${last},\">0\")",
                       f"=SUMIF('Open Bills'!$A$2:$A${last},A{i},'Open Bills'!$G$2:$G${last})",
                       f"=SUMIFS('Open Bills'!$G$2:$G${last},'Open Bills'!$A$2:$A${last},A{i},"
                       f"'Open Bills'!$H$2:$H${last},\"Overdue\")"])
    vl = len(used) + 1
    v_rows.append(["Total", "", f"=SUM(C2:C{vl})", f"=SUM(D2:D{vl})", f"=SUM(E2:E{vl})"])
    _fill(db, wb, vendor_sheet, v_rows, {4: MONEY, 5: MONEY}, {1: 220})
    open_cents = sum(b.total_cents - facts.bill_paid_cents(b.key) for b in bills)
    r_rows: list[list] = [
        ["Item", "Amount", "Note"],
        ["A/P subledger (open bills)", f"=SUM('Open Bills'!G2:G{last})", "Sum of open bill balances"],
        ["A/P per general ledger", _money(open_cents), "Enter the Accounts Payable balance from the trial balance"],
        ["Difference", "=B2-B3", '=IF(ROUND(B4,2)=0,"Reconciled","Investigate difference")'],
        ["Check: by-vendor total", f"='By Vendor'!D{vl + 1}", '=IF(ROUND(B5-B2,2)=0,"Ties out","Does not tie")'],
        ["Prepared by", facts.owner.name, ""],
        ["As of", "=TODAY()", ""],
    ]
    _fill(db, wb, recon, r_rows, {2: MONEY}, {1: 240, 2: 140, 3: 380}, freeze=False)
    service.set_format(db, wb, recon, 7, 2, 7, 2, number_format=DATE)
    service.set_format(db, wb, recon, 6, 2, 6, 2, number_format="General")


def _close_checklist(db, facts) -> None:
    wb = service.create_workbook(db, checklist.title(facts), ["Checklist"])
    sheet = service.sheets_of(db, wb)[0]
    tasks = [(t.task, facts.person(t.owner).name, t.due, t.status) for t in checklist.close_checklist(facts)]
    rows: list[list] = [["Task", "Owner", "Due Date", "Status", "Completed On", "Overdue?"]]
    for i, (task, who, due, status) in enumerate(tasks, start=checklist.FIRST_ROW):
        done_on = _iso(due) if status == "Done" else ""
        rows.append([task, who, _iso(due), status, done_on,
                     f'=IF(AND(D{i}<>"Done",C{i}<TODAY()),"Overdue","")'])
    last = len(tasks) + 1
    rows.append([])
    rows.append(["Tasks", f"=COUNTA(A2:A{last})"])
    rows.append(["Done", f'=COUNTIF(D2:D{last},"Done")'])
    rows.append(["Percent complete", f"=IFERROR(B{last + 3}/B{last + 2},0)"])
    rows.append(["Overdue", f'=COUNTIF(F2:F{last},"Overdue")'])
    rows.append(["Next due", f'=TEXT(MINIFS(C2:C{last},D2:D{last},"<>Done"),"mmm d")'])
    _fill(db, wb, sheet, rows, {3: DATE, 5: DATE}, {1: 360, 2: 150, 4: 110})
    service.set_format(db, wb, sheet, last + 4, 2, last + 4, 2, number_format="0%")
    service.set_format(db, wb, sheet, last + 2, 1, last + 6, 1, bold=True)


def _expense_review(db, facts) -> None:
    """The employees' expense reports of the month, one row per charge, with an empty Flag column to review."""
    wb = service.create_workbook(db, f"Expense Review {facts.now:%B %Y}", [f"{facts.now:%B}"])
    sheet = service.sheets_of(db, wb)[0]
    people = {p.key: p.name for p in facts.people}
    rows: list[list] = [["Employee", "Date", "Merchant", "Amount", "Purpose", "Flag"]]
    for e in sorted(facts.expense_reports, key=lambda e: (e.date, e.key)):
        rows.append([people[e.submitted_by], _iso(e.date), e.payee, _money(e.amount_cents), e.memo, ""])
    _fill(db, wb, sheet, rows, {2: DATE, 4: MONEY}, {1: 160, 3: 170, 5: 320, 6: 120})
