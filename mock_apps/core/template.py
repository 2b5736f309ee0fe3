"""Scenario templates: each scenario built once into one database per app plus world.db, then cached."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import sqlite3
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy.schema import CreateIndex, CreateTable

from mock_apps.core.changelog import CHANGE_DDL
from mock_apps.core.clock import CLOCK_DDL, DEFAULT_STEP_SECONDS, to_us
from mock_apps.core.database import WorldSession, open_engine
from mock_apps.core.registry import app_specs
from mock_apps.core.settings import APP_NAMES

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # mock_apps/


@lru_cache(maxsize=None)
def source_fingerprint() -> str:
    """A hash of every source file the templates depend on (core, scenarios and every app)."""
    digest = hashlib.sha256()
    for folder in ["core", "scenarios", *APP_NAMES]:
        for path in sorted((PACKAGE_ROOT / folder).rglob("*")):
            if path.suffix in {".py", ".sql", ".json", ".csv"} and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(PACKAGE_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def file_lock(path: Path):
    """An exclusive lock across processes (and threads: each holder opens its own descriptor)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def process_lock(thread_lock, path: Path):
    """A lock across this process's threads and other processes: the thread lock first (flock is per
    descriptor, so two threads of one process would otherwise both hold the file lock), then the file's."""
    with thread_lock, file_lock(path):
        yield


def template_dir(templates_root: Path, scenario_name: str) -> Path:
    """Where the templates of a scenario at the current source fingerprint live."""
    return templates_root / f"{scenario_name}-{source_fingerprint()}"


def ensure_templates(templates_root: Path, scenario_name: str) -> Path:
    """Build the scenario's templates unless they are already built; return their folder, held in use by this
    process (another source version's build leaves it alone while this process lives)."""
    target = template_dir(templates_root, scenario_name)
    while True:
        if not (target / "READY").exists():
            with file_lock(templates_root / f".{scenario_name}.lock"):
                if not (target / "READY").exists():
                    _build(templates_root, scenario_name, target)
        if _hold(target):
            return target
        # removed between the check and the hold by a process of another source version: built again


def _build(templates_root: Path, scenario_name: str, target: Path) -> None:
    """Seed the templates aside and rename them into place (under the scenario's lock)."""
    staging = templates_root / f".build-{scenario_name}-{os.getpid()}-{time.monotonic_ns()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    build_world(staging, scenario_name)
    (staging / "READY").write_text(scenario_name)
    if target.exists():  # an unfinished folder (no READY): renamed away whole, since a removal in place can leave
        # files a reader's SQLite made meanwhile (-shm, -wal) and the rename below would then fail (ENOTEMPTY)
        trash = templates_root / f".stale-{target.name}-{os.getpid()}-{time.monotonic_ns()}"
        target.rename(trash)
        shutil.rmtree(trash, ignore_errors=True)
    staging.rename(target)
    _hold(target)  # before the scenario's lock is let go: a build of another version must not remove it first
    _remove_stale(templates_root, scenario_name, keep=target)


_held: dict[Path, int] = {}  # template folder -> a descriptor on its READY, share-locked for the process's life
_held_lock = threading.Lock()


def _hold(target: Path) -> bool:
    """Share-lock the folder's READY file for the rest of this process (False when the folder went away)."""
    with _held_lock:
        if target in _held:
            return True
        try:
            fd = os.open(target / "READY", os.O_RDONLY)
        except FileNotFoundError:
            return False
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits out a remover holding it exclusively
        try:
            still = os.stat(target / "READY")
        except FileNotFoundError:
            still = None
        if still is None or (still.st_dev, still.st_ino) != (os.fstat(fd).st_dev, os.fstat(fd).st_ino):
            os.close(fd)  # removed while this process waited for the lock
            return False
        _held[target] = fd
        return True


def _remove_stale(templates_root: Path, scenario_name: str, keep: Path) -> None:
    """Remove the scenario's templates of other source versions that no live process holds (a server of the
    older version still copies worlds from its own)."""
    built = re.compile(re.escape(scenario_name) + r"-[0-9a-f]{16}")
    for other in templates_root.iterdir():
        if other == keep or not other.is_dir() or not built.fullmatch(other.name):
            continue
        try:
            fd = os.open(other / "READY", os.O_RDONLY)
        except FileNotFoundError:
            shutil.rmtree(other, ignore_errors=True)  # never completed
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)  # in use
            continue
        try:
            shutil.rmtree(other, ignore_errors=True)
        finally:
            os.close(fd)


def build_world(folder: Path, scenario_name: str) -> None:
    """Seed a complete world (world.db and every app's database) into an empty folder."""
    from mock_apps.scenarios import get_scenario

    scenario = get_scenario(scenario_name)
    world_db = folder / "world.db"
    conn = sqlite3.connect(world_db)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(CLOCK_DDL.format(schema=""))
    conn.execute(CHANGE_DDL.format(schema=""))
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO clock VALUES (1, ?, ?, ?)",
                 (to_us(scenario.now), DEFAULT_STEP_SECONDS * 1_000_000, scenario.facts.company.timezone))
    conn.execute("INSERT INTO meta VALUES ('scenario', ?)", (scenario_name,))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for spec in app_specs():
        seed_app(folder / f"{spec.name}.db", world_db, spec, scenario)


def create_schema(conn, metadata) -> None:
    """Every table, then every index by name. (`create_all` walks a table's indexes as a set, whose order
    changes from process to process: the same scenario's templates would differ in bytes.)"""
    for table in metadata.sorted_tables:
        conn.execute(CreateTable(table))
    for index in sorted((i for t in metadata.sorted_tables for i in t.indexes), key=lambda i: i.name):
        conn.execute(CreateIndex(index))


def seed_app(app_db: Path, world_db: Path, spec, scenario) -> None:
    """Create one app's tables and render the scenario into them."""
    engine = open_engine(app_db, world_db)
    try:
        metadata = spec.load_metadata()
        with engine.begin() as conn:
            create_schema(conn, metadata)
            for statement in spec.load_extra_ddl():
                conn.exec_driver_sql(statement)
        with WorldSession(engine, app=spec.name, world_id="template", seeding=True) as db:
            spec.run_seed(db, scenario)
            db.commit()
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
