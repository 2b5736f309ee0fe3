"""Any query text gets rows or a QuickBooks fault from the API, never a server error."""

from __future__ import annotations

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_ledger_properties import HEADERS, REALM

ENTITIES = st.sampled_from(["Invoice", "Bill", "Customer", "Vendor", "Account", "Item", "Payment", "Attachable",
                            "JournalEntry", "invoice", "Nope"])
FIELDS = st.sampled_from(["Id", "TxnDate", "DueDate", "DocNumber", "TotalAmt", "Balance", "CustomerRef", "Active",
                          "DisplayName", "Name", "AccountType", "MetaData.CreateTime", "UnitPrice", "Sku", "Foo",
                          "AttachableRef.EntityRef.Value"])
OPS = st.sampled_from(["=", "<", ">", "<=", ">=", "!=", "LIKE", "IN"])
VALUES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="'\\"), max_size=12)
    .map(lambda t: f"'{t}'"),
    st.integers(-10**25, 10**25).map(str), st.sampled_from(["true", "false", "'2026-03-01'", "'Bank'", "'%a%'",
                                                             "'2026-03-01T10:00:00-05:00'", "''", "1.5"]))


@st.composite
def queries(draw) -> str:
    text = f"select {draw(st.sampled_from(['*', 'count(*)', 'Id, DocNumber']))} from {draw(ENTITIES)}"
    conditions = []
    for _ in range(draw(st.integers(0, 3))):
        op = draw(OPS)
        value = f"({draw(VALUES)}, {draw(VALUES)})" if op == "IN" else draw(VALUES)
        conditions.append(f"{draw(FIELDS)} {op} {value}")
    if conditions:
        text += " where " + " and ".join(conditions)
    if draw(st.booleans()):
        text += f" orderby {draw(FIELDS)} {draw(st.sampled_from(['', 'desc', 'asc']))}"
    if draw(st.booleans()):
        text += f" startposition {draw(st.integers(-5, 10**12))} maxresults {draw(st.integers(-5, 2000))}"
    return text


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(queries(), st.text(max_size=60)))
def test_query_endpoint_never_fails_with_a_server_error(books_world, text):
    world = books_world  # one world serves every example: queries change nothing
    response = requests.get(f"{world.api_base}/company/{REALM}/query", params={"query": text}, headers=HEADERS)
    assert response.status_code in (200, 400), (text, response.status_code, response.text[:300])
    body = response.json()
    assert ("QueryResponse" in body) if response.status_code == 200 else (body["Fault"]["type"] == "ValidationFault")
