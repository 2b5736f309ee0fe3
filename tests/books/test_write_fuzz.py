"""Any JSON body posted to any entity gets an entity or a QuickBooks fault, never a server error, and a
refused body posts nothing."""

from __future__ import annotations

import json

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_apps.books.audit import audit

from .test_ledger_properties import HEADERS, REALM

KEYS = ["Id", "SyncToken", "Line", "Amount", "DetailType", "TxnDate", "DueDate", "DocNumber", "CustomerRef", "VendorRef",
        "value", "name", "AccountRef", "ItemRef", "Qty", "UnitPrice", "PostingType", "JournalEntryLineDetail",
        "SalesItemLineDetail", "AccountBasedExpenseLineDetail", "DepositLineDetail", "LinkedTxn", "TxnId", "TxnType",
        "TotalAmt", "DisplayName", "Name", "AccountType", "FromAccountRef", "ToAccountRef", "DepositToAccountRef",
        "PayType", "CheckPayment", "BankAccountRef", "PaymentType", "Active", "SalesTermRef", "Entity", "EntityRef"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                    st.sampled_from(["1", "5", "17", "30", "2026-03-15", "Debit", "Credit", "Invoice", "Bill", "abc",
                                     "SalesItemLineDetail", "JournalEntryLineDetail", "Bank", "Check", ""]))
JSON = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(st.sampled_from(KEYS), children, max_size=5)), max_leaves=12)
ENTITIES = st.sampled_from(["invoice", "bill", "payment", "billpayment", "purchase", "journalentry", "deposit",
                            "transfer", "creditmemo", "vendorcredit", "customer", "vendor", "account", "item"])


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entity=ENTITIES, body=st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6),
       operation=st.sampled_from([None, "delete", "void", "update"]))
def test_any_body_gets_an_entity_or_a_fault(books_world, entity, body, operation):
    world = books_world  # one world serves every example, as a long-lived company would
    params = {"operation": operation} if operation else {}
    before = len(world.changes())
    # json.dumps writes NaN and Infinity as Python does: the server must cope with them too
    response = requests.post(f"{world.api_base}/company/{REALM}/{entity}", data=json.dumps(body), params=params,
                             headers=HEADERS | {"Content-Type": "application/json"})
    assert response.status_code in (200, 400), (entity, body, response.status_code, response.text[:300])
    if response.status_code == 400:
        assert response.json()["Fault"]["type"] == "ValidationFault"
        assert len(world.changes()) == before
    session = world.session()
    try:
        assert audit(session) == []
    finally:
        session.close()
