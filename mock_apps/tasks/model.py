"""The task model: an intent-style instruction, where it starts, and the checkpoints that score it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Difficulty = Literal["easy", "medium", "hard"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RowQuery(_Model):
    """Rows of one app table. `where` values are literals, {"contains": s}, {"in": [...]}, or
    {"ref": RowQuery} (the id of the single row another query finds, e.g. a vendor by name)."""

    app: str
    table: str
    where: dict[str, Any] = Field(default_factory=dict)


class Answer(_Model):
    """The final answer a task asks for: its type and the answer key (money in cents, a number, an ISO date,
    a string, or a list of strings for a set)."""

    type: Literal["money", "number", "date", "string", "set"]
    value: Any


CHECKPOINT_KINDS = ("exists", "absent", "only_ops", "untouched", "answer")


class Checkpoint(_Model):
    """One scored checkpoint. Exactly one of the kinds is given.

    exists: rows matching `query` exist (`count` of them, default at least one) and each named field in
    `expect` has that value. absent: no row matches. only_ops: every change-log entry's operation matches
    one of these patterns (fnmatch), so nothing else was done. untouched: no change-log row of that table
    matching `where` (before or after) was updated or deleted, except rows matching `unless`. answer: the
    final answer given (send_msg_to_user) equals this typed answer key (mock_apps/tasks/answers.py).
    """

    name: str
    weight: float = 1.0
    exists: RowQuery | None = None
    count: int | None = None
    expect: dict[str, Any] = Field(default_factory=dict)
    absent: RowQuery | None = None
    only_ops: list[str] | None = None
    untouched: RowQuery | None = None
    unless: dict[str, Any] = Field(default_factory=dict)
    answer: Answer | None = None

    @property
    def kind(self) -> str:
        """Which kind of checkpoint this is: exists, absent, only_ops, untouched or answer."""
        return next(k for k in CHECKPOINT_KINDS if getattr(self, k) is not None)

    @property
    def guards_against_damage(self) -> bool:
        """True for the must-not kinds (absent, only_ops, untouched): a failure is collateral damage."""
        return self.kind in ("absent", "only_ops", "untouched")
    hint: str | None = Field(default=None, description="Said when the checkpoint fails (what a wrong run did).")


class Task(_Model):
    """A task as a trainer or an agent receives it, and how its outcome is checked."""

    id: str
    title: str
    instruction: str
    difficulty: Difficulty
    apps: list[str]
    scenario: str = "meridian"
    start_pages: list[str] = Field(default_factory=lambda: ["mail:/"])
    checks: list[Checkpoint]
    template: str | None = Field(default=None, description="The template this instance was made from.")
    params: dict[str, Any] = Field(default_factory=dict)

    @property
    def needs_answer(self) -> bool:
        """True when a checkpoint compares a final answer (the trainer or agent must give one)."""
        return any(check.answer is not None for check in self.checks)
