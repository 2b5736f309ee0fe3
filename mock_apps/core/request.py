"""Request-scoped access to the current world: `db()` for the app's WorldSession."""

from __future__ import annotations

from flask import current_app, g

from mock_apps.core.database import WorldSession


def db() -> WorldSession:
    """The current request's WorldSession for this app in the request's world (closed at teardown)."""
    session = g.get("_mockapps_db")
    if session is None:
        registry = current_app.extensions["mockapps.worlds"]
        session = g._mockapps_db = registry.session(g.world_id, current_app.config["MOCKAPPS_APP"])
    return session


def close_db(_exc=None) -> None:
    """Close the request's session, rolling back anything uncommitted."""
    session = g.pop("_mockapps_db", None)
    if session is not None:
        session.close()
