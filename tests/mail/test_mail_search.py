"""Gmail search operators against a known mailbox: one by one and in combination."""

import pytest

from mock_apps.mail import service
from mock_apps.mail.query import QueryError
from .mailbox_fixture import build_mailbox


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory):
    session, ids = build_mailbox(tmp_path_factory.mktemp("mailbox"))
    yield session, ids
    session.close()


def found(mailbox, q, **kw) -> set[str]:
    session, ids = mailbox
    keys = {v: k for k, v in ids.items()}
    rows, total = service.search_messages(session, q, **kw)
    assert total == len(rows)
    return {keys[mid] for mid, _ in rows}


# Trash (h) and Spam (g) are excluded unless asked for, as in Gmail.
@pytest.mark.parametrize("q, expected", [
    ("", set("abcdefij")),
    ("from:brightline", {"b", "c"}),
    ("from:kara@brightline-logistics-billing.com", {"c"}),
    ("from:Alicia", {"a"}),
    ("from:me", {"d", "j"}),
    ("to:priya", {"d", "f"}),
    ("cc:marcus", {"d"}),
    ("subject:invoice", {"a", "b", "d"}),
    ('subject:"march close"', {"f", "j"}),
    ("has:attachment", {"a", "b", "d", "i"}),
    ("has:pdf", {"a", "b", "d"}),
    ("filename:pdf", {"a", "b", "d"}),
    ("filename:payroll_summary.xlsx", {"i"}),
    ("label:Finance/Invoices", {"a"}),
    ("label:finance-invoices", {"a"}),
    ("label:payroll", {"i"}),
    ("is:unread", {"a", "c"}),
    ("is:read", set("bdefij")),
    ("is:starred", {"f"}),
    ("is:important", {"c"}),
    ("in:inbox", {"a", "b", "c", "f"}),
    ("in:sent", {"d"}),
    ("in:drafts", {"j"}),
    ("in:trash", {"h"}),
    ("in:spam", {"g"}),
    ("in:anywhere", set("abcdefghij")),
    ("after:2026/03/18", {"b", "c", "f", "j"}),
    ("before:2026/01/01", {"i"}),
    ("after:2026/03/10 before:2026/03/12", {"a", "d"}),
    ("newer_than:2d", {"f", "j"}),
    ("older_than:30d", {"e", "i"}),
    ("larger:500K", {"i"}),
    ("smaller:2K", set("abcdefj")),
    ("invoice", {"a", "b", "d"}),
    ("NP-100", {"a", "d"}),
    ('"five days"', {"e"}),
    ("coastline", {"c"}),
    ("Invoice_BL-20931.pdf", {"b"}),
])
def test_each_operator(mailbox, q, expected):
    assert found(mailbox, q) == expected


@pytest.mark.parametrize("q, expected", [
    ("from:brightline has:attachment after:2026/03/01", {"b"}),
    ("from:brightline -has:attachment", {"c"}),
    ("invoice -in:sent", {"a", "b"}),
    ("from:alicia OR from:marcus", {"a", "f"}),
    ("(from:alicia OR from:kara) is:unread", {"a", "c"}),
    ("{from:alicia from:marcus} is:starred", {"f"}),
    ("invoice in:anywhere", {"a", "b", "d", "g", "h"}),
    ("in:inbox -is:unread -label:finance-invoices", {"b", "f"}),
    ("larger:100K OR subject:urgent", {"c", "i"}),
    # OR binds tighter than the implicit AND, as in Gmail
    ("has:attachment larger:100K OR subject:urgent", {"i"}),
    ('-"march close" in:inbox', {"a", "b", "c"}),
])
def test_combinations(mailbox, q, expected):
    assert found(mailbox, q) == expected


def test_label_ids_and_spam_trash_flag(mailbox):
    assert found(mailbox, "", label_ids=["INBOX"]) == {"a", "b", "c", "f"}
    assert found(mailbox, "", label_ids=["INBOX", "UNREAD"]) == {"a", "c"}
    assert found(mailbox, "invoice", include_spam_trash=True) == {"a", "b", "d", "g", "h"}
    assert found(mailbox, "", label_ids=["TRASH"]) == {"h"}


def test_threads_group_and_order_newest_first(mailbox):
    session, ids = mailbox
    threads, total = service.search_threads(session, "has:attachment")
    assert total == 4
    assert [t.id for t in threads] == [ids["b"], ids["d"], ids["a"], ids["i"]]
    assert threads[0].has_attachment and threads[0].attachment_names == ["Invoice_BL-20931.pdf"]


def test_malformed_query_is_a_query_error(mailbox):
    session, _ = mailbox
    with pytest.raises(QueryError):
        service.search_messages(session, "from:alicia (")
