"""Recordings the portal starts for a trainer on their own machine: `mockapps record TASK` as a detached
subprocess writing into the first trajectory folder, its output in a log under the data folder."""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES, PORT_OFFSETS, Settings, is_loopback

TRAINER_MAX = 80


class RecordRefused(MockAppsError):
    """The portal will not start a recorder for this request (a remote client, or a sandbox it cannot reach)."""

    status = 403
    code = "record_refused"


def has_display() -> bool:
    """Whether a headed browser can open a window here (Linux needs an X or Wayland display; others always can)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _loopback_address(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def local_record_problem(settings: Settings, remote_addr: str | None, headers=None,
                         own_origin: str | None = None) -> str | None:
    """Why "Record" cannot start the recorder for this request, or None when it can: the request must come from
    this machine to a portal that only this machine can reach, with the apps where `--base-port` puts them, and
    (given `own_origin`) be posted by the portal's own page."""
    origin = (headers or {}).get("Origin")
    if own_origin and origin and origin.rstrip("/") != own_origin.rstrip("/"):
        # a page of another site posting here from the trainer's browser must not start programs
        return f"the request came from a page of {origin}, not from the portal"
    if not is_loopback(settings.host):
        return (f"the portal listens on {settings.host}, reachable from other machines, so it starts no programs; "
                "run the command in a terminal on your machine")
    # a proxy on this machine makes every client look local: a forwarded request is someone else's
    if not _loopback_address(remote_addr) or any(h in (headers or {}) for h in PROXY_HEADERS):
        return "recordings start only for requests from this machine; run the command in a terminal on yours"
    if any(settings.port(app) != settings.base_port + PORT_OFFSETS[app] for app in APP_NAMES):
        return (f"the apps are not on the ports --base-port {settings.base_port} gives the recorder "
                "(base+1 to base+4); run the command with the right --base-port")
    return None


@dataclass
class Launched:
    """A recorder the portal started: for which task, where it records, its log and its process."""

    task: str
    out: Path
    log: Path
    command: list[str]
    headless: bool
    process: subprocess.Popen = field(repr=False)
    started: float = field(default_factory=time.time)

    @property
    def pid(self) -> int:
        """The recorder's process id."""
        return self.process.pid

    @property
    def exit_code(self) -> int | None:
        """None while it runs, else how it ended (reaps the process, so it leaves no zombie)."""
        return self.process.poll()

    def log_tail(self, lines: int = 3) -> str:
        """The last lines the recorder printed."""
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class RecordingLauncher:
    """Starts recorders for the tasks page and remembers them so the page can show and stop them."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._launched: dict[int, Launched] = {}
        self._lock = threading.Lock()

    def start(self, task_id: str, trainer: str = "") -> Launched:
        """Start `mockapps record TASK` detached, headless when there is no display; raise on bad input."""
        from mock_apps.tasks import get_task

        task = get_task(task_id)  # an unknown task is a clear error before anything starts
        trainer = " ".join(trainer.split())
        if len(trainer) > TRAINER_MAX:
            raise MockAppsError(f"trainer name longer than {TRAINER_MAX} characters", code="bad_trainer")
        stamp = time.strftime("%Y%m%d-%H%M%S")
        out = self._free_folder(self.settings.trajectory_dirs[0] / f"{task.id}-{stamp}")
        logs = self.settings.data_dir / "recorder-logs"
        logs.mkdir(parents=True, exist_ok=True)
        log = logs / f"{out.name}.log"
        headless = not has_display()
        command = [sys.executable, "-m", "mock_apps.cli", "record", task.id, "--base-port",
                   str(self.settings.base_port), "--out", str(out)]
        command += ["--trainer", trainer] if trainer else []
        command += ["--headless"] if headless else []
        with open(log, "ab") as handle:
            # its own session: the recorder outlives a portal restart and a Ctrl+C in the portal's terminal
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                                       start_new_session=True,
                                       env={**os.environ, "PYTHONUNBUFFERED": "1"})
        # reaped as soon as it ends, whether or not anyone looks at the tasks page again
        threading.Thread(target=process.wait, name=f"recorder-{process.pid}", daemon=True).start()
        launched = Launched(task.id, out, log, command, headless, process)
        with self._lock:
            self._launched[launched.pid] = launched
        return launched

    @staticmethod
    def _free_folder(out: Path) -> Path:
        # two presses in the same second get two folders, not one recording over another
        candidate, n = out, 1
        while candidate.exists():
            n += 1
            candidate = out.with_name(f"{out.name}-{n}")
        return candidate

    def launched(self) -> list[Launched]:
        """Every recorder started by this portal, newest first."""
        with self._lock:
            return sorted(self._launched.values(), key=lambda item: item.started, reverse=True)

    def stop(self, pid: int) -> Launched:
        """Ask a recorder this portal started to finish (as Ctrl+C would: the trajectory is kept, abandoned)."""
        with self._lock:
            launched = self._launched.get(pid)
        if launched is None:
            raise MockAppsError(f"no recording with process {pid} was started from this portal",
                                code="unknown_recording", status=404)
        if launched.exit_code is None:
            launched.process.send_signal(signal.SIGINT)
        return launched
