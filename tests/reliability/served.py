"""`mockapps serve` as a real subprocess on free loopback ports over its own data directory (stress, crash tests)."""

from __future__ import annotations

import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from mock_apps.core.server import SERVED
from mock_apps.core.settings import PORT_OFFSETS


def _ports_free(base: int) -> bool:
    for name in SERVED:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", base + PORT_OFFSETS[name]))
            except OSError:
                return False
    return True


class Served:
    """One `mockapps serve` process: its base port, its apps' URLs, started, killed or stopped."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.base_port: int | None = None
        self.process: subprocess.Popen | None = None
        self.log = data_dir.parent / f"serve-{id(self)}.log"

    def url(self, name: str) -> str:
        """The base URL of one served app (or the portal)."""
        return f"http://127.0.0.1:{self.base_port + PORT_OFFSETS[name]}"

    def start(self, base_port: int | None = None, timeout: float = 90) -> "Served":
        """Start serving (on the given base port, else on free ones) and wait until every app answers."""
        mockapps = Path(sys.executable).with_name("mockapps")
        for _ in range(20):
            base = base_port or random.randrange(20_000, 60_000, 10)
            if base_port is None and not _ports_free(base):
                continue
            self.base_port = base
            with open(self.log, "ab") as log:
                self.process = subprocess.Popen(
                    [str(mockapps), "--data", str(self.data_dir), "serve", "--host", "127.0.0.1",
                     "--base-port", str(base)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            if self._wait_ready(timeout):
                return self
            if base_port is not None:
                break
        raise RuntimeError(f"mockapps serve did not start; its log:\n{self.log.read_text()[-3000:]}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        waiting = list(SERVED)
        while waiting and time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # exited (a port taken meanwhile): the caller tries other ports
            try:
                if requests.get(f"{self.url(waiting[0])}/_control/health" if waiting[0] != "portal"
                                else self.url("portal"), timeout=10).status_code < 500:
                    waiting.pop(0)
                    continue
            except requests.RequestException:  # not listening yet, or busy starting
                pass
            time.sleep(0.1)
        return not waiting

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the machine's OOM killer or a crash ends it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        """Stop it the ordinary way (SIGINT, as Ctrl-C), killing it if it does not end."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()


def integrity_problems(root: Path) -> list[str]:
    """Every SQLite database under a folder whose `PRAGMA integrity_check` is not ok (opening them read-write,
    as a restarted server would, so that a hot WAL is recovered first)."""
    import sqlite3

    problems = []
    for path in sorted(root.rglob("*.db")):
        conn = sqlite3.connect(path, timeout=30)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            result = [str(error)]
        finally:
            conn.close()
        if result != ["ok"]:
            problems.append(f"{path.relative_to(root)}: {result[:3]}")
    return problems
