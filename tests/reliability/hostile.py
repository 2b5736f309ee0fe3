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
    """Every POST/PUT/PATCH path of an app's document, path parameters filled with a plausible id."""
    document = requests.get(f"{base}{openapi_path}", timeout=30).json()
    prefix = next(iter(document.get("servers") or [{}]), {}).get("url", "")
    prefix = re.sub(r"^https?://[^/]+", "", prefix)
    paths = []
    for path, item in document["paths"].items():
        if any(method in item for method in ("post", "put", "patch")):
            paths.append(prefix + re.sub(r"\{[^}]+\}", "1", path))
    return paths


def send(base_with_world: str, path: str, body: bytes, content_type: str) -> int:
    """POST one hostile body; the status."""
    return requests.post(f"{base_with_world}{path}", data=body, timeout=60,
                         headers={**AUTH, "Content-Type": content_type}).status_code
