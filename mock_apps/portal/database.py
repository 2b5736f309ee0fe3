"""The portal's own SQLite database (<data_dir>/portal.sqlite): reviews, replay results, accounts, invites, campaigns
and their assignments, created on first use."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trajectory_id TEXT NOT NULL,
    step INTEGER,
    verdict TEXT,
    reviewer TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_by_trajectory ON reviews (trajectory_id, id);
CREATE TABLE IF NOT EXISTS replays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trajectory_id TEXT NOT NULL,
    state TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    report TEXT,
    error TEXT,
    owner TEXT
);
CREATE INDEX IF NOT EXISTS replays_by_trajectory ON replays (trajectory_id, id);
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS invites (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    used TEXT
);
CREATE TABLE IF NOT EXISTS campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS campaign_tasks (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    task_id TEXT NOT NULL,
    needed INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, task_id)
);
CREATE TABLE IF NOT EXISTS assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    task_id TEXT NOT NULL,
    trainer_id INTEGER NOT NULL REFERENCES accounts (id),
    state TEXT NOT NULL,
    UNIQUE (campaign_id, task_id, trainer_id)
);
CREATE INDEX IF NOT EXISTS assignments_by_trainer ON assignments (trainer_id, id);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment_id INTEGER NOT NULL REFERENCES assignments (id),
    recording_id TEXT NOT NULL,
    trajectory_id TEXT NOT NULL,
    folder TEXT NOT NULL,
    world TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,
    outcome TEXT,
    score REAL
);
CREATE INDEX IF NOT EXISTS attempts_by_assignment ON attempts (assignment_id, id);
CREATE INDEX IF NOT EXISTS attempts_by_trajectory ON attempts (trajectory_id);
"""


def portal_db_path(data_dir: Path) -> Path:
    """Where the portal database of a deployment lives."""
    return Path(data_dir) / "portal.sqlite"


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A short-lived connection (one per call: the portal's request threads and replay threads share the file),
    committed on success, rolled back on error, the schema created if missing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10)
    connection.row_factory = sqlite3.Row
    try:
        # WAL: readers (page views) never wait for the writer (a replay finishing, a review being stored)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA)
        with connection:
            yield connection
    finally:
        connection.close()
