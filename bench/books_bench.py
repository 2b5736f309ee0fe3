"""Books benchmark: report latency on the scenario, then the ledger at 50,000 transactions in one world.

    .venv/bin/python bench/books_bench.py [--transactions 50000] [--runs 50]

Measures, server-side (the Flask app in-process through its test client, no network), wall-clock p50/p95
with the CPU p95 beside it (the machine may be shared: CPU time tells load from slowness):
  1. every report on the freshly seeded scenario: each UI report page, its CSV and XLSX exports, and each API
     report (the issue's target: p95 < 100 ms);
  2. the time to post N more transactions through the service layer (batched operations), the ledger's
     invariants afterwards (every transaction balances, trial balance, A = L + E, A/R and A/P against open
     documents), every report page and API report again at that size (target p95 < 1 s), general-ledger
     and register pages (< 1 s), one API write and one query page (< 100 ms), and the exports (every row:
     printed, no target).
Exit status 1 when an invariant breaks or a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select  # noqa: E402

from mock_apps.books import create_app, reports, service  # noqa: E402
from mock_apps.books.audit import audit  # noqa: E402
from mock_apps.books.models import Account, Contact, Item, Txn  # noqa: E402
from mock_apps.books.service import LineInput  # noqa: E402
from mock_apps.core.server import settle_heap  # noqa: E402
from mock_apps.core.settings import Settings  # noqa: E402
from mock_apps.core.world import WorldRegistry  # noqa: E402
from mock_apps.scenarios import get_scenario  # noqa: E402

REALM = get_scenario("meridian").facts.company.realm_id
UI_REPORTS = list(reports.REPORTS)  # every report the Reports page lists
EXPORTS = ("csv", "xlsx")
SCENARIO_TARGET_MS = 100.0  # the issue's target: every report on the full scenario, p95, server-side
AT_SIZE_TARGET_MS = 1000.0  # ours for "fast at 50,000 transactions": a report or register page within a second
OPERATION_TARGET_MS = 100.0  # ours: one API write or one query page at that size
API_REPORTS = ["ProfitAndLoss", "BalanceSheet", "TrialBalance", "AgedReceivables", "AgedPayables"]
HEADERS = {"Authorization": "Bearer bench"}


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_reports(client, world: str, runs: int, kinds: tuple[str, ...] = ("ui", *EXPORTS, "api")
                 ) -> dict[str, tuple[float, float, float]]:
    """p50 and p95 wall-clock ms, and p95 CPU ms, of each report: UI page, its CSV and XLSX exports, API JSON.

    CPU time (this process's, the server's work alone) is printed beside wall time because the machine may be
    shared: wall time is what a user waits and what the targets judge; CPU time tells load from slowness.
    """
    out = {}
    targets = [(f"ui {k}", f"/w/{world}/reports/{k}") for k in UI_REPORTS] + \
              [(f"{fmt} {k}", f"/w/{world}/reports/{k}?format={fmt}") for fmt in EXPORTS for k in UI_REPORTS] + \
              [(f"api {k}", f"/w/{world}/v3/company/{REALM}/reports/{k}") for k in API_REPORTS]
    for name, url in targets:
        if name.split()[0] not in kinds:
            continue
        out[name] = timed(lambda url=url: client.get(url, headers=HEADERS), runs)
    return out


def timed(request, runs: int) -> tuple[float, float, float]:
    """p50 and p95 wall-clock ms and p95 CPU ms of a request made `runs` times (each must answer 200)."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        response = request()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (response.status_code, response.get_data(as_text=True)[:300])
    return statistics.median(walls), _p(walls, 0.95), _p(cpus, 0.95)


def print_reports(figures: dict[str, tuple[float, float, float]], target_ms: float) -> bool:
    """Print one line per report; True when every p95 is under the target."""
    ok = True
    for name, (p50, p95, cpu95) in figures.items():
        flag = "" if p95 < target_ms else f"  <-- over {target_ms:.0f} ms"
        ok &= p95 < target_ms
        print(f"  {name:36s} p50 {p50:7.1f}  p95 {p95:7.1f}  (cpu p95 {cpu95:7.1f}){flag}")
    return ok


def post_transactions(session, count: int, seed: int = 7, batch: int = 250) -> float:
    """Post `count` transactions of every kind through the service layer; returns seconds."""
    rnd = random.Random(seed)
    accounts = {a.name: a.id for a in session.exec(select(Account)).all()}
    customers = [c.id for c in session.exec(select(Contact).where(Contact.kind == "customer")).all()]
    vendors = [c.id for c in session.exec(select(Contact).where(Contact.kind == "vendor")).all()]
    items = [i.id for i in session.exec(select(Item)).all()]
    expense_accounts = [accounts[n] for n in ("Office Supplies", "Travel", "Meals", "Utilities", "Advertising")]
    open_invoices: list[tuple[int, int, int]] = []  # (id, customer, balance)
    open_bills: list[tuple[int, int, int]] = []
    start_day = date(2026, 1, 2)
    started = time.perf_counter()
    done = 0
    while done < count:
        with session.operation("bench.batch", size=batch):
            for _ in range(min(batch, count - done)):
                day = start_day + timedelta(days=rnd.randint(0, 88))
                kind = rnd.random()
                if kind < 0.30:
                    customer = rnd.choice(customers)
                    txn = service.create_txn(session, "Invoice", source="bench", customer_id=customer, txn_date=day,
                                             lines=[LineInput(item_id=rnd.choice(items),
                                                              quantity_milli=rnd.randint(1, 40) * 1000)
                                                    for _ in range(rnd.randint(1, 3))])
                    open_invoices.append((txn.id, customer, txn.balance_cents))
                elif kind < 0.50 and open_invoices:
                    inv_id, customer, balance = open_invoices.pop(rnd.randrange(len(open_invoices)))
                    pay = balance if rnd.random() < 0.8 else balance // 2
                    service.create_txn(session, "Payment", source="bench", customer_id=customer, txn_date=day,
                                       deposit_account_id=accounts["Operating Checking"],
                                       applications=[(inv_id, pay)])
                elif kind < 0.70:
                    vendor = rnd.choice(vendors)
                    txn = service.create_txn(session, "Bill", source="bench", vendor_id=vendor, txn_date=day,
                                             lines=[LineInput(account_id=rnd.choice(expense_accounts),
                                                              amount_cents=rnd.randint(1_000, 500_000))])
                    open_bills.append((txn.id, vendor, txn.balance_cents))
                elif kind < 0.85 and open_bills:
                    bill_id, vendor, balance = open_bills.pop(rnd.randrange(len(open_bills)))
                    service.create_txn(session, "BillPayment", source="bench", vendor_id=vendor, txn_date=day,
                                       pay_account_id=accounts["Operating Checking"], applications=[(bill_id, balance)])
                elif kind < 0.95:
                    service.create_txn(session, "Purchase", source="bench", pay_account_id=accounts["Company Visa"],
                                       txn_date=day, lines=[LineInput(account_id=rnd.choice(expense_accounts),
                                                                      amount_cents=rnd.randint(500, 90_000))])
                else:
                    amount = rnd.randint(10_000, 900_000)
                    service.create_txn(session, "JournalEntry", source="bench", txn_date=day, lines=[
                        LineInput(account_id=accounts["Prepaid Expenses"], debit_cents=amount),
                        LineInput(account_id=accounts["Savings"], credit_cents=amount)])
                done += 1
    return time.perf_counter() - started


def main() -> int:
    """Run the benchmark and print a report; exit 1 if a target is missed or an invariant breaks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="books-bench-"))
    ok = True
    try:
        settings = Settings(data_dir=data_dir)
        registry = WorldRegistry.for_settings(settings)
        world = "bench"
        t0 = time.perf_counter()
        registry.reset(world)  # builds the scenario's templates (every app, as a server does), then copies them
        print(f"seeded the scenario (all apps) and created the world in {time.perf_counter() - t0:.2f} s")
        app = create_app({"settings": settings, "TESTING": True})
        client = app.test_client()
        settle_heap()  # as a serving process does once its apps are built

        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"\nreports on the scenario ({args.runs} runs each), ms (target p95 < {SCENARIO_TARGET_MS:.0f}):")
        ok &= print_reports(time_reports(client, world, args.runs), SCENARIO_TARGET_MS)

        session = registry.session(world, "books")
        seconds = post_transactions(session, args.transactions)
        total = len(session.exec(select(Txn.id)).all())
        print(f"\nposted {args.transactions} transactions in {seconds:.1f} s "
              f"({args.transactions / seconds:.0f}/s); the world now holds {total} transactions")
        t0 = time.perf_counter()
        problems = audit(session)
        print(f"ledger audit in {(time.perf_counter() - t0) * 1000:.0f} ms: "
              f"{'sound' if not problems else problems[:5]}")
        ok &= not problems
        session.close()

        print(f"\nreports at {total} transactions ({max(5, args.runs // 5)} runs each), ms "
              f"(target p95 < {AT_SIZE_TARGET_MS:.0f}):")
        ok &= print_reports(time_reports(client, world, max(5, args.runs // 5), ("ui", "api")), AT_SIZE_TARGET_MS)
        print(f"\nexports at {total} transactions (3 runs each; every row, no target: a download), ms:")
        print_reports(time_reports(client, world, 3, EXPORTS), float("inf"))

        pages = {"ui general ledger, checking, March": f"/w/{world}/reports/general-ledger?account=1"
                                                        f"&start=2026-03-01&end=2026-03-31",
                 "ui general ledger, all (page)": f"/w/{world}/reports/general-ledger",
                 "ui register of checking (page)": f"/w/{world}/accounts/1/register"}
        figures = {name: timed(lambda url=url: client.get(url), 5) for name, url in pages.items()}
        ok &= print_reports(figures, AT_SIZE_TARGET_MS)

        def create_journal_entry(n=iter(range(10**6))):
            amount = 10 + next(n)
            return client.post(f"/w/{world}/v3/company/{REALM}/journalentry", headers=HEADERS, json={
                "TxnDate": "2026-03-31", "Line": [
                    {"Amount": amount, "DetailType": "JournalEntryLineDetail",
                     "JournalEntryLineDetail": {"PostingType": "Debit", "AccountRef": {"value": "5"}}},
                    {"Amount": amount, "DetailType": "JournalEntryLineDetail",
                     "JournalEntryLineDetail": {"PostingType": "Credit", "AccountRef": {"value": "2"}}}]})

        def query_page(n=iter(range(10**6))):
            query = (f"select * from Invoice where TotalAmt > '100' and TxnDate >= '2026-02-01' "
                     f"orderby TxnDate desc startposition {1 + next(n) * 100} maxresults 100")
            return client.get(f"/w/{world}/v3/company/{REALM}/query", query_string={"query": query}, headers=HEADERS)

        print(f"\none API call at size, 20 runs each, ms (target p95 < {OPERATION_TARGET_MS:.0f}):")
        ok &= print_reports({"api create JournalEntry": timed(create_journal_entry, 20),
                             "api query, a page of 100": timed(query_page, 20)}, OPERATION_TARGET_MS)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print("\nOK" if ok else "\nTARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
