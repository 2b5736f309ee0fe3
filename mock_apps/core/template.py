"""Scenario templates: each scenario built once into one database per app plus world.db, then cached."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sqlite3
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
    """Build the scenario's templates unless they are already built; return their folder."""
    target = template_dir(templates_root, scenario_name)
    if (target / "READY").exists():
        return target
    with file_lock(templates_root / f".{scenario_name}.lock"):
        if (target / "READY").exists():
            return target
        staging = templates_root / f".build-{scenario_name}-{os.getpid()}-{time.monotonic_ns()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        build_world(staging, scenario_name)
        (staging / "READY").write_text(scenario_name)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        _remove_stale(templates_root, scenario_name, keep=target)
    return target


def _remove_stale(templates_root: Path, scenario_name: str, keep: Path) -> None:
    for other in templates_root.glob(f"{scenario_name}-*"):
        if other != keep and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)


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
