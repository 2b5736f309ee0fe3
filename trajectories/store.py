"""Trajectory directories on disk: written step by step (crash-safe), loaded with precise errors."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from pathlib import Path

from pydantic import ValidationError

from mock_apps.core.errors import MockAppsError
from trajectories.model import SCHEMA_VERSION, Step, Trajectory

META = "trajectory.json"
STEPS = "steps.jsonl"
SHOTS = "shots"
FILES = "files"
FINAL_STATE = "state.json.gz"


class TrajectoryError(MockAppsError):
    """A trajectory directory is missing, malformed or from a newer version of the format."""

    code = "bad_trajectory"


def _where(error: ValidationError) -> str:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return f"field {field}: {first['msg']}"


def _check_version(data: dict, where: str) -> None:
    version = data.get("schema_version", SCHEMA_VERSION) if isinstance(data, dict) else SCHEMA_VERSION
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise TrajectoryError(f"{where}: schema_version {version} is newer than this mockapps understands "
                              f"({SCHEMA_VERSION}); upgrade mockapps to read it")


class TrajectoryDir:
    """One trajectory directory: `trajectory.json`, `steps.jsonl`, `shots/`, `files/`."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    @property
    def meta_path(self) -> Path:
        """trajectory.json."""
        return self.path / META

    @property
    def steps_path(self) -> Path:
        """steps.jsonl."""
        return self.path / STEPS

    def create(self, meta: Trajectory) -> "TrajectoryDir":
        """Start a new trajectory (the directory must not hold one already)."""
        if self.meta_path.exists():
            raise TrajectoryError(f"{self.path} already holds a trajectory; choose another --out or use --resume")
        (self.path / SHOTS).mkdir(parents=True, exist_ok=True)
        (self.path / FILES).mkdir(exist_ok=True)
        self.steps_path.touch()
        self.write_meta(meta)
        return self

    def write_meta(self, meta: Trajectory) -> None:
        """Replace trajectory.json atomically (a crash leaves the old or the new one, never half)."""
        tmp = self.meta_path.with_suffix(".json.tmp")
        tmp.write_text(meta.model_dump_json(indent=2))
        os.replace(tmp, self.meta_path)

    def write_state(self, states: dict) -> str:
        """Store every app's final state, compressed (dumps are large and repetitive, and golden trajectories
        live in the repository); returns the file's name for the trajectory's `final_state`."""
        # one dumps and one compress call: json.dump into a gzip stream made thousands of small writes, 3x slower
        data = gzip.compress(json.dumps(states, sort_keys=True).encode("utf-8"), compresslevel=6, mtime=0)
        (self.path / FINAL_STATE).write_bytes(data)
        return FINAL_STATE

    def append_step(self, step: Step) -> None:
        """Append one step and flush it to disk before returning."""
        with open(self.steps_path, "a", encoding="utf-8") as handle:
            handle.write(step.model_dump_json() + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def rewrite_steps(self, steps: list[Step]) -> None:
        """Replace steps.jsonl whole (the proof replay adds observations): the old file or the new, never half."""
        tmp = self.steps_path.with_suffix(".jsonl.tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write("".join(step.model_dump_json() + "\n" for step in steps))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.steps_path)

    def load_meta(self) -> Trajectory:
        """trajectory.json, validated."""
        if not self.path.is_dir():
            raise TrajectoryError(f"{self.path}: no such trajectory directory")
        if not self.meta_path.exists():
            raise TrajectoryError(f"{self.meta_path}: missing (not a trajectory directory)")
        try:
            data = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise TrajectoryError(f"{self.meta_path}: line {error.lineno}: not valid JSON ({error.msg})") from None
        _check_version(data, str(self.meta_path))
        try:
            return Trajectory.model_validate(data)
        except ValidationError as error:
            raise TrajectoryError(f"{self.meta_path}: {_where(error)}") from None

    def load_steps(self, tolerate_torn_tail: bool = True) -> list[Step]:
        """steps.jsonl, validated line by line.

        A last line without its newline is a step cut off by a crash: with tolerate_torn_tail it is dropped
        (the run is incomplete anyway); anything else malformed is an error naming the line and field.
        """
        if not self.steps_path.exists():
            raise TrajectoryError(f"{self.steps_path}: missing")
        text = self.steps_path.read_text(encoding="utf-8")
        lines = text.split("\n")
        torn = lines[-1] != ""
        steps: list[Step] = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if torn and number == len(lines) and tolerate_torn_tail:
                break
            where = f"{self.steps_path}: line {number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                raise TrajectoryError(f"{where}: not valid JSON ({error.msg} at column {error.colno})") from None
            _check_version(data, where)
            try:
                step = Step.model_validate(data)
            except ValidationError as error:
                raise TrajectoryError(f"{where}: {_where(error)}") from None
            if step.index != len(steps):
                raise TrajectoryError(f"{where}: field index: expected {len(steps)}, found {step.index}")
            steps.append(step)
        return steps

    def missing_files(self, steps: list[Step]) -> list[str]:
        """Screenshots and files the steps refer to that are not on disk."""
        missing = []
        for step in steps:
            shot = step.observation.screenshot
            if shot and not (self.path / shot).exists():
                missing.append(shot)
        return missing


def store_upload(folder: TrajectoryDir, file: dict) -> dict:
    """Keep the bytes of an uploaded file (reported base64) under files/<sha256>; the upload's entry without them.

    Its source is "local" until the step is written, when an earlier download of the same bytes is found
    (`mark_downloaded_uploads`)."""
    data = base64.b64decode(file.get("base64", "") or b"")
    digest = hashlib.sha256(data).hexdigest()
    (folder.path / FILES / digest).write_bytes(data)
    return {"name": str(file.get("name", "")), "size": len(data), "sha256": digest, "mime": file.get("mime") or None,
            "source": "local"}


def mark_downloaded_uploads(step: Step, downloaded: dict[str, int]) -> None:
    """Point an upload step's files at the earlier step that downloaded the same bytes (sha256 -> step index)."""
    for file in step.action.args.get("files", []) if step.action.type == "upload" else []:
        if file["sha256"] in downloaded:
            file["source"] = f"download:{downloaded[file['sha256']]}"


def load(path: Path | str) -> tuple[Trajectory, list[Step]]:
    """Load and validate a whole trajectory directory."""
    folder = TrajectoryDir(path)
    meta = folder.load_meta()
    return meta, folder.load_steps(tolerate_torn_tail=meta.status == "incomplete")
