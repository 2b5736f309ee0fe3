"""Replays started from the portal: run headless in a background thread with recorder/replay.py (the code behind
`mockapps replay`) against a fresh world of this deployment; the last result of each trajectory is kept in the
portal database.

Why the portal database and not a replay.json next to the trajectory: trajectory folders are recordings, and
some are not the portal's to write (the tasks' golden demonstrations live in the source tree; agent runs may sit
on a read-only share); one database also lets the statistics page read every last result in one query.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mock_apps.core.errors import MockAppsError
from mock_apps.portal.database import connect, portal_db_path

REPLAY_WORLD = "portal-replay"  # reset before every replay: each one starts from a fresh world
ACTIVE_STATES = ("queued", "running")


@dataclass(frozen=True)
class ReplayRecord:
    """One replay started from the portal: its state, and when finished its report (as `mockapps replay --report`
    writes it) or the error that stopped it."""

    id: int
    trajectory_id: str
    state: str  # queued, running, finished, error, interrupted
    started: datetime
    finished: datetime | None
    report: dict | None
    error: str | None

    @property
    def active(self) -> bool:
        """Still waiting or running."""
        return self.state in ACTIVE_STATES

    @property
    def succeeded(self) -> bool | None:
        """True when every step reproduced, the final state matched and the checks passed as recorded; None
        while no report exists."""
        if self.report is None:
            return None
        checks = self.report.get("checks")
        return bool(self.report.get("reproduced")) and (checks is None or checks.get("passed")
                                                        or not self.report.get("checks_expected"))

    def step_status(self) -> dict[int, dict]:
        """The replay's result per step index."""
        return {s["index"]: s for s in (self.report or {}).get("steps", [])}

    def to_dict(self) -> dict:
        """JSON-able (the viewer polls this)."""
        return {"id": self.id, "trajectory_id": self.trajectory_id, "state": self.state,
                "started": self.started.isoformat(), "finished": self.finished and self.finished.isoformat(),
                "succeeded": self.succeeded, "report": self.report, "error": self.error}


class ReplayStore:
    """Replay records in <data_dir>/portal.sqlite."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def for_settings(cls, settings) -> "ReplayStore":
        """The replay store of a deployment (its data_dir)."""
        return cls(portal_db_path(settings.data_dir))

    def start(self, trajectory_id: str) -> ReplayRecord | None:
        """A new queued record, or None when this trajectory already has a replay queued or running."""
        now = _now()
        with connect(self.path) as db:
            db.execute("BEGIN IMMEDIATE")  # the check and the insert as one step: two clicks make one replay
            busy = db.execute("SELECT 1 FROM replays WHERE trajectory_id = ? AND state IN (?, ?)",
                              (trajectory_id, *ACTIVE_STATES)).fetchone()
            if busy:
                return None
            cursor = db.execute("INSERT INTO replays (trajectory_id, state, started, owner) "
                                "VALUES (?, 'queued', ?, ?)", (trajectory_id, now.isoformat(), _this_process()))
            return ReplayRecord(cursor.lastrowid, trajectory_id, "queued", now, None, None, None)

    def mark_running(self, record_id: int) -> None:
        """The replay got the browser and runs now."""
        with connect(self.path) as db:
            db.execute("UPDATE replays SET state = 'running' WHERE id = ?", (record_id,))

    def finish(self, record_id: int, report: dict | None = None, error: str | None = None) -> None:
        """Store the report (or the error that stopped the replay)."""
        with connect(self.path) as db:
            db.execute("UPDATE replays SET state = ?, finished = ?, report = ?, error = ? WHERE id = ?",
                       ("error" if error else "finished", _now().isoformat(),
                        json.dumps(report, default=str) if report is not None else None, error, record_id))

    def interrupt_unfinished(self) -> int:
        """Mark replays left queued or running by a portal process that is gone (they will never finish); how
        many. Replays of live processes (another portal on the same data directory) are left alone."""
        host = socket.gethostname()
        with connect(self.path) as db:
            rows = db.execute("SELECT id, owner FROM replays WHERE state IN (?, ?)", ACTIVE_STATES).fetchall()
            gone = [row["id"] for row in rows if _owner_gone(row["owner"], host)]
            db.executemany("UPDATE replays SET state = 'interrupted', finished = ?, error = ? WHERE id = ?",
                           [(_now().isoformat(), "the portal stopped during this replay", i) for i in gone])
        return len(gone)

    def last(self, trajectory_id: str) -> ReplayRecord | None:
        """The latest replay of a trajectory."""
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM replays WHERE trajectory_id = ? ORDER BY id DESC LIMIT 1",
                             (trajectory_id,)).fetchone()
        return _record(row) if row else None

    def last_finished(self) -> dict[str, ReplayRecord]:
        """The latest finished replay (with a report) of every trajectory, by trajectory id."""
        with connect(self.path) as db:
            rows = db.execute("SELECT *, MAX(id) FROM replays WHERE state = 'finished' "
                              "GROUP BY trajectory_id").fetchall()
        return {row["trajectory_id"]: _record(row) for row in rows}


def _this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_gone(owner: str | None, host: str) -> bool:
    """Whether the process that started a replay no longer runs (one on another host is taken as alive)."""
    owner_host, _, pid = (owner or "").rpartition(":")
    if owner_host != host or not pid.isdecimal():
        return owner_host == host or not owner
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _record(row) -> ReplayRecord:
    return ReplayRecord(row["id"], row["trajectory_id"], row["state"], datetime.fromisoformat(row["started"]),
                        datetime.fromisoformat(row["finished"]) if row["finished"] else None,
                        json.loads(row["report"]) if row["report"] else None, row["error"])


def replay_problem(meta, steps_problem: str | None, step_count: int) -> str | None:
    """Why a trajectory cannot be replayed (in words for the viewer), or None when it can."""
    if meta is None:
        return "this trajectory cannot be read, so it cannot be replayed"
    if steps_problem:
        return f"its steps cannot be read ({steps_problem})"
    if meta.status == "incomplete":
        return ("the recording is incomplete (never submitted or given up): there is no end to compare with; "
                "continue it with `mockapps record --resume DIR` first")
    if step_count == 0:
        return "the recording has no steps"
    from mock_apps.scenarios import get_scenario

    try:
        get_scenario(meta.scenario)
    except MockAppsError as error:
        return error.message
    return None


class ReplayRunner:
    """Runs portal replays one at a time in background threads (a headless Chromium each; the machine's cores
    are better spent on one replay at full speed than on several fighting), recording each in a ReplayStore."""

    def __init__(self, store: ReplayStore, settings):
        self.store = store
        self.settings = settings
        self._one_at_a_time = threading.Lock()
        self.threads: list[threading.Thread] = []

    def app_urls(self) -> dict[str, str]:
        """Where this server reaches the apps (loopback; a proxy's public URLs when configured)."""
        from mock_apps.core.settings import APP_NAMES

        return {app: self.settings.public_urls.get(app) or f"http://127.0.0.1:{self.settings.port(app)}"
                for app in APP_NAMES}

    def start(self, trajectory_id: str, folder: Path, observe: bool = False) -> ReplayRecord | None:
        """Queue a replay of one trajectory folder; None when one is already queued or running for it. A proof
        replay (`observe`) writes each step's screenshot and accessibility snapshot into the trajectory."""
        record = self.store.start(trajectory_id)
        if record is None:
            return None
        thread = threading.Thread(target=self._run, args=(record.id, Path(folder), observe), daemon=True,
                                  name=f"portal-replay-{trajectory_id}")
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]
        thread.start()
        return record

    def _run(self, record_id: int, folder: Path, observe: bool) -> None:
        with self._one_at_a_time:
            self.store.mark_running(record_id)
            try:
                report = self.replay(folder, observe)
            except MockAppsError as error:
                self.store.finish(record_id, error=error.message)
            except Exception as error:  # a browser that would not start, a server gone: say so on the page
                self.store.finish(record_id, error=f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
            else:
                self.store.finish(record_id, report=report)

    def replay(self, folder: Path, observe: bool = False) -> dict:
        """Replay one trajectory as `mockapps replay --report` does: the report, with the task's checks."""
        from playwright.sync_api import sync_playwright

        from mock_apps.core import browser
        from mock_apps.core.control_client import ControlClient
        from trajectories.app_url import AppUrls
        from recorder.replay import Replayer
        from trajectories.store import load

        meta, _ = load(folder)
        urls = self.app_urls()
        control = ControlClient(urls, REPLAY_WORLD, token=self.settings.control_token)
        with sync_playwright() as playwright:
            chromium = browser.launch(playwright, headless=True)
            try:
                report = Replayer(chromium, AppUrls(urls), control, folder, observe=observe).run()
            finally:
                chromium.close()
        checks = None
        if meta.task and report.reproduced:
            from mock_apps.tasks import get_task
            from mock_apps.tasks.checks import score_world

            result = score_world(get_task(meta.task), control)
            checks = {"passed": result.passed, "score": result.score, "reasons": result.reasons()}
        # checks failing on replay only count against it when the recording itself passed them
        return {**report.to_dict(), "checks": checks, "checks_expected": meta.outcome == "passed"}
