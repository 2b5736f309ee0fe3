"""The trajectories the portal shows: found under the configured folders, indexed by id, described in words."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from trajectories.model import Step, Trajectory
from mock_apps.core.errors import MockAppsError
from mock_apps.core.shell import app_title
from trajectories.store import TrajectoryDir



LISTED_FIELDS = ("task", "trainer", "status", "outcome")


@dataclass
class Entry:
    """One trajectory directory as listed: its metadata, or why it could not be read."""

    path: Path
    meta: Trajectory | None
    problem: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # the listed fields as text, read once per file change

    def __post_init__(self):
        if self.meta is not None and not self.values:
            self.values = {k: str(getattr(self.meta, k) or "") for k in LISTED_FIELDS}

    @property
    def key(self) -> str:
        """The id used in portal URLs."""
        return self.meta.id if self.meta else f"broken-{abs(hash(str(self.path))) % 10**10}"


class TrajectoryLibrary:
    """An index of trajectory.json files: re-read only when a file changes, re-scanned in the background at
    most every RESCAN_SECONDS, so a request never waits for a scan except the very first (a page may be that
    much behind the disk; with 10,000 trajectories a scan costs more than a page's whole budget)."""

    RESCAN_SECONDS = 2.0

    def __init__(self, folders: tuple[Path, ...]):
        self.folders = folders
        self._cache: dict[Path, tuple[float, Entry]] = {}
        self._lock = threading.Lock()
        self._sorted: list[Entry] = []
        self._by_key: dict[str, Entry] = {}
        self._options: dict[str, list[str]] = {}
        self._scanned_at = float("-inf")

    def entries(self) -> list[Entry]:
        """Every trajectory directory, newest first; unreadable ones carry their problem."""
        if self._scanned_at == float("-inf"):
            with self._lock:
                if self._scanned_at == float("-inf"):
                    self._scan()
        elif time.monotonic() - self._scanned_at > self.RESCAN_SECONDS and self._lock.acquire(blocking=False):
            self._scanned_at = time.monotonic()  # one background scan at a time
            threading.Thread(target=self._scan_in_background, daemon=True).start()
        return self._sorted

    def _scan_in_background(self) -> None:
        try:
            self._scan()
        finally:
            self._lock.release()

    def _scan(self) -> None:
        seen = set()
        for folder in self.folders:
            for meta_path in folder.glob("*/trajectory.json") if folder.is_dir() else ():
                seen.add(meta_path)
                mtime = meta_path.stat().st_mtime
                cached = self._cache.get(meta_path)
                if cached is None or cached[0] != mtime:
                    self._cache[meta_path] = (mtime, _read(meta_path.parent))
        for gone in set(self._cache) - seen:
            del self._cache[gone]
        found = [entry for _, entry in self._cache.values()]
        self._sorted = sorted(found, key=lambda e: (e.meta.start.isoformat() if e.meta else ""), reverse=True)
        self._by_key = {e.key: e for e in self._sorted}
        self._options = {k: sorted({e.values[k] for e in found if e.meta and e.values[k]}) for k in LISTED_FIELDS}
        self._scanned_at = time.monotonic()

    def refresh(self) -> None:
        """Re-scan now (after the portal itself changed something, or to see a new recording at once)."""
        with self._lock:
            self._scan()

    def options(self) -> dict[str, list[str]]:
        """Every value each listed field takes (for the filter menus), as of the last scan."""
        self.entries()
        return self._options

    def get(self, key: str) -> Entry | None:
        """A trajectory by its key."""
        self.entries()
        return self._by_key.get(key)


def _read(path: Path) -> Entry:
    try:
        return Entry(path, TrajectoryDir(path).load_meta())
    except MockAppsError as error:
        return Entry(path, None, error.message)


def target_words(step: Step) -> str:
    """How a person would name the element: "the button 'Save'"."""
    t = step.target
    if t is None:
        return ""
    name = t.name or t.label or t.placeholder or t.text or t.testid or t.tag
    role = t.role or {"a": "link", "td": "cell", "div": "area"}.get(t.tag, t.tag)
    return f"the {role} '{_short(name)}'"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def action_words(step: Step) -> str:
    """The step in words: "Clicked the button 'Save' in Books"."""
    a, args = step.action.type, step.action.args
    where = f" in {app_title(step.app)}" if step.app else ""
    target = target_words(step)
    if a == "click":
        verb = "Double-clicked" if args.get("click_count", 1) == 2 else "Right-clicked" if args.get("button") == "right" \
            else "Clicked"
        extra = " (downloading " + ", ".join(d["name"] for d in args["downloads"]) + ")" if args.get("downloads") else ""
        return f"{verb} {target}{where}{extra}"
    if a == "fill":
        return f"Typed '{_short(args.get('value', ''))}' into {target}{where}"
    if a == "press":
        return f"Pressed {args.get('key')} in {target}{where}"
    if a == "select":
        return f"Chose {', '.join(map(str, args.get('values', [])))} in {target}{where}"
    if a in ("check", "uncheck"):
        return f"{'Checked' if a == 'check' else 'Unchecked'} {target}{where}"
    if a in ("copy", "paste"):
        return f"{'Copied' if a == 'copy' else 'Pasted'} '{_short(args.get('text', ''))}'{where}"
    if a == "upload":
        files = ", ".join(f["name"] + (" (downloaded earlier)" if f.get("source", "").startswith("download:") else "")
                          for f in args.get("files", []))
        return f"Uploaded {files} into {target}{where}"
    if a == "drag":
        return f"Dragged {target} onto the {args.get('to', {}).get('name') or 'target'}{where}"
    if a == "navigate":
        return f"Went to {args.get('url')}"
    if a == "tab_open":
        return "Opened a new tab"
    if a == "tab_switch":
        return f"Switched to tab {step.page}"
    if a == "tab_close":
        return f"Closed tab {step.page}"
    if a == "download":
        return f"Downloaded {args.get('name')}"
    return a


def change_lines(step: Step) -> list[dict]:
    """The step's changes as readable diffs: per entry, per row, the fields that changed."""
    out = []
    for entry in step.changes:
        rows = []
        for row in entry.changes:
            before, after = row.before or {}, row.after or {}
            if row.kind == "update":
                fields = [(k, before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)
                          and k not in ("updated_at", "sync_token")]
            else:
                shown = after if row.kind == "insert" else before
                fields = [(k, None, v) if row.kind == "insert" else (k, v, None)
                          for k, v in list(shown.items())[:8] if v not in (None, "", 0, False)]
            rows.append({"table": row.table, "key": row.key, "kind": row.kind,
                         "fields": [(k, _short(b, 80) if b is not None else "", _short(a, 80) if a is not None else "")
                                    for k, b, a in fields]})
        out.append({"app": entry.app, "op": entry.op, "time": entry.time, "rows": rows})
    return out
