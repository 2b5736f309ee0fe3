"""Slack Block Kit payloads reduced to message text (the mock stores and shows text, not layouts).

`chat.postMessage` may carry `blocks` without `text`; Slack then shows the blocks. The mock keeps the
text of section, header, context and rich_text blocks, one block per line, so such a message is
stored, searched and rendered like any other.
"""

from __future__ import annotations

import json

from mock_apps.core.errors import BadRequest


class BlocksError(BadRequest):
    """Blocks that are not a JSON array of block objects."""

    code = "invalid_blocks"


def _text_of(obj) -> list[str]:
    """Text pieces of one block element, recursively."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, list):
        return [piece for item in obj for piece in _text_of(item)]
    if not isinstance(obj, dict):
        return []
    kind = obj.get("type")
    if kind in ("plain_text", "mrkdwn") and isinstance(obj.get("text"), str):
        return [obj["text"]]
    if kind == "text" and isinstance(obj.get("text"), str):  # rich_text leaf
        return [obj["text"]]
    if kind == "link" and isinstance(obj.get("url"), str):
        return [f"<{obj['url']}|{obj['text']}>" if obj.get("text") else f"<{obj['url']}>"]
    if kind == "user" and isinstance(obj.get("user_id"), str):
        return [f"<@{obj['user_id']}>"]
    if kind == "channel" and isinstance(obj.get("channel_id"), str):
        return [f"<#{obj['channel_id']}>"]
    pieces: list[str] = []
    for key in ("text", "fields", "elements"):
        if key in obj:
            pieces += _text_of(obj[key])
    return pieces


def blocks_text(blocks) -> str:
    """The text a list of blocks (or its JSON) shows, one block per line; BlocksError if malformed."""
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except ValueError:
            raise BlocksError("blocks must be a JSON array of block objects.") from None
    if not isinstance(blocks, list) or not all(isinstance(b, dict) and "type" in b for b in blocks):
        raise BlocksError("blocks must be a JSON array of block objects, each with a type.")
    lines = []
    for block in blocks:
        if block["type"] == "divider":
            continue
        joiner = "" if block["type"] == "rich_text" else " "
        text = joiner.join(piece for piece in _text_of(block) if piece).strip()
        if text:
            lines.append(text)
    return "\n".join(lines)
