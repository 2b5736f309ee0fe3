"""The portal (port 8000): links to the four apps and the worlds, with create, reset, delete and switch."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from mock_apps.core.app import WORLD_COOKIE, create_flask
from mock_apps.core.errors import MockAppsError
from mock_apps.core.world import DEFAULT_WORLD, WORLD_ID, check_world_id

bp = Blueprint("portal", __name__, template_folder="templates", static_folder="static",
               static_url_path="/_portal/static")
APP_DESCRIPTIONS = {
    "mail": "Gmail-like mailbox: threads, labels, search, attachments.",
    "chat": "Slack-like workspace: channels, DMs, threads, files.",
    "sheets": "Spreadsheets with Excel formulas, XLSX import and export.",
    "books": "QuickBooks-like bookkeeping: bills, invoices, banking, reports.",
}


def _registry():
    return current_app.extensions["mockapps.worlds"]


@bp.before_app_request
def _current_world():
    chosen = request.cookies.get(WORLD_COOKIE) or DEFAULT_WORLD
    g.world_id = chosen if WORLD_ID.match(chosen) else DEFAULT_WORLD


@bp.get("/")
def home():
    """The apps of the current world and every world with its actions."""
    from mock_apps.scenarios import scenario_names

    return render_template("portal/home.html", descriptions=APP_DESCRIPTIONS, worlds=_registry().list(),
                           scenarios=scenario_names())


@bp.post("/worlds")
def create_world():
    """Create (or reset) a world from the form, then switch to it."""
    world_id = request.form.get("world", "").strip()
    scenario = request.form.get("scenario") or None
    try:
        check_world_id(world_id)
        if _registry().exists(world_id):
            raise MockAppsError(f"world {world_id!r} already exists; use its Reset button", code="world_exists")
        _registry().reset(world_id, scenario)
    except MockAppsError as error:
        flash(error.message, "error")
        return redirect(url_for("portal.home"))
    flash(f"Created world {world_id}.", "info")
    return _switch_to(world_id)


@bp.post("/worlds/<world_id>/reset")
def reset_world(world_id: str):
    """Reset a world to its scenario."""
    _registry().reset(check_world_id(world_id))
    flash(f"Reset world {world_id}.", "info")
    return redirect(url_for("portal.home"))


@bp.post("/worlds/<world_id>/delete")
def delete_world(world_id: str):
    """Delete a world (the current world falls back to the default)."""
    _registry().delete(check_world_id(world_id))
    flash(f"Deleted world {world_id}.", "info")
    response = redirect(url_for("portal.home"))
    if g.world_id == world_id:
        response.delete_cookie(WORLD_COOKIE)
    return response


@bp.post("/worlds/<world_id>/use")
def use_world(world_id: str):
    """Make a world the current one for this browser (the cookie serves all apps on this host)."""
    _registry().require_existing(check_world_id(world_id))
    return _switch_to(world_id)


def _switch_to(world_id: str):
    response = redirect(url_for("portal.home"))
    response.set_cookie(WORLD_COOKIE, world_id, samesite="Lax", httponly=False)
    return response


def create_app(config: dict | None = None):
    """The portal's Flask app."""
    config = dict(config or {})
    app = create_flask("portal", __name__, config.pop("settings", None))
    app.config.update(config)
    app.secret_key = "mockapps-portal"  # flash messages only; nothing secret is kept in the session
    app.register_blueprint(bp)
    return app
