"""The portal's pages about people: sign in and out, invite links that set a password, and the admin's People
page (add a person, make a new invite link)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from mock_apps.core.errors import MockAppsError
from mock_apps.portal import access
from mock_apps.portal.accounts import ROLES, AccountStore

bp = Blueprint("accounts", __name__)


def _store() -> AccountStore:
    return AccountStore.for_settings(current_app.config["MOCKAPPS_SETTINGS"])


def _local_path(target: str | None) -> str:
    """Where to go after signing in: a path on this portal only (never another site)."""
    target = target or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("portal.home")


@bp.get("/signin")
def sign_in_form():
    """The sign-in form (without accounts there is nothing to sign in to: back home)."""
    if not current_app.config["MOCKAPPS_ACCOUNTS"]:
        return redirect(url_for("portal.home"))
    return render_template("portal/signin.html", next=_local_path(request.args.get("next")), error=None,
                           username="")


@bp.post("/signin")
def sign_in():
    """Check the username and password; a mismatch re-shows the form with one message for both."""
    if not current_app.config["MOCKAPPS_ACCOUNTS"]:
        return redirect(url_for("portal.home"))
    username = request.form.get("username", "").strip()
    target = _local_path(request.form.get("next"))
    try:
        account = _store().authenticate(username, request.form.get("password", ""))
    except MockAppsError as error:
        return render_template("portal/signin.html", next=target, error=error.message, username=username), \
            error.status
    access.sign_in(account)
    return redirect(target)


@bp.post("/signout")
def sign_out():
    """End the session."""
    access.sign_out()
    flash("Signed out.", "info")
    return redirect(url_for("accounts.sign_in_form") if current_app.config["MOCKAPPS_ACCOUNTS"]
                    else url_for("portal.home"))


@bp.get("/invites/<token>")
def invite(token: str):
    """The form an invited person sets their password with (a used or expired link says so)."""
    try:
        account = _store().invited(token)
    except MockAppsError as error:
        return render_template("portal/invite.html", invited=None, error=error.message), error.status
    return render_template("portal/invite.html", invited=account, error=None)


@bp.post("/invites/<token>")
def accept_invite(token: str):
    """Set the password (typed twice), use the invite up and sign in."""
    store = _store()
    password = request.form.get("password", "")
    try:
        invited = store.invited(token)
    except MockAppsError as error:
        return render_template("portal/invite.html", invited=None, error=error.message), error.status
    try:
        if password != request.form.get("again", ""):
            raise MockAppsError("the two passwords differ; type the same one twice", code="password_mismatch")
        account = store.accept_invite(token, password)
    except MockAppsError as error:
        return render_template("portal/invite.html", invited=invited, error=error.message), error.status
    if current_app.config["MOCKAPPS_ACCOUNTS"]:
        access.sign_in(account)
    flash(f"Password set. Welcome, {account.name}.", "info")
    return redirect(url_for("portal.home"))


def _people_page(error: str | None = None, invite=None, form: dict | None = None, status: int = 200):
    return render_template("portal/people.html", people=_store().list(), roles=ROLES, error=error, invite=invite,
                           form=form or {}), status


@bp.get("/people")
def people():
    """Every account with its role and whether its password is set; a form to add a person."""
    return _people_page()


@bp.post("/people")
def add_person():
    """Add a person and show their one-time invite link (shown once: only its hash is kept)."""
    form = {k: request.form.get(k, "").strip() for k in ("username", "name", "role")}
    store = _store()
    try:
        account = store.create(form["username"], form["name"], form["role"])
        created = store.invite(account.id)
    except MockAppsError as error:
        return _people_page(error=error.message, form=form, status=error.status)
    return _people_page(invite=created, status=201)


@bp.post("/people/<int:account_id>/invite")
def new_invite(account_id: int):
    """A new invite link for a person (to set a forgotten password); their older links stop working."""
    try:
        created = _store().invite(account_id)
    except MockAppsError as error:
        return _people_page(error=error.message, status=error.status)
    return _people_page(invite=created)


def home_for(account) -> str | None:
    """Where a person lands on the portal's front page when it is not theirs (None: the front page is theirs)."""
    if account is None or account.is_admin:
        return None
    return url_for("campaigns.queue") if account.can_review else url_for("campaigns.my_assignments")

