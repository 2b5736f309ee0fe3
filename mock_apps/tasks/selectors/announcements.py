"""Warm-up announcements in the channels every company's Chat has."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance


def close_and_lunch(facts: Facts) -> list[Instance]:
    """The month's close starting, in #finance; the quarter-end lunch moving, in #general."""
    month = f"{facts.now:%B}"
    return [Instance("finance", {"channel": "finance", "what": f"that the {month} close starts on Monday",
                                 "words": f"{month} close"}),
            Instance("general", {"channel": "general", "what": "that the quarter-end lunch moves to 1 pm",
                                 "words": "1 pm"})]
