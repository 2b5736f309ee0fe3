"""Who may do what on the portal: the two modes (accounts, or one person on loopback), the session key, the
signed-in account of a request, the role each page needs, and the refusal of cross-site form posts (a CSRF token
with accounts; the Origin and Sec-Fetch-Site headers without)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from urllib.parse import urlsplit

from flask import Flask, current_app, g, redirect, request, session, url_for

from mock_apps.core.errors import Forbidden, NotFound, Unauthorized
from mock_apps.core.secret import deployment_secret
from mock_apps.portal.accounts import LOCAL_USER, Account, AccountStore

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

# The roles each endpoint admits when accounts are on. An endpoint missing here is refused to everyone (a new page
# is closed until someone decides who may see it). "signed-in" pages check ownership themselves (a trainer sees
# only their own trajectories and assignments).
PUBLIC = {"static", "portal.static", "shell.static", "accounts.sign_in", "accounts.sign_in_form", "accounts.invite",
          "accounts.accept_invite", "accounts.sign_out"}
ADMIN = ("admin",)
REVIEW = ("admin", "reviewer")
SIGNED_IN = ("admin", "reviewer", "trainer")
ROLES_BY_ENDPOINT = {
    "portal.home": SIGNED_IN,  # trainers and reviewers are sent on to their own page
    "portal.create_world": ADMIN, "portal.reset_world": ADMIN, "portal.delete_world": ADMIN,
    "portal.use_world": ADMIN, "portal.try_task": ADMIN, "portal.record_task": ADMIN, "portal.stop_recorder": ADMIN,
    "portal.tasks": REVIEW, "portal.trajectories": REVIEW, "portal.export_selection": REVIEW,
    "portal.statistics": REVIEW, "portal.review": REVIEW, "portal.replay_now": REVIEW,
    "portal.forget_reviewer": REVIEW,
    "portal.viewer": SIGNED_IN, "portal.trajectory_file": SIGNED_IN, "portal.replay_status": SIGNED_IN,
    "accounts.people": ADMIN, "accounts.add_person": ADMIN, "accounts.new_invite": ADMIN,
    "campaigns.campaigns": ADMIN, "campaigns.create_campaign": ADMIN, "campaigns.campaign": ADMIN,
    "campaigns.campaign_csv": ADMIN, "campaigns.queue": REVIEW,
    "campaigns.my_assignments": SIGNED_IN, "campaigns.assignment": SIGNED_IN, "campaigns.start": SIGNED_IN,
    "campaigns.submit": SIGNED_IN, "campaigns.give_up": SIGNED_IN,
}


def accounts_on(settings, configured: object = None) -> bool:
    """Whether people must sign in: always when the server binds beyond loopback; else when MOCKAPPS_ACCOUNTS
    (or the app's config) asks for it."""
    if settings.binds_beyond_loopback:
        return True
    wanted = os.environ.get("MOCKAPPS_ACCOUNTS", "") if configured is None else configured
    return str(wanted).strip().lower() in ("1", "true", "yes", "on")


def install(app: Flask) -> None:
    """Set the session secret, create the first admin when accounts are on, and gate every request."""
    settings = app.config["MOCKAPPS_SETTINGS"]
    # a key of its own, derived from the deployment's: a session cookie is never a valid recording cookie
    app.secret_key = hashlib.sha256(b"mockapps portal session\0" + deployment_secret(settings)).digest()
    app.config["MOCKAPPS_ACCOUNTS"] = accounts_on(settings, app.config.get("MOCKAPPS_ACCOUNTS"))
    app.config.setdefault("SESSION_COOKIE_NAME", "mockapps_portal")
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if app.config["MOCKAPPS_ACCOUNTS"]:
        _first_admin(AccountStore.for_settings(settings))
    app.before_request(_gate)
    app.jinja_env.globals.update(csrf_token=csrf_token, csrf_field=CSRF_FIELD)
    app.context_processor(lambda: {"account": getattr(g, "account", None),
                                   "accounts_on": current_app.config["MOCKAPPS_ACCOUNTS"]})


def _first_admin(store: AccountStore) -> None:
    configured = os.environ.get("MOCKAPPS_ADMIN_PASSWORD", "").strip()
    password = configured or secrets.token_urlsafe(12)
    created = store.create_first_admin(password)
    if created is None:
        return
    # the only time a generated password is known: printed once, for the person who started the deployment
    shown = "the password in MOCKAPPS_ADMIN_PASSWORD" if configured else f"password {password}"
    print(f"portal: created the admin account {created.username!r} with {shown} "
          "(printed once; sign in and invite people from the Accounts page)", file=sys.stderr, flush=True)


def csrf_token() -> str:
    """This session's form token (made on first use)."""
    token = session.get(CSRF_FIELD)
    if not token:
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def sign_in(account: Account) -> None:
    """Start a session for the account (a fresh one: a token from before signing in is not carried over)."""
    session.clear()
    session["account"] = account.id
    session.permanent = False
    csrf_token()


def sign_out() -> None:
    """End the session."""
    session.clear()


def current_account() -> Account | None:
    """The request's account: the single local user without accounts, else the signed-in one (or None)."""
    if not current_app.config["MOCKAPPS_ACCOUNTS"]:
        return LOCAL_USER
    account_id = session.get("account")
    if not isinstance(account_id, int):
        return None
    return AccountStore.for_settings(current_app.config["MOCKAPPS_SETTINGS"]).get(account_id)


def _gate():
    endpoint = request.endpoint or ""
    accounts = current_app.config["MOCKAPPS_ACCOUNTS"]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if accounts:
            _check_csrf_token()
        else:
            _check_same_origin()
    g.account = current_account()
    if not accounts or endpoint in PUBLIC or not endpoint:  # no endpoint: the 404 page says so
        return None
    if g.account is None:
        if request.method == "GET" and request.accept_mimetypes.accept_html:
            return redirect(url_for("accounts.sign_in_form", next=request.full_path.rstrip("?")))
        raise Unauthorized("sign in to the portal first", code="sign_in_needed")
    if g.account.role not in ROLES_BY_ENDPOINT.get(endpoint, ()):
        raise Forbidden(f"your role ({g.account.role}) may not open {request.path}", code="not_allowed")
    return None


def _check_csrf_token() -> None:
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = session.get(CSRF_FIELD) or ""
    if not expected or not hmac.compare_digest(str(sent), str(expected)):
        raise Forbidden("this form's security token is missing or out of date (was the page open from before "
                        "you signed in?); reload the page and send it again", code="csrf_failed")


def _check_same_origin() -> None:
    """Without accounts, a browser's cross-site post is told apart by its headers (tools without them pass)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site and fetch_site not in ("same-origin", "none"):
        raise Forbidden(f"refused a {fetch_site} form post: only the portal's own pages may post to it",
                        code="cross_site")
    origin = request.headers.get("Origin")
    if origin is not None:
        sent = urlsplit(origin)
        own = urlsplit(request.host_url)
        if (sent.scheme, sent.netloc) != (own.scheme, own.netloc):
            raise Forbidden(f"refused a form post from {origin}: only the portal's own pages may post to it",
                            code="cross_site")


def require_owner(owner_id: int | None, what: str) -> None:
    """Refuse (as not found, so ids cannot be probed) what belongs to another trainer; admins, reviewers and the
    local user see everything."""
    account = g.account
    if account is None or account.local or account.can_review:
        return
    if owner_id != account.id:
        raise NotFound(f"no {what} of yours here", code="not_found")
