"""Worlds: isolated copies of all four apps' state, created, reset, snapshotted and deleted in ms."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from mock_apps.core.changelog import entry_from_row, jsonable
from mock_apps.core.clock import read_clock, to_us
from mock_apps.core.database import WorldSession, open_engine
from mock_apps.core.errors import BadRequest, NotFound
from mock_apps.core.registry import app_spec
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.template import ensure_templates, file_lock

WORLD_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
SNAPSHOT_NAME = WORLD_ID
DEFAULT_WORLD = "default"
DB_NAMES = ("world", *APP_NAMES)


def check_world_id(world_id: str) -> str:
    """Return the id if well-formed, else a BadRequest saying what a world id looks like."""
    if not isinstance(world_id, str) or not WORLD_ID.match(world_id):
        raise BadRequest(
            f"malformed world id {str(world_id)[:80]!r}: use 1-63 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit", code="malformed_world_id")
    return world_id


class WorldRegistry:
    """All worlds under one data directory, and the engines this process holds on them."""

    _instances: dict[Path, "WorldRegistry"] = {}
    _instances_lock = threading.Lock()

    def __init__(self, settings: Settings):
        self.settings = settings
        self.root = settings.worlds_dir
        self.root.mkdir(parents=True, exist_ok=True)
        self._engines: dict[tuple[str, str], Engine] = {}
        self._lock = threading.Lock()
        self._world_locks: dict[str, threading.Lock] = {}

    @classmethod
    def for_settings(cls, settings: Settings) -> "WorldRegistry":
        """The process-wide registry of a data directory (shared by the apps served in one process)."""
        with cls._instances_lock:
            registry = cls._instances.get(settings.data_dir)
            if registry is None:
                registry = cls._instances[settings.data_dir] = cls(settings)
            return registry

    # -- paths and engines -------------------------------------------------------------------

    def folder(self, world_id: str) -> Path:
        """The folder holding a world's databases."""
        return self.root / check_world_id(world_id)

    def exists(self, world_id: str) -> bool:
        """Whether a world has been created."""
        return (self.folder(world_id) / "world.json").exists()

    def require(self, world_id: str) -> None:
        """Raise NotFound unless the world exists (the default world is created on first use)."""
        if self.exists(world_id):
            return
        if world_id == DEFAULT_WORLD:
            self.reset(world_id)
            return
        raise NotFound(
            f"unknown world {world_id!r}; create it with POST /_control/worlds/{world_id}/reset "
            f"or `mockapps world create {world_id}`", code="unknown_world")

    def engine(self, world_id: str, app: str) -> Engine:
        """The (cached) engine on one app's database in one world."""
        key = (world_id, app)
        engine = self._engines.get(key)
        if engine is None:
            with self._lock:
                engine = self._engines.get(key)
                if engine is None:
                    folder = self.folder(world_id)
                    engine = self._engines[key] = open_engine(folder / f"{app}.db", folder / "world.db")
        return engine

    def session(self, world_id: str, app: str) -> WorldSession:
        """A new WorldSession on one app of one world."""
        return WorldSession(self.engine(world_id, app), app=app, world_id=world_id)

    def _world_lock(self, world_id: str) -> threading.Lock:
        with self._lock:
            return self._world_locks.setdefault(world_id, threading.Lock())

    # -- lifecycle ----------------------------------------------------------------------------

    def list(self) -> list[dict]:
        """Every world with its scenario (a world deleted while the list is read is left out)."""
        worlds = []
        for meta in sorted(self.root.glob("*/world.json")):
            info = _read_meta(meta)  # written whole by os.replace: either absent or complete
            if info is not None:
                worlds.append({"id": meta.parent.name, "scenario": info["scenario"]})
        return worlds

    def scenario_of(self, world_id: str) -> str:
        """The scenario a world was last reset to."""
        self.require(world_id)
        with self.locked(world_id):
            info = _read_meta(self.folder(world_id) / "world.json")
        if info is None:
            self.require_existing(world_id)  # deleted meanwhile: the NotFound a caller expects
        return info["scenario"]

    def locked(self, world_id: str):
        """The world's lock, across this process's threads and other processes (reset, delete, snapshot)."""
        return _WorldLock(self._world_lock(world_id), self.root / f".{check_world_id(world_id)}.lock")

    def reset(self, world_id: str, scenario: str | None = None) -> dict:
        """Create the world, or reset it to its scenario's template (or to another scenario)."""
        from mock_apps.scenarios import get_scenario

        folder = self.folder(world_id)
        if scenario is not None:
            scenario = get_scenario(scenario).name  # raises a NotFound naming the known scenarios, before the lock
        with self.locked(world_id):
            # world.json is read under the lock that guards its writes: a concurrent reset or delete is either
            # wholly before this one or wholly after it
            info = _read_meta(folder / "world.json")
            scenario = get_scenario(scenario or (info or {}).get("scenario")).name
            templates = ensure_templates(self.settings.templates_dir, scenario)
            if info is not None:
                for name in DB_NAMES:
                    copy_database(templates / f"{name}.db", folder / f"{name}.db")
            else:
                folder.mkdir(parents=True, exist_ok=True)
                for name in DB_NAMES:
                    shutil.copyfile(templates / f"{name}.db", folder / f"{name}.db")
            if info is None or info.get("scenario") != scenario:
                write_atomically(folder / "world.json", json.dumps({"scenario": scenario}))
        return {"id": world_id, "scenario": scenario}

    def delete(self, world_id: str) -> None:
        """Remove a world and close this process's connections to it."""
        folder = self.folder(world_id)
        with self.locked(world_id):
            self.require_existing(world_id)  # under the lock: of two deletes, the second is a clean NotFound
            with self._lock:
                for key in [k for k in self._engines if k[0] == world_id]:
                    self._engines.pop(key).dispose()
            (folder / "world.json").unlink()
            shutil.rmtree(folder, ignore_errors=True)

    def require_existing(self, world_id: str) -> None:
        """Raise NotFound unless the world exists (no auto-creation)."""
        if not self.exists(world_id):
            raise NotFound(f"unknown world {world_id!r}; `mockapps world list` shows the worlds", code="unknown_world")

    def snapshot(self, world_id: str, name: str) -> dict:
        """Save the world's current state under a name."""
        self.require(world_id)
        name = _check_snapshot(name)
        folder = self.folder(world_id)
        target = folder / "snapshots" / name
        with self.locked(world_id):
            self.require_existing(world_id)
            target.mkdir(parents=True, exist_ok=True)
            for db in DB_NAMES:
                copy_database(folder / f"{db}.db", target / f"{db}.db")
        return {"id": world_id, "snapshot": name}

    def restore(self, world_id: str, name: str) -> dict:
        """Bring the world back to a named snapshot."""
        self.require(world_id)
        source = self.folder(world_id) / "snapshots" / _check_snapshot(name)
        if not (source / "world.db").exists():
            raise NotFound(f"world {world_id!r} has no snapshot {name!r}", code="unknown_snapshot")
        with self.locked(world_id):
            self.require_existing(world_id)
            for db in DB_NAMES:
                copy_database(source / f"{db}.db", self.folder(world_id) / f"{db}.db")
        return {"id": world_id, "restored": name}

    # -- reading ------------------------------------------------------------------------------

    def state(self, world_id: str, app: str) -> dict:
        """One app's normalized tables: rows by primary key, volatile columns left out."""
        self.require(world_id)
        spec = app_spec(app)
        metadata = spec.load_metadata()
        excluded = _excluded_columns(metadata)
        tables = {}
        with self.session(world_id, app) as db:
            for table in metadata.sorted_tables:
                skip = excluded.get(table.name, set())
                columns = [c for c in table.columns if c.name not in skip]
                order = list(table.primary_key.columns) or columns
                rows = db.execute(select(*columns).order_by(*order)).all()
                tables[table.name] = [{c.name: jsonable(v) for c, v in zip(columns, row)} for row in rows]
        return {"app": app, "world": world_id, "tables": tables}

    def changes(self, world_id: str, after: int = 0, app: str | None = None, limit: int = 10_000) -> list[dict]:
        """Change-log entries after a sequence number, oldest first."""
        self.require(world_id)
        with self._world_db(world_id) as conn:
            sql = "SELECT seq, time_us, app, op, args, changes FROM change WHERE seq > ?"
            params: list = [after]
            if app:
                sql += " AND app = ?"
                params.append(app)
            rows = conn.execute(sql + " ORDER BY seq LIMIT ?", (*params, limit)).fetchall()
        return [entry_from_row(row) for row in rows]

    def clock(self, world_id: str) -> dict:
        """The world's clock."""
        self.require(world_id)
        with self._world_db(world_id) as conn:
            now, step, tz = read_clock(conn, schema="")
        return {"now": now.isoformat().replace("+00:00", "Z"), "step_seconds": step, "timezone": tz}

    def set_clock(self, world_id: str, now=None, step_seconds: int | None = None) -> dict:
        """Move the world's clock (and/or change its step)."""
        self.require(world_id)
        if step_seconds is not None and (not isinstance(step_seconds, int) or isinstance(step_seconds, bool)
                                         or not 0 <= step_seconds <= 86_400):
            raise BadRequest("'step_seconds' must be a whole number of seconds from 0 to 86400")
        with self._world_db(world_id) as conn:
            if now is not None:
                conn.execute("UPDATE clock SET now_us = ? WHERE id = 1", (to_us(now),))
            if step_seconds is not None:
                conn.execute("UPDATE clock SET step_us = ? WHERE id = 1", (step_seconds * 1_000_000,))
        return self.clock(world_id)

    def _world_db(self, world_id: str) -> sqlite3.Connection:
        conn = sqlite3.connect(self.folder(world_id) / "world.db", timeout=15)
        return _closing(conn)


class _closing:
    """Commit-and-close context for a raw sqlite3 connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, exc_type, *_):
        if exc_type is None:
            self.conn.commit()
        self.conn.close()


class _WorldLock:
    """A world's thread lock and its file lock, taken together (threads first: flock is per descriptor)."""

    def __init__(self, thread_lock: threading.Lock, path: Path):
        self.thread_lock = thread_lock
        self.path = path
        self._file = None

    def __enter__(self) -> None:
        self.thread_lock.acquire()
        try:
            self._file = file_lock(self.path)
            self._file.__enter__()
        except BaseException:
            self.thread_lock.release()
            raise

    def __exit__(self, *exc) -> None:
        try:
            self._file.__exit__(*exc)
        finally:
            self._file = None
            self.thread_lock.release()


def _read_meta(path: Path) -> dict | None:
    """A world.json, or None when the world does not exist (or was deleted a moment ago)."""
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None


def write_atomically(path: Path, text: str) -> None:
    """Write a small file whole or not at all: readers see the old content or the new, never a part."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temp.write_text(text)
    os.replace(temp, path)


def _check_snapshot(name: str) -> str:
    if not isinstance(name, str) or not SNAPSHOT_NAME.match(name):
        raise BadRequest(f"malformed snapshot name {str(name)[:80]!r}: use lowercase letters, digits, '-' or '_'")
    return name


def _excluded_columns(metadata) -> dict[str, set[str]]:
    excluded: dict[str, set[str]] = {}
    for table in metadata.tables.values():
        names = table.info.get("state_exclude")
        if names:
            excluded[table.name] = set(names)
    return excluded


_source_connections: dict[str, sqlite3.Connection] = {}
_source_lock = threading.Lock()


def copy_database(source: Path, target: Path) -> None:
    """Overwrite a live database with another's content through SQLite's backup API.

    Safe while other connections (in this or other processes) hold the target open: they see the
    new content at their next transaction. Template sources stay open for speed.
    """
    with _source_lock:
        src = _source_connections.get(str(source))
        if src is None or "templates" not in source.parts:
            src = sqlite3.connect(source, check_same_thread=False)
            if "templates" in source.parts:
                _source_connections[str(source)] = src
        dst = sqlite3.connect(target, timeout=15)
        try:
            src.backup(dst)
        finally:
            dst.close()
            if "templates" not in source.parts:
                src.close()
