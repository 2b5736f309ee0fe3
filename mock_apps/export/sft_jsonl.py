"""`sft-jsonl`: one observation/action line per step, for supervised fine-tuning of browser agents."""

from __future__ import annotations

import json
from pathlib import Path

from mock_apps.export.format import ExportFormat, Written
from mock_apps.export.records import FORMAT_VERSION, step_records
from mock_apps.export.source import ExportSource

FORMAT_TAG = f"mockapps.sft/{FORMAT_VERSION}"


def write(sources: list[ExportSource], path: Path, settings) -> Written:
    """Write every step of every trajectory as one JSON line."""
    lines = 0
    with open(path, "w", encoding="utf-8") as handle:
        for source in sources:
            for record in step_records(source):
                handle.write(json.dumps({"format": FORMAT_TAG, **record}, ensure_ascii=False) + "\n")
                lines += 1
    return Written(lines)


FORMAT = ExportFormat("sft-jsonl", "observation/action JSON lines, one per step (supervised fine-tuning)",
                      directory=False, write=write, item="lines")
