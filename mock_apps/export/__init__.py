"""Export trajectories to training formats: `export_trajectories(dirs, fmt, out)` and `mockapps export`.

Formats (see docs/EXPORT.md): sft-jsonl, chat-jsonl, playwright, hf, devtools. Only accepted trajectories
(the portal's review verdict) are taken unless `include_all`, which takes every complete one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mock_apps.export import chat_jsonl, devtools_recording, hf_dataset, playwright_script, sft_jsonl
from mock_apps.export.format import ExportFormat
from mock_apps.export.output import atomic_output
from mock_apps.export.source import ExportError, ExportSource, Selection, select

FORMATS: dict[str, ExportFormat] = {f.name: f for f in (sft_jsonl.FORMAT, chat_jsonl.FORMAT, playwright_script.FORMAT,
                                                        hf_dataset.FORMAT, devtools_recording.FORMAT)}


@dataclass
class ExportResult:
    """What an export wrote and what it left out."""

    format: str
    out: Path
    found: int
    exported: list[str]
    items: int
    item: str
    incomplete: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)
    not_accepted: list[Path] = field(default_factory=list)
    duplicates: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def skipped_line(self) -> str | None:
        """One line counting the trajectories skipped as incomplete, unreadable or duplicate, or None."""
        counts = ((len(self.incomplete), "incomplete"), (len(self.unreadable), "unreadable"),
                  (len(self.duplicates), "a copy of one already exported"))
        parts = [f"{count} {why}" for count, why in counts if count]
        total = sum(count for count, _ in counts)
        return f"skipped {total} trajector{'y' if total == 1 else 'ies'}: {', '.join(parts)}" if parts else None


def unknown_format(name: str) -> ExportError:
    """The error for a format name that is not one of FORMATS."""
    return ExportError(f"unknown export format {name!r}; known formats: {', '.join(FORMATS)}", code="unknown_format")


def _nothing(selection: Selection, include_all: bool) -> ExportError:
    complete = len(selection.chosen) + len(selection.not_accepted)
    if include_all:
        message = f"nothing to export: {selection.found} trajectories found, 0 complete"
    else:
        message = (f"nothing to export: {selection.found} trajectories found, 0 accepted "
                   f"(use --all to export every complete one: {complete} complete)")
    return ExportError(message, code="nothing_to_export")


def export_trajectories(dirs, fmt: str, out, include_all: bool = False, settings=None) -> ExportResult:
    """Export the trajectories under `dirs` (default: settings.trajectory_dirs) to `out` in format `fmt`.

    Raises ExportError (code nothing_to_export) when nothing is selected; `out` is written whole or not at all.
    """
    if fmt not in FORMATS:
        raise unknown_format(fmt)
    if settings is None:
        from mock_apps.core.settings import Settings

        settings = Settings()
    export_format = FORMATS[fmt]
    folders = [Path(d) for d in dirs] if dirs else [d for d in settings.trajectory_dirs if Path(d).is_dir()]
    selection = select(folders, include_all, settings)
    if not selection.chosen:
        raise _nothing(selection, include_all)
    sources: list[ExportSource] = selection.chosen
    manifest = {"format": fmt, "exported_at": datetime.now(timezone.utc).isoformat(),
                "trajectories": [{"id": s.meta.id, "task": s.meta.task, "path": str(s.path)} for s in sources]}
    with atomic_output(Path(out), export_format.directory, manifest) as temporary:
        written = export_format.write(sources, temporary, settings)
    return ExportResult(format=fmt, out=Path(out), found=selection.found, exported=[s.meta.id for s in sources],
                        items=written.items, item=export_format.item, incomplete=selection.incomplete,
                        unreadable=selection.unreadable, not_accepted=selection.not_accepted,
                        duplicates=selection.duplicates, notes=written.notes)


__all__ = ["FORMATS", "ExportError", "ExportResult", "export_trajectories", "unknown_format"]
