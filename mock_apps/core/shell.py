"""The shared UI shell: base layout, app switcher, error pages, and the Jinja filters every app uses."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask import Blueprint, current_app, g, request

from mock_apps.core.settings import APP_NAMES, PORT_OFFSETS

bp = Blueprint("shell", __name__, template_folder="templates", static_folder="static",
               static_url_path="/_shell/static")



def app_title(name: str) -> str:
    """The title an app (or the portal) goes by in the shell; an unknown name stands for itself."""
    from mock_apps.core.registry import app_spec

    if name == "portal":
        return "Portal"
    try:
        return app_spec(name).title
    except KeyError:
        return name


def app_url(app: str) -> str:
    """The base URL of an app (same host as this request, the app's port, the same world prefix)."""
    settings = current_app.config["MOCKAPPS_SETTINGS"]
    if settings.public_urls.get(app):
        return app_origin(app)
    prefix = request.environ.get("mockapps.world_prefix", "") if app != "portal" else ""
    return app_origin(app) + prefix


def app_origin(app: str) -> str:
    """Where an app is reached from this request's browser: its public URL, else this host at the app's port."""
    settings = current_app.config["MOCKAPPS_SETTINGS"]
    explicit = settings.public_urls.get(app)
    if explicit:
        return explicit.rstrip("/")
    host = request.host
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return f"{request.scheme}://{hostname}:{settings.port(app)}"


def money(cents, currency: str = "$") -> str:
    """Integer cents as "$1,234.56" ("-$5.00" for negatives)."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}{currency}{whole:,}.{frac:02d}"


def _company_tz():
    from mock_apps.core.request import db

    if "world_id" not in g:
        return timezone.utc
    tz = g.get("_mockapps_tz")
    if tz is None:
        tz = g._mockapps_tz = db().timezone()
    return tz


def localtime(moment: datetime | None, fmt: str = "%b %-d, %Y %-I:%M %p") -> str:
    """A UTC datetime shown in the company's timezone."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(_company_tz()).strftime(fmt)


def reltime(moment: datetime | date | None) -> str:
    """Gmail-style date relative to the world clock: a time today, "Mar 28" this year, else a date."""
    from mock_apps.core.request import db

    if moment is None:
        return ""
    if not isinstance(moment, datetime):
        return moment.strftime("%b %-d, %Y")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    tz = _company_tz()
    local = moment.astimezone(tz)
    now = db().now().astimezone(tz)
    if local.date() == now.date():
        return local.strftime("%-I:%M %p")
    if now - local < timedelta(days=365) and local.year == now.year:
        return local.strftime("%b %-d")
    return local.strftime("%Y-%m-%d")


def isodate(moment) -> str:
    """ISO date (YYYY-MM-DD) of a date or datetime (datetimes in company time)."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return localtime(moment, "%Y-%m-%d")
    return moment.isoformat()


def install(app) -> None:
    """Register the shell blueprint, its filters and its template context on an app."""
    app.register_blueprint(bp)
    app.add_template_filter(money)
    app.add_template_filter(localtime)
    app.add_template_filter(reltime)
    app.add_template_filter(isodate)

    @app.context_processor
    def _shell_context():
        current = app.config["MOCKAPPS_APP"]
        return {
            "shell_app": current,
            "shell_app_title": app_title(current),
            "shell_apps": [
                {"name": name, "title": app_title(name), "url": app_url(name), "current": name == current}
                for name in ("portal", *APP_NAMES)
            ],
            "shell_world": g.get("world_id"),
            "app_url": app_url,
        }


__all__ = ["install", "app_url", "money", "localtime", "reltime", "isodate", "PORT_OFFSETS"]
