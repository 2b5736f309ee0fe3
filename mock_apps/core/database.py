"""SQLite engines per (world, app) and the WorldSession every app uses to read and change state."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from mock_apps.core.changelog import Operation, capture_flush, dumps
from mock_apps.core.clock import from_us
from mock_apps.core.errors import ChangeOutsideOperation


def open_engine(app_db: Path, world_db: Path) -> Engine:
    """An engine on one app database with its world's clock-and-log database attached as `world`."""
    engine = create_engine(f"sqlite:///{app_db}", pool_size=8, max_overflow=16, pool_pre_ping=False)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        # Transactions are begun explicitly (below) so that SQLAlchemy, not pysqlite, controls them.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 15000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("ATTACH DATABASE ? AS world", (str(world_db),))
        cur.execute("PRAGMA world.journal_mode = WAL")
        cur.execute("PRAGMA world.synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")

    return engine


class WorldSession(Session):
    """A session on one app's tables in one world, with the world's clock and named operations."""

    def __init__(self, engine: Engine, *, app: str, world_id: str, seeding: bool = False):
        super().__init__(bind=engine, expire_on_commit=False, autoflush=True)
        self.app = app
        self.world_id = world_id
        self.seeding = seeding
        self._operation: Operation | None = None

    def now(self) -> datetime:
        """The world's simulated time (aware UTC); inside an operation, the operation's own time."""
        if self._operation is not None:
            return from_us(self._operation.time_us)
        row = self.connection().exec_driver_sql("SELECT now_us FROM world.clock WHERE id = 1").fetchone()
        return from_us(row[0])

    def timezone(self) -> ZoneInfo:
        """The company's timezone (from the world's clock)."""
        row = self.connection().exec_driver_sql("SELECT timezone FROM world.clock WHERE id = 1").fetchone()
        return ZoneInfo(row[0])

    @property
    def in_operation(self) -> bool:
        """Whether an operation is open on this session."""
        return self._operation is not None

    @contextmanager
    def operation(self, name: str, **args) -> Iterator["WorldSession"]:
        """Run a named state change: one transaction, one clock step, one change-log entry."""
        if self.seeding:
            yield self
            return
        if self._operation is not None:  # nested: joins the outer operation
            yield self
            return
        if self.new or self.dirty or self.deleted:
            raise ChangeOutsideOperation(
                f"changes were made before operation {name!r} began; make them inside db.operation(...)")
        if self.in_transaction():
            self.commit()  # end the read snapshot so the write starts from the latest state
        op = Operation(name=name, args=args)
        try:
            conn = self.connection()
            # Writing the clock first takes the world's write lock at once: operations of one world
            # are serialised (across processes too), which makes times and ids deterministic.
            conn.exec_driver_sql("UPDATE world.clock SET now_us = now_us + step_us WHERE id = 1")
            op.time_us = conn.exec_driver_sql("SELECT now_us FROM world.clock WHERE id = 1").fetchone()[0]
            self._operation = op
            yield self
            self.flush()
            diff = op.diff()
            if not diff:
                self.rollback()
                return
            conn.exec_driver_sql(
                "INSERT INTO world.change (time_us, app, op, args, changes) VALUES (?, ?, ?, ?, ?)",
                (op.time_us, self.app, name, dumps(args), json.dumps(diff, sort_keys=True, separators=(",", ":"))),
            )
            self.commit()
        except BaseException:
            self.rollback()
            raise
        finally:
            self._operation = None


@event.listens_for(WorldSession, "before_flush")
def _guard(session, _context, _instances):
    if isinstance(session, WorldSession) and not session.seeding and session._operation is None:
        if session.new or session.dirty or session.deleted:
            raise ChangeOutsideOperation(
                "state was changed outside an operation; wrap service-layer changes in db.operation(name, ...)")


@event.listens_for(WorldSession, "after_flush")
def _capture(session, _context):
    if isinstance(session, WorldSession) and session._operation is not None:
        capture_flush(session, session._operation)
