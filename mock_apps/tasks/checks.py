"""Scoring a task on a world: each checkpoint against the apps' normalized state and the change log."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from mock_apps.tasks.answers import compare
from mock_apps.tasks.model import Checkpoint, RowQuery, Task


@dataclass
class CheckpointResult:
    """One checkpoint's outcome with a human-readable reason when it failed."""

    name: str
    passed: bool
    weight: float
    reason: str | None = None
    collateral: bool = False  # a must-not checkpoint (damage beyond the task)

    def to_dict(self) -> dict:
        """The result as JSON-ready data."""
        return {"name": self.name, "passed": self.passed, "weight": self.weight, "reason": self.reason}


@dataclass
class Score:
    """A task's outcome: partial credit, pass/fail and every checkpoint."""

    task: str
    checkpoints: list[CheckpointResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        """Weighted share of passed checkpoints, in [0, 1]."""
        total = sum(c.weight for c in self.checkpoints)
        return sum(c.weight for c in self.checkpoints if c.passed) / total if total else 0.0

    @property
    def passed(self) -> bool:
        """True when every checkpoint passed."""
        return all(c.passed for c in self.checkpoints)

    def reasons(self) -> list[str]:
        """Why the failed checkpoints failed."""
        return [f"{c.name}: {c.reason}" for c in self.checkpoints if not c.passed]

    def collateral(self) -> list[dict]:
        """The failed must-not checkpoints: damage beyond the task."""
        return [c.to_dict() for c in self.checkpoints if c.collateral and not c.passed]

    def outcome(self) -> dict:
        """What an episode reports: score, passed, every checkpoint and the collateral-damage violations."""
        return {"score": float(self.score), "passed": bool(self.passed),
                "checks": [c.to_dict() for c in self.checkpoints], "collateral": self.collateral()}


def _matches(value, wanted) -> bool:
    if isinstance(wanted, dict) and "contains" in wanted:
        return isinstance(value, str) and wanted["contains"].lower() in value.lower()
    if isinstance(wanted, dict) and "in" in wanted:
        return value in wanted["in"]
    return value == wanted


class World:
    """The data a task is checked on: each app's state tables, the world's change log and the final answer."""

    def __init__(self, states: dict[str, dict], changes: list[dict], answer: str | None = None):
        self.tables = {app: state["tables"] for app, state in states.items()}
        self.changes = changes
        self.answer = answer

    def rows(self, query: RowQuery) -> list[dict]:
        """The rows a query selects (refs resolved first)."""
        where = {column: self._resolve(column, value) for column, value in query.where.items()}
        return [row for row in self.tables[query.app][query.table]
                if all(_matches(row.get(column), wanted) for column, wanted in where.items())]

    def full_before(self, app: str, change: dict) -> dict:
        """A changed row as it was, for `where` and `unless`: an update's diff holds only the columns it changed,
        so the row's other columns are taken from the final state."""
        before = change["before"] or {}
        if change["kind"] != "update":
            return before
        current = next((row for row in self.tables.get(app, {}).get(change["table"], [])
                        if row.get("id", row.get("pk")) == change["key"]), {})
        return {**current, **before}

    def _resolve(self, column: str, value):
        if isinstance(value, dict) and "ref" in value:
            found = self.rows(RowQuery.model_validate(value["ref"]))
            if len(found) != 1:
                return {"in": []}
            # a `*_pk` column holds the row's primary key; other references hold its public id (Gmail's id)
            keys = ("pk", "id") if column.endswith("_pk") else ("id", "pk")
            return next((found[0][key] for key in keys if key in found[0]), None)
        return value


def _describe(query: RowQuery) -> str:
    shown = ", ".join(f"{k}={v if not isinstance(v, dict) else '…'}" for k, v in query.where.items())
    return f"{query.app} {query.table} with {shown}" if shown else f"{query.app} {query.table}"


def evaluate(checkpoint: Checkpoint, world: World) -> CheckpointResult:
    """Run one checkpoint."""
    result = CheckpointResult(checkpoint.name, True, checkpoint.weight, collateral=checkpoint.guards_against_damage)

    def fail(reason: str) -> CheckpointResult:
        result.passed = False
        result.reason = reason + (f" ({checkpoint.hint})" if checkpoint.hint else "")
        return result

    if checkpoint.exists is not None:
        rows = world.rows(checkpoint.exists)
        if not rows:
            return fail(f"no {_describe(checkpoint.exists)}")
        if checkpoint.count is not None and len(rows) != checkpoint.count:
            return fail(f"{len(rows)} rows of {_describe(checkpoint.exists)}, expected {checkpoint.count}")
        for row in rows:
            wrong = {k: row.get(k) for k, v in checkpoint.expect.items() if not _matches(row.get(k), world._resolve(k, v))}
            if wrong:
                shown = ", ".join(f"{k} is {v!r}, expected {checkpoint.expect[k]!r}" for k, v in wrong.items())
                return fail(f"{_describe(checkpoint.exists)}: {shown}")
    elif checkpoint.absent is not None:
        rows = world.rows(checkpoint.absent)
        if rows:
            return fail(f"{len(rows)} unexpected {_describe(checkpoint.absent)}")
    elif checkpoint.only_ops is not None:
        for entry in world.changes:
            if not any(fnmatch.fnmatchcase(entry["op"], pattern) for pattern in checkpoint.only_ops):
                return fail(f"change {entry['seq']} did {entry['op']} {entry['args']}, which the task does not call for")
    elif checkpoint.answer is not None:
        wrong = compare(checkpoint.answer.type, checkpoint.answer.value, world.answer)
        if wrong:
            return fail(wrong)
    elif checkpoint.untouched is not None:
        query = checkpoint.untouched
        for entry in world.changes:
            if entry["app"] != query.app:
                continue
            for change in entry["changes"]:
                if change["table"] != query.table or change["kind"] == "insert":
                    continue
                row = world.full_before(query.app, change)
                if all(_matches(row.get(k), world._resolve(k, v)) for k, v in query.where.items()) and not (
                        checkpoint.unless and all(_matches(row.get(k), v) for k, v in checkpoint.unless.items())):
                    return fail(f"{entry['op']} (change {entry['seq']}) {change['kind']}d {query.table} "
                                f"{change['key']} {_label(row)}")
    return result


def _label(row: dict) -> str:
    for column in ("doc_number", "display_name", "name", "subject", "title"):
        if row.get(column):
            return f"({column} {row[column]!r})"
    return ""


def score(task: Task, states: dict[str, dict], changes: list[dict], answer: str | None = None) -> Score:
    """Score a task on a world's state dumps (per app), change log and final answer (send_msg_to_user text)."""
    world = World(states, changes, answer)
    return Score(task.id, [evaluate(c, world) for c in task.checks])


def score_world(task: Task, control, answer: str | None = None, states: dict | None = None) -> Score:
    """Score a task on a live world through the control API (a ControlClient) and the final answer given;
    `states` are the world's app states when the caller has fetched them already (a megabyte of JSON)."""
    return score(task, control.states() if states is None else states, control.changes(), answer)
