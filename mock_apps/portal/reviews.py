"""Reviews of trajectories (accept / reject / needs-fix with a comment, per trajectory or per step), kept in the
portal's own database so trajectory folders stay read-only recordings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mock_apps.core.errors import MockAppsError
from mock_apps.portal.database import connect, portal_db_path

VERDICTS = ("accepted", "rejected", "needs-fix")
REVIEW_STATES = ("unreviewed", *VERDICTS)
REVIEWER_MAX = 80
COMMENT_MAX = 4000


@dataclass(frozen=True)
class Review:
    """One stored review: of the whole trajectory (step None) or of one step; a step review may carry no verdict."""

    trajectory_id: str
    verdict: str | None
    reviewer: str
    comment: str
    step: int | None
    time: datetime

    def to_dict(self) -> dict:
        """The review as JSON-able data."""
        return {"trajectory_id": self.trajectory_id, "verdict": self.verdict, "reviewer": self.reviewer,
                "comment": self.comment, "step": self.step, "time": self.time.isoformat()}


class ReviewStore:
    """Reviews in <data_dir>/portal.sqlite; the latest trajectory-level review decides a trajectory's verdict."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def for_settings(cls, settings) -> "ReviewStore":
        """The review store of a deployment (its data_dir)."""
        return cls(portal_db_path(settings.data_dir))

    def review(self, trajectory_id: str, verdict: str | None, reviewer: str, comment: str = "",
               step: int | None = None) -> Review:
        """Store a review; a bad verdict, an empty reviewer or an empty step review raises and stores nothing."""
        trajectory_id = str(trajectory_id or "").strip()
        reviewer = " ".join(str(reviewer or "").split())
        comment = str(comment or "").strip()
        if not trajectory_id:
            raise MockAppsError("a review needs the trajectory's id", code="missing_trajectory")
        if not reviewer:
            raise MockAppsError("give your name as reviewer", code="missing_reviewer")
        if len(reviewer) > REVIEWER_MAX:
            raise MockAppsError(f"reviewer name longer than {REVIEWER_MAX} characters", code="bad_reviewer")
        if len(comment) > COMMENT_MAX:
            raise MockAppsError(f"comment longer than {COMMENT_MAX} characters", code="bad_comment")
        if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step < 0):
            raise MockAppsError(f"step must be a step number (0 or more), not {step!r}", code="bad_step")
        if verdict in ("", None):
            if step is None:
                raise MockAppsError(f"choose a verdict: {', '.join(VERDICTS)}", code="missing_verdict")
            if not comment:
                raise MockAppsError("a step review needs a verdict or a comment", code="empty_review")
            verdict = None
        elif verdict not in VERDICTS:
            raise MockAppsError(f"unknown verdict {verdict!r}; choose one of {', '.join(VERDICTS)}",
                                code="bad_verdict")
        stored = Review(trajectory_id, verdict, reviewer, comment, step, datetime.now(timezone.utc))
        with connect(self.path) as db:
            db.execute("INSERT INTO reviews (trajectory_id, step, verdict, reviewer, comment, time) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (trajectory_id, step, verdict, reviewer, comment, stored.time.isoformat()))
        return stored

    def verdict(self, trajectory_id: str) -> str | None:
        """The latest trajectory-level verdict, or None when the trajectory was never reviewed as a whole."""
        with connect(self.path) as db:
            row = db.execute("SELECT verdict FROM reviews WHERE trajectory_id = ? AND step IS NULL "
                             "ORDER BY id DESC LIMIT 1", (trajectory_id,)).fetchone()
        return row["verdict"] if row else None

    def latest(self, trajectory_id: str) -> Review | None:
        """The latest trajectory-level review (who decided the verdict, when, with what comment)."""
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM reviews WHERE trajectory_id = ? AND step IS NULL "
                             "ORDER BY id DESC LIMIT 1", (trajectory_id,)).fetchone()
        return _review(row) if row else None

    def history(self, trajectory_id: str) -> list[Review]:
        """Every review of a trajectory (whole and per step), newest first."""
        with connect(self.path) as db:
            rows = db.execute("SELECT * FROM reviews WHERE trajectory_id = ? ORDER BY id DESC",
                              (trajectory_id,)).fetchall()
        return [_review(row) for row in rows]

    def verdicts(self) -> dict[str, str]:
        """Every reviewed trajectory's latest trajectory-level verdict, by trajectory id."""
        with connect(self.path) as db:
            # the row with the highest id per trajectory (SQLite returns the bare column of the MAX row)
            rows = db.execute("SELECT trajectory_id, verdict, MAX(id) FROM reviews WHERE step IS NULL "
                              "GROUP BY trajectory_id").fetchall()
        return {row["trajectory_id"]: row["verdict"] for row in rows}


def _review(row) -> Review:
    return Review(row["trajectory_id"], row["verdict"], row["reviewer"], row["comment"], row["step"],
                  datetime.fromisoformat(row["time"]))
