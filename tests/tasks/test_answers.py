"""Final answers are read as typed values and compared exactly; a wrong type fails with a reason saying so."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mock_apps.tasks.answers import AnswerError, compare, parse_answer
from mock_apps.tasks.checks import score
from mock_apps.tasks.model import Task
from mock_apps.tasks.registry import TaskError, load_library


@pytest.mark.parametrize("kind, text, value", [
    ("money", "$8,301.40", 830140),
    ("money", " 8301.4 ", 830140),
    ("money", "8301", 830100),
    ("money", "-$12.05", -1205),
    ("money", "$1,234.56 USD", 123456),
    ("number", "3", Decimal(3)),
    ("number", "1,250.5", Decimal("1250.5")),
    ("date", "2026-03-11", date(2026, 3, 11)),
    ("date", "March 11, 2026", date(2026, 3, 11)),
    ("date", "Mar 11, 2026", date(2026, 3, 11)),
    ("date", "03/11/2026", date(2026, 3, 11)),
    ("string", "  ACH-700494 \n", "ACH-700494"),
    ("string", "Sophie   Lindqvist", "Sophie Lindqvist"),
    ("set", "Sophie Lindqvist, Lena  Ortiz", frozenset({"Sophie Lindqvist", "Lena Ortiz"})),
    ("set", "b; a\na, b", frozenset({"a", "b"})),
])
def test_answers_are_read_as_their_type(kind, text, value):
    assert parse_answer(kind, text) == value


@pytest.mark.parametrize("kind, text, reason", [
    ("money", "about 8300", "not an amount of money"),
    ("money", "$8,301.405", "not an amount of money"),
    ("money", "8.301,40", "not an amount of money"),
    ("money", "The balance is $8,301.40.", "not an amount of money"),
    ("number", "three", "not a number"),
    ("number", "3 invoices", "not a number"),
    ("date", "11/03", "not a date"),
    ("date", "2026-02-30", "not a date"),
    ("date", "next Tuesday", "not a date"),
    ("string", "   ", "empty"),
    ("set", " , ;", "names nothing"),
])
def test_unreadable_answers_say_why(kind, text, reason):
    with pytest.raises(AnswerError, match=reason):
        parse_answer(kind, text)


@pytest.mark.parametrize("kind, expected, given, wrong", [
    ("money", 830140, "$8,301.40", None),
    ("money", 830140, "8301.41", "the answer $8,301.41 is wrong"),
    ("money", 830140, "8,301", "the answer $8,301.00 is wrong"),
    ("money", 830140, "eight thousand", "the answer is not a money"),
    ("number", 3, "3.0", None),
    ("number", 3, "4", "the answer 4 is wrong"),
    ("number", 3, "3 bills", "the answer is not a number"),
    ("date", "2026-03-11", "March 11, 2026", None),
    ("date", "2026-03-11", "2026-03-12", "the answer 2026-03-12 is wrong"),
    ("date", "2026-03-11", "$5.00", "the answer is not a date"),
    ("string", "ACH-700494", "ACH-700494", None),
    ("string", "ACH-700494", "ach-700494", "is wrong"),  # exact: no case folding, no fuzzy match
    ("string", "ACH-700494", "ACH-70049", "is wrong"),
    ("set", ["Sophie Lindqvist"], "Sophie Lindqvist", None),
    ("set", ["Sophie Lindqvist"], "Sophie Lindqvist, Lena Ortiz", "not expected Lena Ortiz"),
    ("set", ["Sophie Lindqvist", "Lena Ortiz"], "Lena Ortiz", "missing Sophie Lindqvist"),
    ("money", 830140, None, "no final answer was given"),
    ("money", 830140, "  ", "no final answer was given"),
])
def test_compare_is_typed_and_exact(kind, expected, given, wrong):
    result = compare(kind, expected, given)
    assert (result is None) if wrong is None else (wrong in result)


TASK = {
    "id": "t-answer", "title": "T", "instruction": "How much?", "difficulty": "easy", "apps": ["books"],
    "checks": [{"name": "right amount", "weight": 2, "answer": {"type": "money", "value": 830140},
                "hint": "INV-1021's open balance"},
               {"name": "nothing changed", "only_ops": []}],
}


def test_score_takes_the_answer_and_gives_partial_credit_with_a_reason():
    task = Task.model_validate(TASK)
    assert task.needs_answer
    good = score(task, {}, [], answer="$8,301.40")
    assert good.passed and good.score == 1.0
    wrong_type = score(task, {}, [], answer="2026-03-11")
    assert not wrong_type.passed and wrong_type.score == pytest.approx(1 / 3)
    assert wrong_type.reasons() == ["right amount: the answer is not a money: '2026-03-11' is not an amount of money "
                                    "(write it like $1,234.56) (INV-1021's open balance)"]
    assert "no final answer was given" in score(task, {}, []).reasons()[0]


def _write_task(tmp_path, answer_yaml: str) -> None:
    (tmp_path / "a.yaml").write_text(f"""
id: t1
title: T
instruction: How much?
difficulty: easy
apps: [books]
checks:
  - name: answered
    answer: {answer_yaml}
""")


@pytest.mark.parametrize("answer, message", [
    ("{type: money, value: 83.14}", "a money answer key is whole cents"),
    ("{type: date, value: March 3}", "a date answer key is an ISO date"),
    ("{type: set, value: []}", "a set answer key is a non-empty list of strings"),
    ("{type: number, value: [1]}", "a number answer key must be a number"),
    ("{type: fuzzy, value: x}", "checks.0.answer.type"),
])
def test_a_bad_answer_key_fails_at_load(tmp_path, answer, message):
    _write_task(tmp_path, answer)
    with pytest.raises(TaskError) as error:
        load_library(tmp_path)
    assert error.value.message.startswith("a.yaml: task 't1'") and message in error.value.message


def test_an_answer_checkpoint_loads(tmp_path):
    _write_task(tmp_path, "{type: set, value: [Sophie Lindqvist]}")
    assert load_library(tmp_path)["t1"].needs_answer
