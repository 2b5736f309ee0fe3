"""The portal's own SQLite database (<data_dir>/portal.sqlite): reviews and replay results, created on first use."""

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
