"""The JSON Schemas of the exported formats (documented in docs/EXPORT.md)."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def schema_path(name: str) -> Path:
    """The schema file of a format ("sft-jsonl", "chat-jsonl", "devtools")."""
    return HERE / f"{name}.schema.json"


def load_schema(name: str) -> dict:
    """A format's JSON Schema."""
    return json.loads(schema_path(name).read_text(encoding="utf-8"))
