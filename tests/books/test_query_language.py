"""The QuickBooks query language parser."""

from __future__ import annotations

import pytest

from mock_apps.books.qbql import Condition, QueryError, like_matches, parse


def test_full_query():
    q = parse("select * from Invoice where TotalAmt > '100' and TxnDate >= '2026-01-01' "
              "orderby TxnDate startposition 1 maxresults 100")
    assert q.entity == "Invoice" and q.fields == ("*",) and not q.count
    assert q.where == (Condition("TotalAmt", ">", "100"), Condition("TxnDate", ">=", "2026-01-01"))
    assert q.order_by == (("TxnDate", False),)
    assert (q.start_position, q.max_results) == (1, 100)


def test_keywords_are_case_insensitive_and_order_by_has_two_spellings():
    q = parse("SELECT * FROM Customer ORDER BY DisplayName DESC, Id STARTPOSITION 11 MAXRESULTS 5")
    assert q.order_by == (("DisplayName", True), ("Id", False))
    assert (q.start_position, q.max_results) == (11, 5)
    assert parse("SELECT * FROM Customer ORDERBY DisplayName").order_by == (("DisplayName", False),)


def test_count_in_like_and_escapes():
    q = parse("SELECT COUNT(*) FROM Vendor WHERE DisplayName LIKE '%Summit%' AND Id IN ('1', '2', '3')")
    assert q.count
    assert q.where[0] == Condition("DisplayName", "like", "%Summit%")
    assert q.where[1] == Condition("Id", "in", ("1", "2", "3"))
    assert parse(r"select * from Customer where DisplayName = 'Granite \'n Vale'").where[0].value == "Granite 'n Vale"


def test_field_lists_and_dotted_fields():
    q = parse("SELECT *, Sku FROM Item WHERE MetaData.LastUpdatedTime > '2026-01-01' AND Active = true")
    assert q.fields == ("*", "Sku")
    assert q.where[0].field == "MetaData.LastUpdatedTime"
    assert q.where[1].value is True


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("select from Invoice", "entity name|field"),
    ("select * Invoice", "expected FROM"),
    ("select * from Invoice where TotalAmt >", "ends too early"),
    ("select * from Invoice where TotalAmt ~ '1'", "unexpected text"),
    ("select * from Invoice where A = '1' or B = '2'", "OR is not supported"),
    ("select * from Invoice maxresults 5000", "MAXRESULTS"),
    ("select * from Invoice startposition 0", "STARTPOSITION"),
    ("select * from Invoice where Name = 'unterminated", "unexpected text"),
    ("select * from Invoice where Name like 5", "LIKE"),
    ("delete from Invoice", "expected SELECT"),
])
def test_malformed_queries_say_what_is_wrong(text, message):
    with pytest.raises(QueryError, match=message):
        parse(text)


def test_like_matching():
    assert like_matches("%summit%", "Summit Packaging Co.")
    assert like_matches("Summit%", "Summit Packaging Supply")
    assert not like_matches("Summit", "Summit Packaging")
    assert like_matches("a.b%", "a.bc") and not like_matches("a.b%", "axbc")
