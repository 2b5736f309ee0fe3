"""Slack-shaped ids ("U8Q2K7ZP1", "C4H9M2XQ0") derived from stable keys, never random."""

from __future__ import annotations

import base64
import hashlib

_PREFIXES = {"user": "U", "channel": "C", "private": "C", "im": "D", "mpim": "G", "file": "F", "team": "T"}


def slack_id(kind: str, key: str) -> str:
    """A deterministic Slack-style id for a thing of this kind with this stable key."""
    digest = hashlib.sha256(f"{kind}:{key}".encode()).digest()
    body = base64.b32encode(digest).decode().rstrip("=")[:10].replace("O", "0").replace("I", "1")
    return _PREFIXES[kind] + body
