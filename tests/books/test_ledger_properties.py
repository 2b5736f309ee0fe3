"""Random sequences of operations through the API keep the books sound after every step."""

from __future__ import annotations

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_apps.books.audit import audit

REALM = "9341452298761234"
HEADERS = {"Authorization": "Bearer property-test"}

OPS = st.sampled_from(["invoice", "payment", "bill", "billpayment", "journal", "void", "delete", "creditmemo",
                       "applycredit", "transfer", "deposit", "expense", "vendorcredit", "update"])
STEP = st.tuples(OPS, st.integers(0, 10_000), st.integers(1, 500_000), st.integers(1, 4))


class Client:
    """Thin QuickBooks-JSON client over requests for the property test."""

    def __init__(self, world):
        self.base = f"{world.api_base}/company/{REALM}"

    def query(self, text: str) -> list[dict]:
        body = requests.get(f"{self.base}/query", params={"query": text}, headers=HEADERS).json()
        assert "Fault" not in body, body
        return next((v for k, v in body["QueryResponse"].items() if isinstance(v, list)), [])

    def post(self, entity: str, body: dict, **params) -> dict:
        response = requests.post(f"{self.base}/{entity.lower()}", json=body, params=params, headers=HEADERS)
        data = response.json()
        if "Fault" in data:
            assert response.status_code == 400, data  # refused cleanly, never a 500
            assert data["Fault"]["type"] == "ValidationFault"
        return data


def _pick(rows: list[dict], seed: int) -> dict | None:
    return rows[seed % len(rows)] if rows else None


def _step(client: Client, op: str, seed: int, cents: int, n: int, ids: dict) -> None:
    amount = round(cents / 100, 2)
    date = f"2026-03-{1 + seed % 28:02d}"
    customer = {"value": ids["customers"][seed % len(ids["customers"])]}
    vendor = {"value": ids["vendors"][seed % len(ids["vendors"])]}
    if op in ("invoice", "creditmemo"):
        lines = [{"Amount": round(amount / (i + 1), 2), "DetailType": "SalesItemLineDetail",
                  "SalesItemLineDetail": {"ItemRef": {"value": ids["items"][(seed + i) % len(ids["items"])]}}}
                 for i in range(n)]
        client.post("Invoice" if op == "invoice" else "CreditMemo",
                    {"CustomerRef": customer, "TxnDate": date, "Line": lines})
    elif op in ("bill", "vendorcredit", "expense"):
        lines = [{"Amount": round(amount / (i + 1), 2), "DetailType": "AccountBasedExpenseLineDetail",
                  "AccountBasedExpenseLineDetail": {"AccountRef": {"value": ids["expense_accounts"][(seed + i) % 5]}}}
                 for i in range(n)]
        if op == "expense":
            client.post("Purchase", {"AccountRef": {"value": ids["checking"]}, "PaymentType": "Cash",
                                     "TxnDate": date, "Line": lines})
        else:
            client.post("Bill" if op == "bill" else "VendorCredit", {"VendorRef": vendor, "TxnDate": date, "Line": lines})
    elif op in ("payment", "applycredit"):
        inv = _pick(client.query("select * from Invoice where Balance > '0'"), seed)
        if inv is None:
            return
        pay = round(min(amount, inv["Balance"] * (1 + (seed % 3 == 0))), 2)  # every third tries to overpay
        lines = [{"Amount": pay, "LinkedTxn": [{"TxnId": inv["Id"], "TxnType": "Invoice"}]}]
        total = pay
        if op == "applycredit":
            credit = _pick([c for c in client.query("select * from CreditMemo where Balance > '0'")
                            if c["CustomerRef"]["value"] == inv["CustomerRef"]["value"]], seed)
            if credit is not None:
                used = round(min(credit["Balance"], pay), 2)
                lines.append({"Amount": used, "LinkedTxn": [{"TxnId": credit["Id"], "TxnType": "CreditMemo"}]})
                total = round(pay - used, 2)
        client.post("Payment", {"CustomerRef": inv["CustomerRef"], "TotalAmt": total, "TxnDate": date,
                                "DepositToAccountRef": {"value": ids["checking"]}, "Line": lines})
    elif op == "billpayment":
        bill = _pick(client.query("select * from Bill where Balance > '0'"), seed)
        if bill is None:
            return
        pay = round(min(amount, bill["Balance"] * (1 + (seed % 3 == 0))), 2)
        client.post("BillPayment", {"VendorRef": bill["VendorRef"], "PayType": "Check", "TotalAmt": pay,
                                    "TxnDate": date, "CheckPayment": {"BankAccountRef": {"value": ids["checking"]}},
                                    "Line": [{"Amount": pay, "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]}]})
    elif op == "journal":
        off = 0.01 if seed % 4 == 0 else 0  # every fourth is unbalanced and must be refused
        client.post("JournalEntry", {"TxnDate": date, "Line": [
            {"Amount": amount, "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": {
                "PostingType": "Debit", "AccountRef": {"value": ids["expense_accounts"][seed % 5]}}},
            {"Amount": round(amount + off, 2), "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": {
                "PostingType": "Credit", "AccountRef": {"value": ids["checking"]}}}]})
    elif op == "transfer":
        client.post("Transfer", {"FromAccountRef": {"value": ids["checking"]}, "ToAccountRef": {"value": ids["savings"]},
                                 "Amount": amount, "TxnDate": date})
    elif op == "deposit":
        client.post("Deposit", {"DepositToAccountRef": {"value": ids["checking"]}, "TxnDate": date, "Line": [
            {"Amount": amount, "DetailType": "DepositLineDetail",
             "DepositLineDetail": {"AccountRef": {"value": ids["income"]}}}]})
    elif op in ("void", "delete", "update"):
        entity = ["Invoice", "Payment", "Bill", "BillPayment", "CreditMemo"][seed % 5]
        row = _pick(client.query(f"select * from {entity} where TxnDate >= '2026-03-01' maxresults 200"), seed)
        if row is None:
            return
        if op == "update":
            if entity in ("Invoice", "Bill", "CreditMemo"):
                line = next(x for x in row["Line"] if x["DetailType"] != "SubTotalLineDetail")
                detail = line[line["DetailType"]]
                detail.pop("UnitPrice", None)
                detail.pop("Qty", None)
                line["Amount"] = amount
                client.post(entity, {"Id": row["Id"], "SyncToken": row["SyncToken"], "sparse": True,
                                     "Line": [line]})
            return
        if op == "void":
            params = {"operation": "update", "include": "void"} if entity in ("Payment", "BillPayment") else \
                {"operation": "void"}
        else:
            params = {"operation": "delete"}
        client.post(entity, {"Id": row["Id"], "SyncToken": row["SyncToken"]}, **params)


def _ids(client: Client) -> dict:
    accounts = {a["Name"]: a["Id"] for a in client.query("select * from Account maxresults 1000")}
    return {
        "customers": [c["Id"] for c in client.query("select * from Customer maxresults 5")],
        "vendors": [v["Id"] for v in client.query("select * from Vendor maxresults 5")],
        "items": [i["Id"] for i in client.query("select * from Item maxresults 5")],
        "expense_accounts": [accounts[n] for n in ("Office Supplies", "Travel", "Rent", "Utilities", "Meals")],
        "checking": accounts["Operating Checking"], "savings": accounts["Savings"], "income": accounts["Sales"],
    }


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=4, max_size=12))
def test_random_operations_keep_the_books_sound(fresh_books_worlds, steps):
    with fresh_books_worlds() as world:
        _random_operations(world, steps)


def _random_operations(world, steps) -> None:
    client = Client(world)
    ids = _ids(client)
    session = world.session()
    try:
        assert audit(session) == []
        for op, seed, cents, n in steps:
            _step(client, op, seed, cents, n, ids)
            session.rollback()  # end the read snapshot so the audit sees the API's commit
            assert audit(session) == [], (op, seed, cents, n)
    finally:
        session.close()
