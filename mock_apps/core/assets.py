"""Static assets (stylesheets, scripts) under versioned URLs: a page links `shell.css?v=<digest of the file>`
and a versioned asset is served cacheable for a year, so a browser asks for nothing again from one page (or
one episode) to the next, yet fetches a changed file at once because its URL changed with it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, Response, current_app, request

YEAR_S = 365 * 24 * 3600
_digests: dict[tuple[str, int, int], str] = {}  # (path, mtime, size) -> digest: a changed file is hashed anew


def install(app: Flask) -> None:
    """Version every static URL the app builds and let browsers keep versioned assets."""
    app.url_defaults(_add_version)
    app.after_request(_cache_versioned)


def _is_static(endpoint: str | None) -> bool:
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def _add_version(endpoint: str, values: dict) -> None:
    if not _is_static(endpoint) or "v" in values or not values.get("filename"):
        return
    folder = _static_folder(endpoint)
    if folder is not None:
        version = digest(Path(folder) / values["filename"])
        if version:
            values["v"] = version


def _static_folder(endpoint: str) -> str | None:
    if endpoint == "static":
        return current_app.static_folder
    blueprint = current_app.blueprints.get(endpoint.rsplit(".", 1)[0])
    return blueprint.static_folder if blueprint is not None else None


def digest(path: Path) -> str | None:
    """A short digest of a file's content (None when there is no such file), recomputed only when it changes."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _digests:
        _digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return _digests[key]


def _cache_versioned(response: Response) -> Response:
    if _is_static(request.endpoint) and "v" in request.args and response.status_code in (200, 304):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = YEAR_S
        response.cache_control.immutable = True
    return response
