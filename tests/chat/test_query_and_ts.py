"""The search-query parser and the deterministic Slack ts generator."""

from datetime import date, datetime, timezone

import pytest

from mock_apps.chat.query import QueryError, parse_query
from mock_apps.chat.slack_ts import make_ts, parse_ts, second_prefix, ts_time
from mock_apps.core.errors import BadRequest

TODAY = date(2026, 3, 31)


def test_modifiers_words_phrases_and_exclusions():
    q = parse_query('in:#finance from:@marcus.reyes has:pin has:link has::white_check_mark: '
                    '"BL-20931 approved" approve -draft re:thing', TODAY)
    assert q.in_channels == ["finance"] and q.from_people == ["marcus.reyes"]
    assert q.has == {"pin", "link"} and q.has_reactions == ["white_check_mark"]
    assert q.words == ["BL-20931 approved", "approve", "re:thing"] and q.excluded == ["draft"]
    assert parse_query("in:@priya.nair from:me is:thread", TODAY).in_people == ["priya.nair"]


@pytest.mark.parametrize("text, after, before", [
    ("on:2026-03-19", date(2026, 3, 18), date(2026, 3, 20)),
    ("after:2026-03-01 before:2026-03-10", date(2026, 3, 1), date(2026, 3, 10)),
    ("during:march", date(2026, 2, 28), date(2026, 4, 1)),
    ("during:april", date(2025, 3, 31), date(2025, 5, 1)),  # most recent April is last year's
    ("during:2026-02", date(2026, 1, 31), date(2026, 3, 1)),
    ("during:2025", date(2024, 12, 31), date(2026, 1, 1)),
    ("on:yesterday", date(2026, 3, 29), date(2026, 3, 31)),
    ("during:march before:2026-03-15", date(2026, 2, 28), date(2026, 3, 15)),
])
def test_dates(text, after, before):
    q = parse_query(text, TODAY)
    assert (q.after, q.before) == (after, before)


@pytest.mark.parametrize("bad", ["has:kittens", "before:someday", "during:2026-13", "is:weird", "in:", "-from:@x"])
def test_bad_queries_name_the_problem(bad):
    with pytest.raises(QueryError) as err:
        parse_query(bad, TODAY)
    assert bad.split(":")[0].lstrip("-") in err.value.message


def test_empty_query():
    assert parse_query("  ", TODAY).is_empty and not parse_query("x", TODAY).is_empty


def test_ts_is_clock_derived_sequenced_and_parseable():
    moment = datetime(2026, 3, 19, 15, 12, 0, 400_000, tzinfo=timezone.utc)
    first = make_ts(moment, None)
    assert first == f"{int(moment.timestamp())}.000001" and first.startswith(second_prefix(moment))
    second = make_ts(moment, first)
    assert second.endswith(".000002") and second > first
    assert ts_time(second) == moment.replace(microsecond=0)
    assert parse_ts(second) == (int(moment.timestamp()), 2)
    with pytest.raises(ValueError):
        make_ts(moment, "1000000000.000001")
    with pytest.raises(BadRequest):
        parse_ts("12.3")
    with pytest.raises(ValueError):
        make_ts(moment.replace(tzinfo=None), None)
