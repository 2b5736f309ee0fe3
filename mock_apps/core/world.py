"""Worlds: isolated copies of all the apps' state, created, reset, snapshotted and deleted in ms."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.engine import Engine

from mock_apps.core.changelog import entry_from_row, jsonable
from mock_apps.core.clock import read_clock, to_us
from mock_apps.core.database import WorldSession, open_engine
from mock_apps.core.errors import BadRequest, NotFound
from mock_apps.core.registry import app_spec
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.template import ensure_templates, process_lock

WORLD_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
SNAPSHOT_NAME = WORLD_ID
DEFAULT_WORLD = "default"
DB_NAMES = ("world", *APP_NAMES)
# Folders a process makes aside and renames within milliseconds: world folders being built or thrown away, and
# templates replaced by a newer build. One that is this old was left by a process killed in between.
LEFTOVER_PREFIXES = (".new-", ".deleted-", ".stale-")
LEFTOVER_AFTER_SECONDS = 600


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
        for folder in (self.root, settings.templates_dir):
            remove_leftovers(folder)
        self._engines: dict[tuple[str, str], Engine] = {}
        self._lock = threading.Lock()
        self._world_locks: dict[str, threading.Lock] = {}
        # world.json as it was when this process's engines on a world were opened: a world deleted and created
        # again (by any process) has another world.json, and engines on the old (unlinked) files are dropped
        self._engine_pins: dict[str, _Pin] = {}
        # idle connections on each world's world.db (clock, change log): a new one reads the schema again (~0.5 ms)
        self._world_conns: dict[str, list[sqlite3.Connection]] = {}
        # per world, under its lock only: its world.json, its scenario, and one kept connection per database
        self._kept: dict[str, _Kept] = {}
        self._template_dirs: dict[str, Path] = {}  # scenario -> built templates (this source version)
        self._sources: dict[Path, _Source] = {}  # kept read connections on template databases

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

    def require(self, world_id: str) -> tuple[int, int]:
        """Raise NotFound unless the world exists (the default world is created on first use); return its generation."""
        pin = self._engine_pins.get(world_id)
        if pin is not None and pin.matches():
            return pin.key
        pin = _Pin.open(self.folder(world_id) / "world.json")
        if pin is not None:
            self._drop_engines(world_id)  # first sight, or opened on files a delete (elsewhere) has since unlinked
            self._engine_pins[world_id] = pin
            return pin.key
        if world_id == DEFAULT_WORLD:
            self.reset(world_id)
            return self.require(world_id)
        raise NotFound(
            f"unknown world {world_id!r}; create it with POST /_control/worlds/{world_id}/reset "
            f"or `mockapps world create {world_id}`", code="unknown_world")

    def generation(self, world_id: str) -> tuple[int, int] | None:
        """Which world.json the world has now (None when deleted): another after a delete and create, or a reset to
        another scenario. A request whose world's generation changed while it ran lost its world under it."""
        try:
            found = os.stat(self.folder(world_id) / "world.json")
        except FileNotFoundError:
            return None
        return found.st_dev, found.st_ino

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

    def _drop_engines(self, world_id: str) -> None:
        with self._lock:
            for key in [k for k in self._engines if k[0] == world_id]:
                self._engines.pop(key).dispose()
            pin = self._engine_pins.pop(world_id, None)
            idle = self._world_conns.pop(world_id, [])
        for conn in idle:
            conn.close()
        if pin is not None:
            pin.close()

    # -- lifecycle ----------------------------------------------------------------------------

    def list(self) -> list[dict]:
        """Every world with its scenario (a world deleted while the list is read is left out)."""
        worlds = []
        for meta in sorted(self.root.glob("*/world.json")):
            if meta.parent.name.startswith("."):
                continue  # a world being built or discarded
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
        return process_lock(self._world_lock(world_id), self.root / f".{check_world_id(world_id)}.lock")

    def reset(self, world_id: str, scenario: str | None = None) -> dict:
        """Create the world, or reset it to its scenario's template (or to another scenario)."""
        check_world_id(world_id)  # a malformed id is refused before anything else
        if scenario is not None and scenario not in self._template_dirs:
            from mock_apps.scenarios import get_scenario

            scenario = get_scenario(scenario).name  # raises a NotFound naming the known scenarios, before the lock
        with self.locked(world_id):
            # world.json is read under the lock that guards its writes: a concurrent reset or delete is either
            # wholly before this one or wholly after it
            kept = self._observe(world_id)
            if kept is None:
                scenario = self._create(world_id, scenario)
            else:
                scenario = scenario or kept.scenario
                kept.overwrite(self._template_sources(scenario), unchanging=True)
                if scenario != kept.scenario:
                    self._write_meta(world_id, scenario)
        return {"id": world_id, "scenario": scenario}

    def _create(self, world_id: str, scenario: str | None) -> str:
        """Copy a scenario's templates into a new world's folder (under the world's lock)."""
        from mock_apps.scenarios import get_scenario

        scenario = get_scenario(scenario).name
        templates = ensure_templates(self.settings.templates_dir, scenario)
        self._template_dirs[scenario] = templates
        self._drop_engines(world_id)  # an earlier world of this id, deleted by another process
        folder = self.folder(world_id)
        # Built aside and renamed into place: a connection some process opens on the path meanwhile (a request
        # that began before a delete) finds no folder, never an empty or half-copied database it would then share.
        staging = self.root / f".new-{world_id}-{os.getpid()}-{threading.get_ident()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for name in DB_NAMES:
            shutil.copyfile(templates / f"{name}.db", staging / f"{name}.db")
        write_atomically(staging / "world.json", json.dumps({"scenario": scenario}))
        if folder.exists():  # left by a crash, or by a late connection of a request during a delete
            _discard(folder)
        staging.rename(folder)
        self._write_meta(world_id, scenario, written=True)
        return scenario

    def _write_meta(self, world_id: str, scenario: str, written: bool = False) -> None:
        """Write world.json (unless just written) and remember what it now is (under the world's lock)."""
        path = self.folder(world_id) / "world.json"
        if not written:
            write_atomically(path, json.dumps({"scenario": scenario}))
        kept = self._kept.get(world_id)
        if kept is None:
            kept = self._kept[world_id] = _Kept(self.folder(world_id), _Pin.open(path), scenario)
        else:
            kept.pin.close()
            kept.pin, kept.scenario = _Pin.open(path), scenario

    def _observe(self, world_id: str) -> "_Kept | None":
        """The world as it is on disk now (under its lock): None when it does not exist.

        world.json is read again only when it was replaced, i.e. another process wrote it; then the
        connections kept on the world are closed (they may be on the files of a deleted world).
        """
        path = self.folder(world_id) / "world.json"
        kept = self._kept.get(world_id)
        if kept is not None:
            if kept.pin.matches():
                return kept
            kept.close()
            del self._kept[world_id]
        pin = _Pin.open(path)
        if pin is None:
            return None
        info = _read_meta(path)  # the file pinned: only writers holding this lock replace it
        if info is None:
            pin.close()
            return None
        self._trim()
        kept = self._kept[world_id] = _Kept(self.folder(world_id), pin, info["scenario"])
        return kept

    def _trim(self) -> None:
        """Close the kept connections of idle worlds beyond the most recent 64 (file descriptors are finite)."""
        for world_id in list(self._kept)[:-64]:
            lock = self._world_lock(world_id)
            if lock.acquire(blocking=False):  # in use by another thread: left for a later trim
                try:
                    self._kept.pop(world_id).close()
                finally:
                    lock.release()

    def _template_sources(self, scenario: str) -> dict[str, "_Source"]:
        """Kept read connections on the scenario's template databases (built first if need be)."""
        templates = self._template_dirs.get(scenario)
        if templates is None:
            templates = self._template_dirs[scenario] = ensure_templates(self.settings.templates_dir, scenario)
        sources = {}
        for name in DB_NAMES:
            path = templates / f"{name}.db"
            source = self._sources.get(path)
            if source is None:
                with self._lock:
                    source = self._sources.setdefault(path, _Source(path, immutable=True))
            sources[name] = source
        return sources

    def delete(self, world_id: str) -> None:
        """Remove a world and close this process's connections to it."""
        folder = self.folder(world_id)
        with self.locked(world_id):
            if self._observe(world_id) is None:  # under the lock: of two deletes, the second is a clean NotFound
                self.require_existing(world_id)
            self._kept.pop(world_id).close()
            self._drop_engines(world_id)
            (folder / "world.json").unlink()
            _discard(folder)

    def require_existing(self, world_id: str) -> None:
        """Raise NotFound unless the world exists (no auto-creation)."""
        if not self.exists(world_id):
            raise NotFound(f"unknown world {world_id!r}; `mockapps world list` shows the worlds", code="unknown_world")

    def snapshot(self, world_id: str, name: str) -> dict:
        """Save the world's current state under a name (all databases as of one moment between operations)."""
        self.require(world_id)
        name = _check_snapshot(name)
        target = self.folder(world_id) / "snapshots" / name
        with self.locked(world_id):
            kept = self._observe(world_id)
            if kept is None:
                self.require_existing(world_id)
            # taken aside and renamed into place: a process killed mid-copy leaves no snapshot that is part new,
            # part old or missing a database (a restore from one would wipe the app whose copy is missing)
            staging = target.with_name(f".new-{name}-{os.getpid()}-{threading.get_ident()}")
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            kept.save(staging)
            if target.exists():
                _discard(target)
            staging.rename(target)
        return {"id": world_id, "snapshot": name}

    def restore(self, world_id: str, name: str) -> dict:
        """Bring the world back to a named snapshot."""
        self.require(world_id)
        source = self.folder(world_id) / "snapshots" / _check_snapshot(name)
        if not all((source / f"{db}.db").exists() for db in DB_NAMES):  # a copy missing would be an empty app
            raise NotFound(f"world {world_id!r} has no snapshot {name!r}", code="unknown_snapshot")
        with self.locked(world_id):
            kept = self._observe(world_id)
            if kept is None:
                self.require_existing(world_id)
            sources = {db: _Source(source / f"{db}.db") for db in DB_NAMES}
            try:
                kept.overwrite(sources)
            finally:
                for opened in sources.values():
                    opened.close()
        return {"id": world_id, "restored": name}

    # -- reading ------------------------------------------------------------------------------

    def state(self, world_id: str, app: str) -> dict:
        """One app's normalized tables: rows by primary key, volatile columns left out."""
        self.require(world_id)
        spec = app_spec(app)
        metadata = spec.load_metadata()
        excluded = _excluded_columns(metadata)
        tables = {}
        with self._existing(world_id), self.session(world_id, app) as db:
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
        with self._existing(world_id), self._world_db(world_id) as conn:
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
        with self._existing(world_id), self._world_db(world_id) as conn:
            now, step, tz = read_clock(conn, schema="")
        return {"now": now.isoformat().replace("+00:00", "Z"), "step_seconds": step, "timezone": tz}

    def set_clock(self, world_id: str, now=None, step_seconds: int | None = None) -> dict:
        """Move the world's clock (and/or change its step)."""
        self.require(world_id)
        if step_seconds is not None and (not isinstance(step_seconds, int) or isinstance(step_seconds, bool)
                                         or not 0 <= step_seconds <= 86_400):
            raise BadRequest("'step_seconds' must be a whole number of seconds from 0 to 86400")
        with self._existing(world_id), self._world_db(world_id) as conn:
            if now is not None:
                conn.execute("UPDATE clock SET now_us = ? WHERE id = 1", (to_us(now),))
            if step_seconds is not None:
                conn.execute("UPDATE clock SET step_us = ? WHERE id = 1", (step_seconds * 1_000_000,))
        return self.clock(world_id)

    @contextmanager
    def _existing(self, world_id: str) -> Iterator[None]:
        """Turn a database error into the NotFound it is when the world was deleted meanwhile (its files went away)."""
        try:
            yield
        except (sqlite3.Error, DBAPIError):
            if self.exists(world_id):
                raise
            raise NotFound(f"world {world_id!r} was deleted while this request ran", code="unknown_world") from None

    @contextmanager
    def _world_db(self, world_id: str) -> Iterator[sqlite3.Connection]:
        """A connection on the world's world.db (after `require`, which drops those on a deleted world's files):
        committed and kept for the next use, or rolled back and closed on an error."""
        with self._lock:
            pin = self._engine_pins.get(world_id)
            idle = self._world_conns.get(world_id)
            conn = idle.pop() if idle else None
        if conn is None:
            conn = sqlite3.connect(self.folder(world_id) / "world.db", timeout=15, check_same_thread=False)
        try:
            yield conn
            conn.commit()
        except BaseException:
            conn.close()
            raise
        with self._lock:
            if pin is not None and self._engine_pins.get(world_id) is pin:  # the same files: not dropped meanwhile
                self._world_conns.setdefault(world_id, []).append(conn)
                return
        conn.close()


def _read_meta(path: Path) -> dict | None:
    """A world.json, or None when the world does not exist (or was deleted a moment ago)."""
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None


def _discard(folder: Path) -> None:
    """Remove a world's folder: renamed away first, so that no connection opens a file in it from then on."""
    trash = folder.with_name(f".deleted-{folder.name}-{os.getpid()}-{threading.get_ident()}")
    shutil.rmtree(trash, ignore_errors=True)
    folder.rename(trash)
    shutil.rmtree(trash, ignore_errors=True)


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the staging and trash folders killed processes left in `folder` (only ones too old to be in use:
    another container on the same volume may be building one right now); the paths removed."""
    removed = []
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(LEFTOVER_PREFIXES):
            continue
        try:
            if now - entry.stat().st_mtime < LEFTOVER_AFTER_SECONDS or not entry.is_dir():
                continue
        except FileNotFoundError:
            continue  # removed by another process meanwhile
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


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


class _Pin:
    """An open descriptor on a world.json: the path still names this file only while its inode matches.

    Holding the file open keeps its inode allocated, so a world.json written later (by a reset to another
    scenario, or a delete and create in any process) cannot get the same inode: no false match.
    """

    def __init__(self, path: Path, fd: int):
        self.path = path
        self.fd = fd
        found = os.fstat(fd)
        self.key = (found.st_dev, found.st_ino)

    @classmethod
    def open(cls, path: Path) -> "_Pin | None":
        """A pin on the file, or None when it does not exist."""
        try:
            return cls(path, os.open(path, os.O_RDONLY))
        except FileNotFoundError:
            return None

    def matches(self) -> bool:
        """Whether the path still names the pinned file."""
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return False
        return (found.st_dev, found.st_ino) == self.key

    def close(self) -> None:
        """Let the file go."""
        os.close(self.fd)


def _connect(path: Path) -> sqlite3.Connection:
    """A raw connection for copying whole databases: transactions by hand, no fsync per commit.

    WAL with synchronous=NORMAL never corrupts a database when a process is killed (only an OS crash
    may lose the last commits), and a reset's commit then costs no fsync.
    """
    conn = sqlite3.connect(path, timeout=15, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class _Source:
    """A read connection on a database to copy from (kept open on templates), one copier at a time."""

    def __init__(self, path: Path, immutable: bool = False):
        self.path = path
        self.conn = sqlite3.connect(path, timeout=15, isolation_level=None, check_same_thread=False)
        self.lock = threading.Lock()
        self.immutable = immutable  # a template: its rows can be read once
        self._rows: dict | None = None

    def backup_into(self, target: sqlite3.Connection) -> None:
        """Overwrite the target database with this one's pages."""
        with self.lock:
            self.conn.backup(target)

    def rows(self) -> dict[str, tuple[list[str], list[tuple]]]:
        """Every table's columns and rows (world.db's clock, change log and meta are small)."""
        if self._rows is not None:
            return self._rows
        with self.lock:
            tables = [r[0] for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            found = {}
            for table in tables:
                cursor = self.conn.execute(f'SELECT * FROM "{table}"')
                found[table] = ([d[0] for d in cursor.description], cursor.fetchall())
        if self.immutable:
            self._rows = found
        return found

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


class _Kept:
    """One world as this process knows it (used under the world's lock): one kept connection per database."""

    def __init__(self, folder: Path, pin: _Pin, scenario: str):
        self.folder = folder
        self.pin = pin
        self.scenario = scenario
        self._conns: dict[str, sqlite3.Connection] = {}
        # database -> (the template it was last copied from, its data_version right after): while the version
        # stays, no other connection (of any process) has committed to it, so it still equals that template
        self._copied: dict[str, tuple[Path, int]] = {}

    def conn(self, name: str) -> sqlite3.Connection:
        """The kept connection on one of the world's databases."""
        conn = self._conns.get(name)
        if conn is None:
            conn = self._conns[name] = _connect(self.folder / f"{name}.db")
        return conn

    def overwrite(self, sources: dict[str, _Source], unchanging: bool = False) -> None:
        """Make every database of the world a copy of its source, with no operation in between.

        world.db's write lock is what every operation takes first (the clock step), so holding it keeps
        operations of any process out until the whole world is copied; world.db itself is rewritten
        inside that same transaction (a backup cannot write a database its own transaction locks).
        With unchanging sources (templates), a database nobody wrote since its last copy is not copied again.
        """
        world = self.conn("world")
        world.execute("BEGIN IMMEDIATE")
        try:
            stale = []
            for name in DB_NAMES[1:]:
                conn, source = self.conn(name), sources[name]
                version = _data_version(conn)  # its own commits (the backup) leave it as it is
                if unchanging and self._copied.get(name) == (source.path, version):
                    continue
                self._copied.pop(name, None)
                stale.append((name, conn, source, version))
            _copy_side_by_side([(source, conn) for _, conn, source, _ in stale])
            if unchanging:
                for name, _, source, version in stale:
                    self._copied[name] = (source.path, version)
            for table, (columns, rows) in sources["world"].rows().items():
                world.execute(f'DELETE FROM "{table}"')
                if rows:
                    marks = ", ".join("?" * len(columns))
                    world.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
            world.execute("COMMIT")
        except BaseException:
            world.execute("ROLLBACK")
            raise

    def save(self, target: Path) -> None:
        """Copy every database of the world into a folder, all as of one moment between operations."""
        world = self.conn("world")
        world.execute("BEGIN IMMEDIATE")  # no operation runs while the copies are taken
        try:
            for name in DB_NAMES:
                source = sqlite3.connect(self.folder / f"{name}.db", timeout=15)
                copy = sqlite3.connect(target / f"{name}.db", timeout=15)
                try:
                    source.backup(copy)
                finally:
                    copy.close()
                    source.close()
        finally:
            world.execute("ROLLBACK")

    def close(self) -> None:
        """Close the kept connections and let world.json go."""
        for conn in self._conns.values():
            conn.close()
        self._conns.clear()
        self._copied.clear()
        self.pin.close()


_copiers: tuple[int, ThreadPoolExecutor] | None = None


def _copy_side_by_side(jobs: list[tuple[_Source, sqlite3.Connection]]) -> None:
    """Copy each source into its target, the copies spread over the cores; every copy has ended on return.

    SQLite's backup runs without the interpreter lock, so a world's databases copy at once rather than in turn.
    """
    global _copiers
    if _copiers is None or _copiers[0] != os.getpid():  # a forked worker does not inherit its parent's threads
        _copiers = (os.getpid(), ThreadPoolExecutor(max_workers=max(1, (os.cpu_count() or 2) - 1),
                                                    thread_name_prefix="world-copy"))
    aside = [_copiers[1].submit(source.backup_into, target) for source, target in jobs[1:]]
    try:
        if jobs:
            jobs[0][0].backup_into(jobs[0][1])
    finally:
        wait(aside)  # none may still write once the caller's transaction ends
    for copy in aside:
        copy.result()  # raises the first copy's error, if any


def _data_version(conn: sqlite3.Connection) -> int:
    """SQLite's counter of commits made to the database by other connections (any process) than this one."""
    return conn.execute("PRAGMA data_version").fetchone()[0]
