"""Emoji shortcodes (":white_check_mark:") and the characters they stand for.

Reactions are stored by Slack's shortcode name (what the API speaks); the UI shows the character.
The set covers what office chat uses; an unknown name is still a valid reaction if it is well formed
and shows as its ":name:".
"""

from __future__ import annotations

import re

NAME_PATTERN = re.compile(r"^[a-z0-9_+\-']{1,64}$")

EMOJI: dict[str, str] = {
    "white_check_mark": "\u2705", "heavy_check_mark": "\u2714\ufe0f", "ballot_box_with_check": "\u2611\ufe0f",
    "x": "\u274c", "warning": "\u26a0\ufe0f", "rotating_light": "\U0001f6a8", "no_entry": "\u26d4",
    "+1": "\U0001f44d", "thumbsup": "\U0001f44d", "-1": "\U0001f44e", "thumbsdown": "\U0001f44e",
    "eyes": "\U0001f440", "raised_hands": "\U0001f64c", "clap": "\U0001f44f", "pray": "\U0001f64f",
    "muscle": "\U0001f4aa", "wave": "\U0001f44b", "ok_hand": "\U0001f44c", "point_up": "\u261d\ufe0f",
    "smile": "\U0001f604", "slightly_smiling_face": "\U0001f642", "joy": "\U0001f602", "laughing": "\U0001f606",
    "thinking_face": "\U0001f914", "sweat_smile": "\U0001f605", "tada": "\U0001f389", "heart": "\u2764\ufe0f",
    "fire": "\U0001f525", "rocket": "\U0001f680", "100": "\U0001f4af", "star": "\u2b50", "bulb": "\U0001f4a1",
    "memo": "\U0001f4dd", "moneybag": "\U0001f4b0", "money_with_wings": "\U0001f4b8", "chart_with_upwards_trend": "\U0001f4c8",
    "calendar": "\U0001f4c6", "email": "\U0001f4e7", "paperclip": "\U0001f4ce", "pushpin": "\U0001f4cc",
    "lock": "\U0001f512", "truck": "\U0001f69a", "package": "\U0001f4e6", "coffee": "\u2615",
    "pizza": "\U0001f355", "sunny": "\u2600\ufe0f", "question": "\u2753", "exclamation": "\u2757",
    "hourglass": "\u231b", "speech_balloon": "\U0001f4ac", "see_no_evil": "\U0001f648", "party_popper": "\U0001f389",
}

# Slack stores these under one canonical name
ALIASES = {"thumbsup": "+1", "thumbsdown": "-1", "party_popper": "tada"}

# The picker shows these first, in this order (Slack's frequently used set).
PICKER = ("white_check_mark", "+1", "eyes", "raised_hands", "tada", "pray", "heart", "joy",
          "thinking_face", "warning", "x", "rocket", "100", "memo", "moneybag", "pushpin")


def emoji_char(name: str) -> str | None:
    """The character for a shortcode name, or None when the mock does not know it."""
    return EMOJI.get(name)


def normalize_name(name: str) -> str | None:
    """A reaction name as Slack stores it (":eyes:" becomes "eyes", "thumbsup" becomes "+1"), or None if malformed."""
    if not isinstance(name, str):
        return None
    name = name.strip().strip(":").lower()
    if "::skin-tone-" in name:
        name = name.split("::", 1)[0]
    name = ALIASES.get(name, name)
    return name if NAME_PATTERN.match(name) else None
