"""People who use the portal (admins, trainers, reviewers): accounts with hashed passwords and one-time invite
links that set them, kept in the portal's own database."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from mock_apps.core.errors import Conflict, MockAppsError, NotFound
from mock_apps.portal.database import connect, portal_db_path

ROLES = ("admin", "trainer", "reviewer")
# usernames become part of world ids and folder names, so they keep to the world id alphabet
USERNAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,23}$")
NAME_MAX = 80
PASSWORD_MIN = 10
PASSWORD_MAX = 200
INVITE_DAYS = 7


@dataclass(frozen=True)
class Account:
    """One person: a username to sign in with, a display name and one role. `local` is the single user of a
    portal running without accounts (loopback only): every role at once."""

    id: int
    username: str
    name: str
    role: str
    has_password: bool = False
    local: bool = False

    @property
    def is_admin(self) -> bool:
        """Manages people and campaigns (and may do what a reviewer does)."""
        return self.role == "admin"

    @property
    def can_review(self) -> bool:
        """Sees the review queue and every trajectory, and may review them."""
        return self.role in ("admin", "reviewer")

    @property
    def is_trainer(self) -> bool:
        """Records assignments (the local user records any of them)."""
        return self.role == "trainer" or self.local


LOCAL_USER = Account(0, "local", "you (single-user mode)", "admin", local=True)


@dataclass(frozen=True)
class Invite:
    """A one-time link that sets an account's password; the token is shown once and only its hash is kept."""

    token: str
    account: Account
    expires: datetime


class AccountStore:
    """Accounts and invites in <data_dir>/portal.sqlite."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def for_settings(cls, settings) -> "AccountStore":
        """The account store of a deployment (its data_dir)."""
        return cls(portal_db_path(settings.data_dir))

    def create(self, username: str, name: str, role: str, password: str | None = None) -> Account:
        """A new account (with a password, or none until an invite sets it); bad fields raise and store nothing."""
        username = str(username or "").strip().lower()
        name = " ".join(str(name or "").split()) or username
        if not USERNAME.match(username):
            raise MockAppsError(f"username {username!r} must be 1 to 24 lower-case letters, digits, '-' or '_', "
                                "starting with a letter or digit", code="bad_username")
        if len(name) > NAME_MAX:
            raise MockAppsError(f"name longer than {NAME_MAX} characters", code="bad_name")
        if role not in ROLES:
            raise MockAppsError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}", code="bad_role")
        hashed = _hash(password) if password is not None else None
        try:
            with connect(self.path) as db:
                cursor = db.execute("INSERT INTO accounts (username, name, role, password_hash, created) "
                                    "VALUES (?, ?, ?, ?, ?)", (username, name, role, hashed, _now().isoformat()))
        except sqlite3.IntegrityError:
            raise Conflict(f"there is already an account {username!r}", code="account_exists") from None
        return Account(cursor.lastrowid, username, name, role, hashed is not None)

    def create_first_admin(self, password: str) -> Account | None:
        """Create the account 'admin' when no admin exists yet (one of several starting processes wins); None
        when an admin exists already."""
        with connect(self.path) as db:
            db.execute("BEGIN IMMEDIATE")
            if db.execute("SELECT 1 FROM accounts WHERE role = 'admin'").fetchone():
                return None
            username = "admin"
            while db.execute("SELECT 1 FROM accounts WHERE username = ?", (username,)).fetchone():
                username = f"admin-{secrets.token_hex(2)}"
            cursor = db.execute("INSERT INTO accounts (username, name, role, password_hash, created) "
                                "VALUES (?, 'Administrator', 'admin', ?, ?)",
                                (username, _hash(password), _now().isoformat()))
        return Account(cursor.lastrowid, username, "Administrator", "admin", True)

    def get(self, account_id: int) -> Account | None:
        """An account by id."""
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM accounts WHERE id = ?", (account_id,)).fetchone()
        return _account(row) if row else None

    def by_username(self, username: str) -> Account | None:
        """An account by username."""
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM accounts WHERE username = ?",
                             (str(username or "").strip().lower(),)).fetchone()
        return _account(row) if row else None

    def list(self, role: str | None = None) -> list[Account]:
        """Every account (of one role), by username."""
        with connect(self.path) as db:
            rows = db.execute("SELECT * FROM accounts WHERE ? IS NULL OR role = ? ORDER BY username",
                              (role, role)).fetchall()
        return [_account(row) for row in rows]

    def authenticate(self, username: str, password: str) -> Account:
        """The account whose password this is; any mismatch raises the same 'wrong username or password'."""
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM accounts WHERE username = ?",
                             (str(username or "").strip().lower(),)).fetchone()
        # a hash is checked even for an unknown user, so timing does not tell which usernames exist
        stored = row["password_hash"] if row and row["password_hash"] else _dummy_hash()
        if not check_password_hash(stored, str(password or "")) or row is None or not row["password_hash"]:
            raise MockAppsError("wrong username or password", status=401, code="bad_credentials")
        return _account(row)

    def invite(self, account_id: int) -> Invite:
        """A new one-time link for the account to set its password (earlier unused ones stop working)."""
        account = self.get(account_id)
        if account is None:
            raise NotFound(f"no account {account_id}", code="unknown_account")
        token = secrets.token_urlsafe(32)
        expires = _now() + timedelta(days=INVITE_DAYS)
        with connect(self.path) as db:
            db.execute("DELETE FROM invites WHERE account_id = ? AND used IS NULL", (account_id,))
            db.execute("INSERT INTO invites (token_hash, account_id, created, expires) VALUES (?, ?, ?, ?)",
                       (_token_hash(token), account_id, _now().isoformat(), expires.isoformat()))
        return Invite(token, account, expires)

    def invited(self, token: str) -> Account:
        """The account an unused, unexpired invite is for; otherwise a clear refusal."""
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM invites WHERE token_hash = ?", (_token_hash(token),)).fetchone()
        return self._check_invite(row)

    def accept_invite(self, token: str, password: str) -> Account:
        """Set the password through an invite and use the invite up (a second use is refused)."""
        hashed = _hash(password)
        with connect(self.path) as db:
            db.execute("BEGIN IMMEDIATE")  # two submits of one link: one wins, the other sees it used
            row = db.execute("SELECT * FROM invites WHERE token_hash = ?", (_token_hash(token),)).fetchone()
            account = self._check_invite(row)
            db.execute("UPDATE invites SET used = ? WHERE token_hash = ?", (_now().isoformat(), row["token_hash"]))
            db.execute("UPDATE accounts SET password_hash = ? WHERE id = ?", (hashed, account.id))
        return Account(account.id, account.username, account.name, account.role, True)

    def _check_invite(self, row) -> Account:
        if row is None:
            raise NotFound("this invite link is not valid; ask your admin for a new one", code="unknown_invite")
        if row["used"]:
            raise MockAppsError("this invite link was used already; sign in, or ask your admin for a new one",
                                status=410, code="invite_used")
        if datetime.fromisoformat(row["expires"]) < _now():
            raise MockAppsError("this invite link has expired; ask your admin for a new one", status=410,
                                code="invite_expired")
        account = self.get(row["account_id"])
        if account is None:
            raise NotFound("the account of this invite no longer exists", code="unknown_account")
        return account


def _hash(password: str) -> str:
    password = str(password or "")
    if len(password) < PASSWORD_MIN:
        raise MockAppsError(f"choose a password of at least {PASSWORD_MIN} characters", code="weak_password")
    if len(password) > PASSWORD_MAX:
        raise MockAppsError(f"password longer than {PASSWORD_MAX} characters", code="bad_password")
    return generate_password_hash(password)


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(str(token or "").encode()).hexdigest()


def _account(row) -> Account:
    return Account(row["id"], row["username"], row["name"], row["role"], bool(row["password_hash"]))


def _now() -> datetime:
    return datetime.now(timezone.utc)
