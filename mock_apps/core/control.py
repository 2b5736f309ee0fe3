"""The control API (`/_control/...`): privileged world management for the recorder, replay, tests."""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify, request

from mock_apps.core.clock import parse_instant
from mock_apps.core.errors import BadRequest, Forbidden, Unauthorized
from mock_apps.core.world import check_world_id

bp = Blueprint("control", __name__, url_prefix="/_control")


def _registry():
    return current_app.extensions["mockapps.worlds"]


@bp.before_request
def authorize():
    """Refuse a control request without the deployment's token (and every one when none is set beyond loopback)."""
    settings = current_app.config["MOCKAPPS_SETTINGS"]
    token = settings.control_token
    if token is None:
        if settings.binds_beyond_loopback:
            raise Forbidden(
                "the control API is disabled: this server binds beyond loopback "
                f"({settings.host}) and MOCKAPPS_CONTROL_TOKEN is not set on the server",
                code="control_token_not_configured")
        return
    sent = request.headers.get("Authorization", "")
    if not sent.startswith("Bearer "):
        raise Unauthorized("the control API requires 'Authorization: Bearer <MOCKAPPS_CONTROL_TOKEN>'",
                           code="control_token_missing")
    if not hmac.compare_digest(sent[len("Bearer "):].encode(), token.encode()):
        raise Unauthorized("the control API token is wrong", code="control_token_wrong")


def _json_body() -> dict:
    if not request.get_data():
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    return body


@bp.get("/health")
def health():
    """Liveness and identity of this app server."""
    return jsonify(ok=True, app=current_app.config["MOCKAPPS_APP"])


@bp.get("/worlds")
def list_worlds():
    """Every world under this server's data directory."""
    return jsonify(worlds=_registry().list())


@bp.post("/worlds/<world_id>/reset")
def reset_world(world_id: str):
    """Create or reset a whole world (all apps) to a scenario."""
    check_world_id(world_id)
    scenario = _json_body().get("scenario")
    if scenario is not None and not isinstance(scenario, str):
        raise BadRequest("'scenario' must be a scenario name")
    return jsonify(_registry().reset(world_id, scenario))


@bp.delete("/worlds/<world_id>")
def delete_world(world_id: str):
    """Delete a world."""
    check_world_id(world_id)
    _registry().delete(world_id)
    return jsonify(deleted=world_id)


@bp.post("/worlds/<world_id>/snapshots/<name>")
def snapshot_world(world_id: str, name: str):
    """Save the world's state under a name."""
    return jsonify(_registry().snapshot(check_world_id(world_id), name))


@bp.post("/worlds/<world_id>/snapshots/<name>/restore")
def restore_world(world_id: str, name: str):
    """Restore a named snapshot."""
    return jsonify(_registry().restore(check_world_id(world_id), name))


@bp.get("/worlds/<world_id>/state")
def world_state(world_id: str):
    """This app's normalized state in a world."""
    return jsonify(_registry().state(check_world_id(world_id), current_app.config["MOCKAPPS_APP"]))


@bp.get("/worlds/<world_id>/changes")
def world_changes(world_id: str):
    """The world's change log after a sequence number."""
    check_world_id(world_id)
    try:
        after = int(request.args.get("after", "0"))
        limit = int(request.args.get("limit", "10000"))
    except ValueError:
        raise BadRequest("'after' and 'limit' must be whole numbers") from None
    app = request.args.get("app") or None
    changes = _registry().changes(world_id, after=after, app=app, limit=limit)
    return jsonify(changes=changes, last_seq=changes[-1]["seq"] if changes else after)


@bp.get("/worlds/<world_id>/clock")
def get_clock(world_id: str):
    """The world's simulated clock."""
    return jsonify(_registry().clock(check_world_id(world_id)))


@bp.put("/worlds/<world_id>/clock")
def put_clock(world_id: str):
    """Set the world's clock time and/or step."""
    check_world_id(world_id)
    body = _json_body()
    unknown = set(body) - {"now", "step_seconds"}
    if unknown:
        raise BadRequest(f"unknown clock field(s) {sorted(unknown)}; use 'now' and 'step_seconds'")
    now = parse_instant(body["now"]) if "now" in body else None
    return jsonify(_registry().set_clock(world_id, now=now, step_seconds=body.get("step_seconds")))
