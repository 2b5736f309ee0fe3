"""What an export format is: a name, what it writes (one file or a folder) and the function that writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from mock_apps.export.source import ExportSource


@dataclass
class Written:
    """What a format wrote: how many items (lines, rows, scripts, recordings) and anything left out, in words."""

    items: int
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExportFormat:
    """One training format: `write(sources, path, settings)` fills `path` (a file, or an existing empty folder)."""

    name: str
    summary: str
    directory: bool
    write: Callable[[list[ExportSource], Path, object], Written]
    item: str = "items"
