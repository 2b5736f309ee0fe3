"""Hostile requests for every write operation an app's OpenAPI document lists (shared by the test and the bench)."""

from __future__ import annotations

import json
import re

import requests

AUTH = {"Authorization": "Bearer xoxp-dana.whitfield"}
DEEP = "[" * 100_000 + "]" * 100_000  # nesting far beyond any parser's recursion limit

BODIES = {
    "5 MB JSON body": (json.dumps({"text": "x" * (5 * 1024 * 1024)}).encode(), "application/json"),
    "deep JSON": (DEEP.encode(), "application/json"),
    "invalid UTF-8": (b'{"text": "\xff\xfe\xc3\x28"}', "application/json"),
    "wrong content type": (b"<xml>not json</xml>", "application/xml"),
    "NaN and overflow numbers": (b'{"amount": NaN, "Amount": 1e999, "TotalAmt": -Infinity, "qty": 1e308}',
                                 "application/json"),
    "not an object": (b"[1, 2, 3]", "application/json"),
}
WORLD_IDS = ["../../etc", "..", "a/../../b", "%2e%2e", "x" * 300, "UPPER", "a b"]


def write_operations(base: str, openapi_path: str) -> list[str]:
    """Every POST/PUT/PATCH path of an app's document, path parameters filled with the value the document gives
    (an enum's, a default, an example: books' realmId, Gmail's userId), else a plausible id."""
    document = requests.get(f"{base}{openapi_path}", timeout=30).json()
    prefix = next(iter(document.get("servers") or [{}]), {}).get("url", "")
    prefix = re.sub(r"^https?://[^/]+", "", prefix).rstrip("/")
    paths = []
    for path, item in document["paths"].items():
        for method in ("post", "put", "patch"):
            if method in item:
                known = _known_values([*item.get("parameters", []), *item[method].get("parameters", [])])
                paths.append(prefix + re.sub(r"\{([^}]+)\}", lambda m: known.get(m.group(1), "1"), path))
                break
    return paths


def _known_values(parameters: list[dict]) -> dict[str, str]:
    known = {}
    for param in parameters:
        schema = param.get("schema") or {}
        value = (schema.get("enum") or [None])[0] or schema.get("default") or schema.get("example")
        if param.get("in") == "path" and value is not None:
            known[param["name"]] = str(value)
    return known


def send(base_with_world: str, path: str, body: bytes, content_type: str) -> int:
    """POST one hostile body; the status."""
    return requests.post(f"{base_with_world}{path}", data=body, timeout=60,
                         headers={**AUTH, "Content-Type": content_type}).status_code
