"""The one app factory: every app (and the portal) is a Flask app built here the same way."""

from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass
from typing import Callable

from flask import Flask, Request, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from mock_apps.core import assets, shell
from mock_apps.core.errors import MockAppsError, NotFound
from mock_apps.core.request import close_db
from mock_apps.core.settings import Settings
from mock_apps.core.world import DEFAULT_WORLD, WorldRegistry, check_world_id

log = logging.getLogger("mockapps")
WORLD_COOKIE = "mockworld"
WORLD_HEADER = "X-Mock-World"
_PREFIX = re.compile(r"^/w/([^/]+)(/.*)?$", re.DOTALL)  # DOTALL: a path may hold an encoded newline


Ref = str | Callable  # "package.module:attr.path", imported on first use, or a callable returning the thing


def resolve(ref: str) -> object:
    """Import "package.module:attr.path" and return the attribute."""
    module_name, _, attr_path = ref.partition(":")
    found: object = importlib.import_module(module_name)
    for part in filter(None, attr_path.split(".")):
        found = getattr(found, part)
    return found


@dataclass(frozen=True)
class AppSpec:
    """What makes an app: its tables, its seeder, its blueprints, its API's error shape.

    The references are dotted strings ("mock_apps.mail.models:MailModel.metadata") so that importing
    an app package stays cheap; the core imports them when it first needs them.
    """

    name: str
    title: str
    description: str  # one line for the portal's list of apps
    openapi_path: str  # where the app publishes the OpenAPI document of its public API (from its base URL)
    metadata: Ref  # the sqlalchemy MetaData of the app's own tables
    seed: Ref  # function (WorldSession, Scenario) -> None
    blueprints: tuple[Ref, ...] | Callable  # the app's Flask blueprints
    extra_ddl: Ref | None = None  # list of SQL statements (FTS5, triggers), or a function returning one
    api_prefixes: tuple[str, ...] = ()
    api_error: Ref | None = None  # function MockAppsError -> wire-format Response
    home_endpoint: str | None = None

    def load_metadata(self):
        """The app's MetaData."""
        return resolve(self.metadata) if isinstance(self.metadata, str) else self.metadata()

    def run_seed(self, db, scenario) -> None:
        """Render the scenario into the app's tables."""
        (resolve(self.seed) if isinstance(self.seed, str) else self.seed)(db, scenario)

    def load_blueprints(self) -> list:
        """The app's blueprints."""
        if callable(self.blueprints):
            return list(self.blueprints())
        return [resolve(ref) if isinstance(ref, str) else ref() for ref in self.blueprints]

    def load_extra_ddl(self) -> list[str]:
        """Extra SQL run after the tables are created."""
        if self.extra_ddl is None:
            return []
        found = resolve(self.extra_ddl) if isinstance(self.extra_ddl, str) else self.extra_ddl
        return list(found() if callable(found) else found)

    def api_error_handler(self) -> Callable | None:
        """The function rendering errors on the app's API paths in the real service's shape."""
        if self.api_error is None or not isinstance(self.api_error, str):
            return self.api_error
        return resolve(self.api_error)


class WorldPrefix:
    """WSGI middleware: `/w/<world>/rest` serves `/rest` in that world, keeping the prefix in links."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        match = _PREFIX.match(environ.get("PATH_INFO", ""))
        if match:
            prefix = f"/w/{match.group(1)}"
            environ["mockapps.world"] = match.group(1)
            environ["mockapps.world_prefix"] = prefix
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
            environ["PATH_INFO"] = match.group(2) or "/"
        return self.wsgi_app(environ, start_response)


class JsonRequest(Request):
    """Flask's request whose JSON too deeply nested to parse is bad input (a 400 in the app's shape), as
    malformed JSON already is, instead of a RecursionError and a 500."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        """The parsed JSON body (see flask.Request.get_json)."""
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            if silent:
                return None
            return self.on_json_loading_failed(ValueError("the JSON is nested too deeply"))


def create_flask(name: str, import_name: str, settings: Settings | None = None, *,
                 api_prefixes: tuple[str, ...] = (), api_error=None) -> Flask:
    """A Flask app with the shell, the error pages and the settings installed (portal and apps)."""
    app = Flask(import_name)
    app.request_class = JsonRequest
    app.config["MOCKAPPS_APP"] = name
    app.config["MOCKAPPS_SETTINGS"] = settings or Settings()
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
    app.extensions["mockapps.worlds"] = WorldRegistry.for_settings(app.config["MOCKAPPS_SETTINGS"])
    app.wsgi_app = WorldPrefix(app.wsgi_app)
    shell.install(app)
    assets.install(app)
    _install_error_handlers(app, api_prefixes=api_prefixes, api_error=api_error)
    return app


def create_mock_app(spec: AppSpec, config: dict | None = None) -> Flask:
    """Build one of the apps from its spec: world selection, control API, shell, blueprints."""
    from mock_apps.core import capture, control

    config = dict(config or {})
    app = create_flask(spec.name, f"mock_apps.{spec.name}", config.pop("settings", None),
                       api_prefixes=spec.api_prefixes, api_error=spec.api_error_handler())
    app.config.update(config)
    app.config["MOCKAPPS_SPEC"] = spec
    app.register_blueprint(control.bp)
    capture.install(app)  # any browser with an active recording records, through the app's own pages
    for blueprint in spec.load_blueprints():
        app.register_blueprint(blueprint)
    if spec.home_endpoint is None:
        app.add_url_rule("/", "home", lambda: render_template(
            "shell/home.html", description=f"{spec.title} for this world."))
    app.before_request(_select_world)
    app.teardown_request(close_db)
    return app


def _select_world():
    """Pick the request's world: path prefix, then header, then cookie, then the default world."""
    path = request.path
    if path.startswith("/_control/") or path.startswith("/_shell/static/") or request.endpoint and request.endpoint.endswith(".static"):
        return
    world_id = (request.environ.get("mockapps.world") or request.headers.get(WORLD_HEADER)
                or request.cookies.get(WORLD_COOKIE) or DEFAULT_WORLD)
    check_world_id(world_id)
    g.world_id = world_id
    registry: WorldRegistry = request.environ.get("mockapps.registry") or _registry()
    g.world_generation = registry.require(world_id)


def _registry() -> WorldRegistry:
    from flask import current_app

    return current_app.extensions["mockapps.worlds"]


def _is_api(prefixes: tuple[str, ...]) -> bool:
    path = request.path
    return path.startswith("/_control/") or any(path.startswith(p) for p in prefixes)


def _world_went_away() -> bool:
    """Whether the request's world was deleted or replaced after the request picked it."""
    generation = g.get("world_generation")
    return generation is not None and _registry().generation(g.world_id) != generation


def _install_error_handlers(app: Flask, api_prefixes, api_error) -> None:
    def render_error(error: MockAppsError):
        if request.path.startswith(("/_control/", "/_capture/")):
            return jsonify(error.to_dict()), error.status
        if _is_api(api_prefixes):
            if api_error is not None:
                return api_error(error)
            return jsonify(error.to_dict()), error.status
        heading = {400: "Something is not right", 401: "Sign-in needed", 403: "Not allowed",
                   404: "Not found", 409: "Conflict"}.get(error.status, "Something went wrong")
        return render_template("shell/error.html", status=error.status, heading=heading,
                               message=error.message), error.status

    @app.errorhandler(MockAppsError)
    def _mockapps_error(error: MockAppsError):
        if error.status >= 500:
            log.error("internal error on %s %s: %s", request.method, request.path, error.message)
            error = MockAppsError("Something went wrong on our side; nothing was changed.", status=500,
                                  code="internal_error")
        return render_error(error)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        messages = {404: f"There is no page at {request.path}.",
                    405: f"{request.method} is not allowed on {request.path}.",
                    413: "The upload is too large (64 MB at most)."}
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(error.code, "http_error")
        return render_error(MockAppsError(messages.get(error.code, error.description or error.name),
                                          status=error.code or 500, code=code))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if _world_went_away():
            # deleted (or deleted and created again) by another request while this one ran: its database files
            # vanished under it, which is the client's world going away, not a fault of ours
            return render_error(NotFound(f"world {g.world_id!r} was deleted while this request ran",
                                         code="unknown_world"))
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(MockAppsError("Something went wrong on our side; nothing was changed.",
                                          status=500, code="internal_error"))


__all__ = ["AppSpec", "create_mock_app", "create_flask", "WORLD_COOKIE", "WORLD_HEADER", "NotFound"]
