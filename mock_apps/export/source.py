"""Which trajectories an export takes: found under the given folders, loaded, and filtered by status and review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mock_apps.core.errors import MockAppsError
from trajectories.model import Step, Trajectory
from trajectories.store import META, TrajectoryDir, TrajectoryError


class ExportError(MockAppsError):
    """An export cannot be made as asked (unknown format, nothing selected, an output that cannot be written)."""

    code = "export_error"


@dataclass
class ExportSource:
    """One loaded trajectory an export reads: its folder, metadata, steps and the task's instruction."""

    path: Path
    meta: Trajectory
    steps: list[Step]
    goal: str | None

    @property
    def slug(self) -> str:
        """A file-name-safe name: the task (or 'session') and the trajectory id."""
        base = self.meta.task or "session"
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in f"{base}-{self.meta.id}")
        return safe.strip("-") or "trajectory"

    def existing(self, relative: str | None) -> Path | None:
        """A file the trajectory refers to (a screenshot, files/<sha256>), if it is on disk."""
        if not relative:
            return None
        candidate = self.path / relative
        return candidate if candidate.is_file() else None


@dataclass
class Selection:
    """What was found and what an export takes, with the reasons the rest was left out."""

    found: int = 0
    chosen: list[ExportSource] = field(default_factory=list)
    incomplete: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)
    not_accepted: list[Path] = field(default_factory=list)
    duplicates: list[Path] = field(default_factory=list)


def trajectory_folders(dirs: list[Path]) -> list[Path]:
    """Each given folder that is a trajectory, or the trajectories directly inside it (sorted, no duplicates)."""
    folders: list[Path] = []
    for folder in dirs:
        folder = Path(folder)
        if not folder.is_dir():
            raise ExportError(f"{folder}: no such directory")
        if (folder / META).exists():
            folders.append(folder.resolve())
        else:
            folders.extend(sorted(p.parent.resolve() for p in folder.glob(f"*/{META}")))
    return list(dict.fromkeys(folders))


def _goal(task_id: str | None) -> str | None:
    if task_id is None:
        return None
    from mock_apps.tasks import TaskError, get_task

    try:
        return get_task(task_id).instruction
    except TaskError:
        return None  # a task since renamed or removed: the steps are still worth exporting


def _verdicts(settings) -> dict[str, str]:
    from mock_apps.portal.reviews import ReviewStore

    store = ReviewStore.for_settings(settings)
    # no portal database means nothing was ever reviewed; reading must not create one as a side effect
    return store.verdicts() if store.path.exists() else {}


def select(dirs: list[Path], include_all: bool, settings) -> Selection:
    """Load every trajectory under `dirs`; keep complete ones that were accepted (or every complete one)."""
    selection = Selection()
    folders = trajectory_folders(dirs)
    selection.found = len(folders)
    verdicts = None if include_all else _verdicts(settings)
    seen: set[str] = set()
    for folder in folders:
        trajectory = TrajectoryDir(folder)
        try:
            meta = trajectory.load_meta()
            if meta.status != "complete":
                selection.incomplete.append(folder)
                continue
            if verdicts is not None and verdicts.get(meta.id) != "accepted":
                selection.not_accepted.append(folder)
                continue
            if meta.id in seen:  # a copy of a trajectory already taken: the same data twice would skew training
                selection.duplicates.append(folder)
                continue
            # steps are read only for what is exported: a large library is mostly metadata reads
            steps = trajectory.load_steps(tolerate_torn_tail=False)
        except TrajectoryError as error:
            selection.unreadable.append((folder, error.message))
            continue
        seen.add(meta.id)
        # a missing screenshot is exported as a null reference (ExportSource.existing), not a reason to drop the run
        selection.chosen.append(ExportSource(folder, meta, steps, _goal(meta.task)))
    return selection
