"""A real Sheets server on an ephemeral port; each test world is a full world (a file copy of the templates)."""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from mock_apps.core.settings import Settings
from mock_apps.core.world import WorldRegistry

_ids = itertools.count(1)


@dataclass
class SheetsServer:
    """The running app: its base URL and settings."""

    url: str
    settings: Settings
    app: object

    def new_world(self) -> "SheetsWorld":
        """A fresh world of the default scenario."""
        world_id = f"sheets-{next(_ids)}"
        WorldRegistry.for_settings(self.settings).reset(world_id)
        return SheetsWorld(world_id, self)


@dataclass
class SheetsWorld:
    """One world on the server."""

    id: str
    server: SheetsServer

    @property
    def url(self) -> str:
        """Base URL of the app in this world (path-prefixed, so no cookie is needed)."""
        return f"{self.server.url}/w/{self.id}"

    def changes(self) -> list[dict]:
        """The world's change log."""
        conn = sqlite3.connect(self.server.settings.worlds_dir / self.id / "world.db")
        try:
            rows = conn.execute("SELECT seq, op, args, changes FROM change ORDER BY seq").fetchall()
        finally:
            conn.close()
        return [{"seq": s, "op": op, "args": json.loads(a), "changes": json.loads(c)} for s, op, a, c in rows]

    def session(self):
        """A WorldSession on this world's sheets database (for direct service calls)."""
        return WorldRegistry.for_settings(self.server.settings).session(self.id, "sheets")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # keep test output readable
        pass


def start(data_dir: Path) -> tuple[SheetsServer, callable]:
    """Start the server in a thread; returns the server and a stop function."""
    from mock_apps.sheets import create_app

    settings = Settings(data_dir=data_dir)
    app = create_app({"settings": settings, "TESTING": True})
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    server = SheetsServer(f"http://127.0.0.1:{httpd.server_port}", settings, app)
    return server, lambda: (httpd.shutdown(), thread.join(5))
