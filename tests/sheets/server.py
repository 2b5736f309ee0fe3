"""A real Sheets server on an ephemeral port over a sheets-only world built from the scenario.

Sheets' tests need only this app, so they seed just its database (the same seed_app the templates use)
and copy it per test: a fresh world costs a file copy.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from mock_apps.core.changelog import CHANGE_DDL
from mock_apps.core.clock import CLOCK_DDL, DEFAULT_STEP_SECONDS, to_us
from mock_apps.core.settings import Settings
from mock_apps.core.template import seed_app

_ids = itertools.count(1)


def build_template(folder: Path) -> None:
    """world.db (clock, change log) and a seeded sheets.db."""
    import mock_apps.sheets as sheets_app
    from mock_apps.scenarios import get_scenario

    folder.mkdir(parents=True, exist_ok=True)
    scenario = get_scenario("meridian")
    conn = sqlite3.connect(folder / "world.db")
    conn.execute(CLOCK_DDL.format(schema=""))
    conn.execute(CHANGE_DDL.format(schema=""))
    conn.execute("INSERT INTO clock VALUES (1, ?, ?, ?)",
                 (to_us(scenario.now), DEFAULT_STEP_SECONDS * 1_000_000, scenario.facts.company.timezone))
    conn.commit()
    conn.close()
    seed_app(folder / "sheets.db", folder / "world.db", sheets_app.SPEC, scenario)


@dataclass
class SheetsServer:
    """The running app: its base URL, settings and template folder."""

    url: str
    settings: Settings
    template: Path
    app: object

    def new_world(self) -> "SheetsWorld":
        """A fresh world copied from the template."""
        world_id = f"sheets-{next(_ids)}"
        folder = self.settings.worlds_dir / world_id
        folder.mkdir(parents=True)
        for name in ("world.db", "sheets.db"):
            shutil.copyfile(self.template / name, folder / name)
        (folder / "world.json").write_text(json.dumps({"scenario": "meridian"}))
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
        from mock_apps.core.world import WorldRegistry
        return WorldRegistry.for_settings(self.server.settings).session(self.id, "sheets")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # keep test output readable
        pass


def start(data_dir: Path) -> tuple[SheetsServer, callable]:
    """Build the template, start the server in a thread; returns the server and a stop function."""
    from mock_apps.sheets import create_app

    template = data_dir / "sheets-template"
    build_template(template)
    settings = Settings(data_dir=data_dir)
    app = create_app({"settings": settings, "TESTING": True})
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    server = SheetsServer(f"http://127.0.0.1:{httpd.server_port}", settings, template, app)
    return server, lambda: (httpd.shutdown(), thread.join(5))
