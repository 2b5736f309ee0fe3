"""A company's backdrop: the chatter, channels and context that the apps render around the facts.

No task depends on these texts; they make a company's chat and mail read like that company's (its own
people, places and trade) instead of another's. Person keys name the company's people.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Channel:
    """A chat channel: its members are person keys (None: everyone)."""

    name: str
    kind: str  # "public" or "private"
    topic: str
    purpose: str
    members: tuple[str, ...] | None
    general: bool = False


@dataclass(frozen=True)
class Incident:
    """Why the operations lead approved a repair bill: a post in #operations the day before, with a picture."""

    poster: str  # person key
    text: str
    file_name: str
    file_title: str
    resolution: str  # what the approver adds when approving


@dataclass(frozen=True)
class Backdrop:
    """Everything chat and mail say that is the company's colour rather than its books."""

    channels: tuple[Channel, ...]
    chat_admins: tuple[str, ...]
    statuses: tuple[tuple[str, str, str], ...]  # (person key, status text, emoji)
    announcements: tuple[tuple[str, str], ...]  # (person key, text) for #general
    chatter: tuple[str, ...]  # #random
    direct_messages: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (other person, ((who, text), ...))
    receiving_place: str  # where deliveries are checked in ("dock B")
    receivers: tuple[str, ...]  # who posts the deliveries (a person may repeat: weights)
    incident: Incident
    statement_request: str  # customer key of the customer asking for a statement of account
    internal_mail: tuple[tuple[str, str, str], ...]  # (person key, subject, body with {day})
    newsletters: tuple[tuple[str, str, str, tuple[str, ...]], ...]  # (name, email, subject with {topic}, topics)
