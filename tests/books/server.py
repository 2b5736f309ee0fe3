"""A real Books server on an ephemeral port over a books-only world built from the scenario.

Books' tests need only this app, so they seed just its database (the same seed_app the templates use)
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
REALM = "9341452298761234"


def build_template(folder: Path) -> None:
    """world.db (clock, change log) and a seeded books.db."""
    import mock_apps.books as books_app
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
    seed_app(folder / "books.db", folder / "world.db", books_app.SPEC, scenario)


@dataclass
class BooksServer:
    """The running app: its base URL, settings and template folder."""

    url: str
    settings: Settings
    template: Path

    def new_world(self) -> "BooksWorld":
        """A fresh world copied from the template."""
        world_id = f"books-{next(_ids)}"
        folder = self.settings.worlds_dir / world_id
        folder.mkdir(parents=True)
        for name in ("world.db", "books.db"):
            shutil.copyfile(self.template / name, folder / name)
        (folder / "world.json").write_text(json.dumps({"scenario": "meridian"}))
        return BooksWorld(world_id, self)


@dataclass
class BooksWorld:
    """One world on the server."""

    id: str
    server: BooksServer

    @property
    def url(self) -> str:
        """Base URL of the app in this world (path-prefixed, so no cookie is needed)."""
        return f"{self.server.url}/w/{self.id}"

    @property
    def api_base(self) -> str:
        """What python-quickbooks' api_url becomes (…/v3)."""
        return f"{self.url}/v3"

    def changes(self) -> list[dict]:
        """The world's change log."""
        conn = sqlite3.connect(self.server.settings.worlds_dir / self.id / "world.db")
        try:
            rows = conn.execute("SELECT seq, op, args, changes FROM change ORDER BY seq").fetchall()
        finally:
            conn.close()
        return [{"seq": s, "op": op, "args": json.loads(a), "changes": json.loads(c)} for s, op, a, c in rows]

    def session(self):
        """A WorldSession on this world's books database (for direct service calls)."""
        from mock_apps.core.world import WorldRegistry
        return WorldRegistry.for_settings(self.server.settings).session(self.id, "books")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # keep test output readable
        pass


def start(data_dir: Path) -> tuple[BooksServer, callable]:
    """Build the template, start the server in a thread; returns the server and a stop function."""
    from mock_apps.books import create_app

    template = data_dir / "books-template"
    build_template(template)
    settings = Settings(data_dir=data_dir)
    app = create_app({"settings": settings, "TESTING": True})
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    server = BooksServer(f"http://127.0.0.1:{httpd.server_port}", settings, template)
    return server, lambda: (httpd.shutdown(), thread.join(5))
