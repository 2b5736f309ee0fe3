"""The Gmail query parser: AST shapes and clear errors."""

from datetime import date

import pytest

from mock_apps.mail.query import And, Not, Or, QueryError, Term, parse


def test_operators_and_implicit_and():
    ast = parse("from:Brightline has:attachment after:2026/03/01 label:Finance/Invoices")
    assert ast == And((Term("from", "brightline"), Term("has", "attachment"), Term("after", date(2026, 3, 1)),
                       Term("label", "finance-invoices")))


def test_or_negation_parentheses_braces_and_phrases():
    assert parse('(invoice OR bill) -"past due"') == And((Or((Term(None, "invoice"), Term(None, "bill"))),
                                                          Not(Term(None, "past due", phrase=True))))
    assert parse("{a b}") == Or((Term(None, "a"), Term(None, "b")))
    assert parse('subject:"march close"') == Term("subject", "march close", phrase=True)
    assert parse("a | b") == Or((Term(None, "a"), Term(None, "b")))


def test_values_are_normalised():
    assert parse("larger:2M") == Term("larger", 2 * 1024 * 1024)
    assert parse("smaller:500K") == Term("smaller", 500 * 1024)
    assert parse("newer_than:7d") == Term("newer_than", (7, "d"))
    assert parse("before:03/15/2026") == Term("before", date(2026, 3, 15))
    assert parse("in:all") == Term("in", "anywhere")
    assert parse("older:2026-01-02") == Term("before", date(2026, 1, 2))


def test_non_operators_with_colon_and_hyphens_are_text():
    assert parse("re: e-mail") == And((Term(None, "re:"), Term(None, "e-mail")))
    assert parse("   ") is None


@pytest.mark.parametrize("query, fragment", [
    ("(invoice", "closing )"),
    ("invoice)", "no matching opening"),
    ('"unterminated', "unterminated quote"),
    ("is:urgent", "is:urgent is not supported"),
    ("in:nowhere", "in:nowhere is not supported"),
    ("has:dog", "has:dog is not supported"),
    ("after:2026/13/40", "is not a date"),
    ("larger:huge", "is not a size"),
    ("newer_than:week", "needs a number and a unit"),
    ("OR bill", "needs a term before"),
    ("bill OR", "needs a term after"),
    ("from:", "needs a value"),
    ("()", "empty parentheses"),
])
def test_malformed_queries_name_the_problem(query, fragment):
    with pytest.raises(QueryError) as err:
        parse(query)
    assert fragment in err.value.message
    assert err.value.status == 400
