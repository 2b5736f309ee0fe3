"""Collection campaigns: a set of tasks, how many accepted demonstrations each needs, and the trainers who record
them. Each (campaign, task, trainer) is an assignment; each recording of it is an attempt (a trajectory). The
review verdict of an assignment's latest attempt decides whether it is accepted, rejected or sent back."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mock_apps.core.errors import Conflict, MockAppsError, NotFound
from mock_apps.portal.accounts import AccountStore
from mock_apps.portal.database import connect, portal_db_path

# stored states: assigned (nothing recorded, or the last attempt given up), recording, submitted; the review of a
# submitted attempt turns it into accepted, rejected or sent back (the verdicts "accepted", "rejected", "needs-fix")
ASSIGNMENT_STATES = ("assigned", "recording", "submitted", "accepted", "rejected", "sent back")
STATE_OF_VERDICT = {"accepted": "accepted", "rejected": "rejected", "needs-fix": "sent back"}
STARTABLE = ("assigned", "sent back")
NAME_MAX = 80
NEEDED_MAX = 100


@dataclass(frozen=True)
class Campaign:
    """A campaign and the demonstrations it needs per task."""

    id: int
    name: str
    created: datetime
    created_by: str
    needed: dict[str, int]  # task id -> accepted demonstrations wanted


@dataclass(frozen=True)
class Attempt:
    """One recording of an assignment, and how it ended (status recording, complete or abandoned)."""

    id: int
    assignment_id: int
    recording_id: str
    trajectory_id: str
    folder: Path
    world: str
    started: datetime
    finished: datetime | None
    status: str
    outcome: str | None
    score: float | None

    @property
    def seconds(self) -> float | None:
        """How long the recording took, once finished."""
        return (self.finished - self.started).total_seconds() if self.finished else None


@dataclass(frozen=True)
class Assignment:
    """One task of a campaign for one trainer, with every attempt (oldest first)."""

    id: int
    campaign_id: int
    campaign: str
    task_id: str
    trainer_id: int
    trainer: str  # username
    trainer_name: str
    stored_state: str
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def latest(self) -> Attempt | None:
        """The newest attempt."""
        return self.attempts[-1] if self.attempts else None

    def state(self, verdicts: dict[str, str]) -> str:
        """The state as the trainer and the campaign page show it, given the review verdicts by trajectory id."""
        if self.stored_state == "submitted" and self.latest is not None:
            return STATE_OF_VERDICT.get(verdicts.get(self.latest.trajectory_id, ""), "submitted")
        return self.stored_state


class CampaignStore:
    """Campaigns, assignments and attempts in <data_dir>/portal.sqlite."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def for_settings(cls, settings) -> "CampaignStore":
        """The campaign store of a deployment (its data_dir)."""
        return cls(portal_db_path(settings.data_dir))

    def create(self, name: str, needed: dict[str, int], trainer_ids: list[int], created_by: str) -> Campaign:
        """A campaign with one assignment per task and trainer; bad input raises and stores nothing."""
        from mock_apps.tasks import get_task

        name = " ".join(str(name or "").split())
        if not name:
            raise MockAppsError("give the campaign a name", code="missing_name")
        if len(name) > NAME_MAX:
            raise MockAppsError(f"campaign name longer than {NAME_MAX} characters", code="bad_name")
        if not needed:
            raise MockAppsError("choose at least one task", code="missing_tasks")
        trainer_ids = list(dict.fromkeys(trainer_ids))
        if not trainer_ids:
            raise MockAppsError("choose at least one trainer", code="missing_trainers")
        accounts = AccountStore(self.path)
        for trainer_id in trainer_ids:
            account = accounts.get(trainer_id)
            if account is None or account.role != "trainer":
                raise MockAppsError(f"account {trainer_id} is not a trainer", code="not_a_trainer")
        for task_id, count in needed.items():
            get_task(task_id)  # an unknown task raises with the closest ids
            if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= NEEDED_MAX:
                raise MockAppsError(f"demonstrations needed for {task_id} must be 1 to {NEEDED_MAX}, not {count!r}",
                                    code="bad_needed")
            if count > len(trainer_ids):
                # each trainer records a task once, so more demonstrations than trainers can never be reached
                raise MockAppsError(f"{task_id} needs {count} demonstrations but the campaign has "
                                    f"{len(trainer_ids)} trainer(s); each trainer records a task once",
                                    code="bad_needed")
        now = _now()
        try:
            with connect(self.path) as db:
                cursor = db.execute("INSERT INTO campaigns (name, created, created_by) VALUES (?, ?, ?)",
                                    (name, now.isoformat(), created_by))
                campaign_id = cursor.lastrowid
                db.executemany("INSERT INTO campaign_tasks (campaign_id, task_id, needed) VALUES (?, ?, ?)",
                               [(campaign_id, t, n) for t, n in needed.items()])
                db.executemany("INSERT INTO assignments (campaign_id, task_id, trainer_id, state) "
                               "VALUES (?, ?, ?, 'assigned')",
                               [(campaign_id, t, trainer) for t in needed for trainer in trainer_ids])
        except sqlite3.IntegrityError:
            raise Conflict(f"there is already a campaign named {name!r}", code="campaign_exists") from None
        return Campaign(campaign_id, name, now, created_by, dict(needed))

    def campaigns(self) -> list[Campaign]:
        """Every campaign, newest first."""
        with connect(self.path) as db:
            rows = db.execute("SELECT * FROM campaigns ORDER BY id DESC").fetchall()
            tasks = db.execute("SELECT * FROM campaign_tasks ORDER BY task_id").fetchall()
        needed: dict[int, dict[str, int]] = {}
        for row in tasks:
            needed.setdefault(row["campaign_id"], {})[row["task_id"]] = row["needed"]
        return [_campaign(row, needed.get(row["id"], {})) for row in rows]

    def get(self, campaign_id: int) -> Campaign:
        """A campaign by id."""
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM campaigns WHERE id = ?", (campaign_id,)).fetchone()
            tasks = db.execute("SELECT * FROM campaign_tasks WHERE campaign_id = ? ORDER BY task_id",
                               (campaign_id,)).fetchall()
        if row is None:
            raise NotFound(f"no campaign {campaign_id}", code="unknown_campaign")
        return _campaign(row, {t["task_id"]: t["needed"] for t in tasks})

    def assignments(self, campaign_id: int | None = None, trainer_id: int | None = None) -> list[Assignment]:
        """The assignments of a campaign and/or a trainer, with their attempts."""
        with connect(self.path) as db:
            rows = db.execute(_ASSIGNMENTS + " WHERE (? IS NULL OR a.campaign_id = ?) AND (? IS NULL OR a.trainer_id = ?)"
                              " ORDER BY a.campaign_id DESC, a.task_id, u.username",
                              (campaign_id, campaign_id, trainer_id, trainer_id)).fetchall()
            ids = [row["id"] for row in rows]
            attempts = db.execute(f"SELECT * FROM attempts WHERE assignment_id IN ({','.join('?' * len(ids))}) "
                                  "ORDER BY id", ids).fetchall() if ids else []
        by_assignment: dict[int, list[Attempt]] = {}
        for row in attempts:
            by_assignment.setdefault(row["assignment_id"], []).append(_attempt(row))
        return [_assignment(row, by_assignment.get(row["id"], [])) for row in rows]

    def assignment(self, assignment_id: int) -> Assignment:
        """One assignment with its attempts."""
        with connect(self.path) as db:
            row = db.execute(_ASSIGNMENTS + " WHERE a.id = ?", (assignment_id,)).fetchone()
            attempts = db.execute("SELECT * FROM attempts WHERE assignment_id = ? ORDER BY id",
                                  (assignment_id,)).fetchall()
        if row is None:
            raise NotFound(f"no assignment {assignment_id}", code="unknown_assignment")
        return _assignment(row, [_attempt(a) for a in attempts])

    def begin_attempt(self, assignment_id: int, recording_id: str, trajectory_id: str, folder: Path,
                      world: str) -> Attempt:
        """Record that a recording of the assignment started (refused while another one is under way)."""
        now = _now()
        with connect(self.path) as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT state FROM assignments WHERE id = ?", (assignment_id,)).fetchone()
            if row is None:
                raise NotFound(f"no assignment {assignment_id}", code="unknown_assignment")
            if row["state"] == "recording":
                raise Conflict("this assignment is being recorded already; open it to go on", code="recording")
            cursor = db.execute("INSERT INTO attempts (assignment_id, recording_id, trajectory_id, folder, world, "
                                "started, status) VALUES (?, ?, ?, ?, ?, ?, 'recording')",
                                (assignment_id, recording_id, trajectory_id, str(folder), world, now.isoformat()))
            db.execute("UPDATE assignments SET state = 'recording' WHERE id = ?", (assignment_id,))
        return Attempt(cursor.lastrowid, assignment_id, recording_id, trajectory_id, Path(folder), world, now, None,
                       "recording", None, None)

    def end_attempt(self, attempt_id: int, status: str, outcome: str | None = None, score: float | None = None,
                    started: datetime | None = None, finished: datetime | None = None) -> None:
        """Record how an attempt ended (complete: submitted for review; abandoned: the assignment is open again),
        with the trajectory's own start and end when known."""
        if status not in ("complete", "abandoned"):
            raise MockAppsError(f"an attempt ends complete or abandoned, not {status!r}", code="bad_status")
        with connect(self.path) as db:
            row = db.execute("SELECT assignment_id, started FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise NotFound(f"no attempt {attempt_id}", code="unknown_attempt")
            db.execute("UPDATE attempts SET status = ?, outcome = ?, score = ?, started = ?, finished = ? "
                       "WHERE id = ?", (status, outcome, score, (started.isoformat() if started else row["started"]),
                                        (finished or _now()).isoformat(), attempt_id))
            db.execute("UPDATE assignments SET state = ? WHERE id = ?",
                       ("submitted" if status == "complete" else "assigned", row["assignment_id"]))

    def owner_of(self, trajectory_id: str) -> int | None:
        """The trainer account whose attempt made this trajectory (None: not a campaign recording)."""
        with connect(self.path) as db:
            row = db.execute("SELECT a.trainer_id FROM attempts t JOIN assignments a ON a.id = t.assignment_id "
                             "WHERE t.trajectory_id = ?", (trajectory_id,)).fetchone()
        return row["trainer_id"] if row else None

    def is_campaign_trajectory(self, trajectory_id: str) -> bool:
        """Whether a campaign attempt made this trajectory."""
        return self.owner_of(trajectory_id) is not None


@dataclass(frozen=True)
class TaskProgress:
    """One task of a campaign: demonstrations needed, recorded (submitted), accepted, rejected, sent back."""

    task_id: str
    needed: int
    recorded: int
    accepted: int
    rejected: int
    sent_back: int


@dataclass(frozen=True)
class TrainerTime:
    """One trainer of a campaign: recordings finished and the time they took."""

    trainer: str
    name: str
    recordings: int
    seconds: float


def progress(campaign: Campaign, assignments: list[Assignment], verdicts: dict[str, str],
             spans: dict[str, float]) -> tuple[list[TaskProgress], list[TrainerTime]]:
    """Per task, what is needed and what was recorded, accepted, rejected and sent back (counting attempts: a
    sent-back assignment recorded again counts twice as recorded); per trainer, the time their finished
    recordings took (from the trajectories' start and end when given in `spans`, else the attempt's)."""
    tasks = []
    for task_id, needed in campaign.needed.items():
        finished = [t for a in assignments if a.task_id == task_id for t in a.attempts if t.status == "complete"]
        reviewed = [verdicts.get(t.trajectory_id) for t in finished]
        tasks.append(TaskProgress(task_id, needed, len(finished), reviewed.count("accepted"),
                                  reviewed.count("rejected"), reviewed.count("needs-fix")))
    trainers: dict[str, TrainerTime] = {}
    for a in assignments:
        done = [t for t in a.attempts if t.finished]
        seconds = sum(spans.get(t.trajectory_id, t.seconds or 0.0) for t in done)
        before = trainers.get(a.trainer, TrainerTime(a.trainer, a.trainer_name, 0, 0.0))
        trainers[a.trainer] = TrainerTime(a.trainer, a.trainer_name, before.recordings + len(done),
                                          before.seconds + seconds)
    return tasks, sorted(trainers.values(), key=lambda t: t.trainer)


def progress_csv(campaign: Campaign, tasks: list[TaskProgress], trainers: list[TrainerTime]) -> str:
    """The campaign page's two tables as one CSV: a row per task, then a row per trainer (`kind` tells them
    apart; a column that does not apply to the kind is empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["campaign", "kind", "name", "needed", "recorded", "accepted", "rejected", "sent_back",
                     "recordings", "seconds"])
    for t in tasks:
        writer.writerow([campaign.name, "task", t.task_id, t.needed, t.recorded, t.accepted, t.rejected,
                         t.sent_back, "", ""])
    for t in trainers:
        writer.writerow([campaign.name, "trainer", t.trainer, "", "", "", "", "", t.recordings, round(t.seconds, 1)])
    return out.getvalue()


_ASSIGNMENTS = ("SELECT a.*, c.name AS campaign, u.username AS trainer, u.name AS trainer_name FROM assignments a "
                "JOIN campaigns c ON c.id = a.campaign_id JOIN accounts u ON u.id = a.trainer_id")


def _campaign(row, needed: dict[str, int]) -> Campaign:
    return Campaign(row["id"], row["name"], datetime.fromisoformat(row["created"]), row["created_by"], needed)


def _attempt(row) -> Attempt:
    return Attempt(row["id"], row["assignment_id"], row["recording_id"], row["trajectory_id"], Path(row["folder"]),
                   row["world"], datetime.fromisoformat(row["started"]),
                   datetime.fromisoformat(row["finished"]) if row["finished"] else None, row["status"],
                   row["outcome"], row["score"])


def _assignment(row, attempts: list[Attempt]) -> Assignment:
    return Assignment(row["id"], row["campaign_id"], row["campaign"], row["task_id"], row["trainer_id"],
                      row["trainer"], row["trainer_name"], row["state"], attempts)


def _now() -> datetime:
    return datetime.now(timezone.utc)
