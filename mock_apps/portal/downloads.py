"""Exports made from the portal: the trajectories a filter selects, written by mock_apps.export into a temporary
folder, handed to the browser as one file (a .jsonl, or a .zip of a folder format) and removed once sent."""

from __future__ import annotations

import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mock_apps.export import FORMATS, ExportError, ExportResult, export_trajectories, unknown_format

SUFFIXES = {"sft-jsonl": ".jsonl", "chat-jsonl": ".jsonl"}  # the folder formats are zipped


@dataclass
class Download:
    """An export ready to send: the file, the name the browser saves it as, and the folder to remove after."""

    path: Path
    name: str
    mimetype: str
    result: ExportResult
    workspace: Path

    def summary(self) -> str:
        """One line: how many trajectories became how many items, and what was left out."""
        r = self.result
        left = f", {len(r.not_accepted)} not accepted left out" if r.not_accepted else ""
        skipped = r.skipped_line()
        return (f"exported {len(r.exported)} of {r.found} trajectories as {r.format} ({r.items} {r.item}{left})"
                + (f"; {skipped}" if skipped else ""))

    def cleanup(self) -> None:
        """Remove the temporary folder (the response has been sent, or was never made)."""
        shutil.rmtree(self.workspace, ignore_errors=True)


def export_selection(folders: list[Path], fmt: str, include_all: bool, settings) -> Download:
    """Export exactly `folders` (the trajectories a filter selected) in `fmt` into a temporary folder.

    Raises ExportError for an unknown format or when nothing is selected (nothing is left on disk then)."""
    if fmt not in FORMATS:
        raise unknown_format(fmt)
    if not folders:
        # export_trajectories takes an empty list as "every configured folder": an empty filter must not be that
        raise ExportError("nothing to export: no trajectories match these filters", code="nothing_to_export")
    stem = f"mockapps-{fmt}-{time.strftime('%Y%m%d-%H%M%S')}"
    workspace = Path(tempfile.mkdtemp(prefix="mockapps-portal-export-"))
    try:
        out = workspace / (stem + SUFFIXES.get(fmt, ""))
        result = export_trajectories(folders, fmt, out, include_all=include_all, settings=settings)
        if not FORMATS[fmt].directory:
            return Download(out, out.name, "application/x-ndjson", result, workspace)
        archive = workspace / f"{stem}.zip"
        _zip_folder(out, archive)
        return Download(archive, archive.name, "application/zip", result, workspace)
    except BaseException:
        shutil.rmtree(workspace, ignore_errors=True)
        raise


def _zip_folder(folder: Path, archive: Path) -> None:
    # everything under one top-level folder, so unzipping makes the folder the CLI would have written
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                bundle.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
