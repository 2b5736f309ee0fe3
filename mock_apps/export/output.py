"""Export output written whole or not at all: built under a temporary name beside the target, then renamed."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from mock_apps.export.source import ExportError

# A folder holding this file was made by an export, so a new export may replace it; any other folder is left alone.
MARKER = ".mockapps-export"  # JSON: format, time, trajectories


def _problem(error: OSError) -> str:
    return error.strerror or str(error)


def _check_target(out: Path, directory: bool) -> None:
    if directory and out.exists():
        if not out.is_dir():
            raise ExportError(f"cannot write {out}: it is a file (this format writes a folder)")
        if not (out / MARKER).exists() and any(out.iterdir()):
            raise ExportError(f"cannot write {out}: a folder that is not an earlier export and not empty; "
                              f"choose another --out")
    if not directory and out.is_dir():
        raise ExportError(f"cannot write {out}: it is a folder (this format writes one file)")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def atomic_output(out: Path, directory: bool, manifest: dict) -> Iterator[Path]:
    """Yield a temporary path beside `out` to write into; on success it becomes `out` in one rename, on any
    error it is removed and `out` is as it was. A folder output gets the export's manifest as its MARKER."""
    out = Path(out).absolute()
    _check_target(out, directory)
    temporary = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if directory:
            temporary.mkdir()
        else:
            temporary.touch()
    except OSError as error:
        raise ExportError(f"cannot write {out}: {_problem(error)}") from None
    try:
        yield temporary
        if directory:
            (temporary / MARKER).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            if out.exists():
                # two renames: the old export stays whole until the new one is complete
                previous = out.parent / f".{out.name}.previous-{uuid.uuid4().hex[:8]}"
                os.replace(out, previous)
                os.replace(temporary, out)
                _remove(previous)
            else:
                os.replace(temporary, out)
        else:
            os.replace(temporary, out)
    except OSError as error:
        _remove(temporary)
        raise ExportError(f"cannot write {out}: {_problem(error)}") from None
    except BaseException:
        _remove(temporary)
        raise
