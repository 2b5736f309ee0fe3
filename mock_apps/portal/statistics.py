"""Statistics per task and per trainer: recordings, acceptance rate, median duration, replay success rate."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

FREE_SESSION = "(free session)"
UNKNOWN_TRAINER = "(unknown)"


@dataclass
class Group:
    """The numbers of one task or one trainer."""

    name: str
    recordings: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: {"accepted": 0, "rejected": 0, "needs-fix": 0})
    durations: list[float] = field(default_factory=list)
    replays: int = 0
    replays_succeeded: int = 0

    @property
    def reviewed(self) -> int:
        """Recordings with a trajectory-level verdict."""
        return sum(self.verdicts.values())

    @property
    def unreviewed(self) -> int:
        """Recordings nobody reviewed yet."""
        return self.recordings - self.reviewed

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted among the reviewed ones (None when none was reviewed)."""
        return self.verdicts["accepted"] / self.reviewed if self.reviewed else None

    @property
    def median_duration(self) -> float | None:
        """Median seconds from start to end of the finished recordings (None when none finished)."""
        return median(self.durations) if self.durations else None

    @property
    def replay_success_rate(self) -> float | None:
        """Last replays that reproduced, among recordings replayed at least once (None when none was)."""
        return self.replays_succeeded / self.replays if self.replays else None


@dataclass
class Statistics:
    """Per-task and per-trainer groups, each sorted by most recordings."""

    tasks: list[Group]
    trainers: list[Group]
    total: Group


def compute(metas, verdicts: dict[str, str], replays: dict) -> Statistics:
    """The statistics of readable trajectories (their metadata), their verdicts and their last finished replays."""
    by_task: dict[str, Group] = {}
    by_trainer: dict[str, Group] = {}
    total = Group("all")
    for meta in metas:
        task = meta.task or FREE_SESSION
        trainer = meta.trainer or UNKNOWN_TRAINER
        for group in (by_task.setdefault(task, Group(task)), by_trainer.setdefault(trainer, Group(trainer)), total):
            group.recordings += 1
            verdict = verdicts.get(meta.id)
            if verdict in group.verdicts:
                group.verdicts[verdict] += 1
            if meta.end is not None and meta.status != "incomplete":
                group.durations.append(max(0.0, (meta.end - meta.start).total_seconds()))
            replay = replays.get(meta.id)
            if replay is not None and replay.succeeded is not None:
                group.replays += 1
                group.replays_succeeded += bool(replay.succeeded)
    order = lambda g: (-g.recordings, g.name)  # noqa: E731 - the same order for both tables
    return Statistics(sorted(by_task.values(), key=order), sorted(by_trainer.values(), key=order), total)


def duration_words(seconds: float | None) -> str:
    """'1 min 05 s', '42 s', or '-' when unknown."""
    if seconds is None:
        return "-"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def percent(rate: float | None) -> str:
    """'67%' or '-' when there is nothing to divide."""
    return "-" if rate is None else f"{rate * 100:.0f}%"
