"""`untouched` sees whole rows: an update's change-log diff holds only the changed columns, yet `where` and
`unless` name other columns (a bill's number), so they are read from the final state."""

from __future__ import annotations

from mock_apps.tasks.checks import World, evaluate
from mock_apps.tasks.model import Checkpoint

STATES = {"books": {"tables": {"txn": [
    {"id": 1, "type": "Bill", "doc_number": "SP-88412", "balance_cents": 0},
    {"id": 2, "type": "Bill", "doc_number": "HA-60173", "balance_cents": 0},
]}}}


def _paid(txn_id: int, seq: int) -> dict:
    return {"seq": seq, "app": "books", "op": "books.bill.pay", "args": {},
            "changes": [{"table": "txn", "key": txn_id, "kind": "update",
                         "before": {"balance_cents": 155550}, "after": {"balance_cents": 0}}]}


def _untouched(**extra) -> Checkpoint:
    return Checkpoint.model_validate({"name": "no other bill changed", "untouched": {
        "app": "books", "table": "txn", **extra.pop("query", {})}, **extra})


def test_unless_exempts_the_named_row_of_an_update_diff():
    check = _untouched(unless={"doc_number": "SP-88412"})
    assert evaluate(check, World(STATES, [_paid(1, 1)])).passed


def test_an_update_of_another_row_fails_naming_it():
    result = evaluate(_untouched(unless={"doc_number": "SP-88412"}), World(STATES, [_paid(1, 1), _paid(2, 2)]))
    assert not result.passed and "HA-60173" in result.reason and "change 2" in result.reason


def test_where_selects_rows_by_columns_the_diff_does_not_hold():
    check = _untouched(query={"where": {"doc_number": "HA-60173"}})
    assert evaluate(check, World(STATES, [_paid(1, 1)])).passed
    assert not evaluate(check, World(STATES, [_paid(2, 1)])).passed


def test_a_ref_from_a_pk_column_gives_the_rows_pk_not_its_public_id():
    states = {"mail": {"tables": {
        "mail_message": [{"pk": 7, "id": "18c2f0a1b2c3d4e5", "subject": "Urgent: new bank details"}],
        "mail_message_label": [{"message_pk": 7, "label_id": "SPAM"}]}}}
    check = Checkpoint.model_validate({"name": "reported as spam", "exists": {
        "app": "mail", "table": "mail_message_label", "where": {"label_id": "SPAM", "message_pk": {
            "ref": {"app": "mail", "table": "mail_message", "where": {"subject": {"contains": "bank details"}}}}}}})
    assert evaluate(check, World(states, [])).passed
    states["mail"]["tables"]["mail_message_label"] = [{"message_pk": 7, "label_id": "INBOX"}]
    assert not evaluate(check, World(states, [])).passed
