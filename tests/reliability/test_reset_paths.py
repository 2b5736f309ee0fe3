"""The reset hot path's shortcuts stay correct across processes: a database written by another connection is
copied again, and engines and kept connections on a world deleted and created again elsewhere are dropped.
(A second WorldRegistry on the same data directory stands for another process: it shares no cache.)"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.world import WorldRegistry


def _touch(registry: WorldRegistry, world_id: str, app: str) -> None:
    """Commit a change to one app's database from a connection no registry holds."""
    conn = sqlite3.connect(registry.folder(world_id) / f"{app}.db", isolation_level=None)
    table = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                         "AND sql NOT LIKE '%VIRTUAL%' ORDER BY name LIMIT 1").fetchone()[0]
    conn.execute(f'DELETE FROM "{table}"')
    conn.close()


def test_a_database_another_connection_wrote_is_copied_again(tmp_path):
    settings = replace(Settings(), data_dir=tmp_path)
    one, other = WorldRegistry(settings), WorldRegistry(settings)
    one.reset("w")
    pristine = {app: one.state("w", app) for app in APP_NAMES}
    one.reset("w")  # now every database is known to equal its template
    for app in APP_NAMES:
        _touch(one, "w", app)
        assert one.state("w", app) != pristine[app]
        one.reset("w")
        assert one.state("w", app) == pristine[app], app
    other.reset("w")  # the other "process" copies too: the first sees its commits and copies again next time
    _touch(other, "w", APP_NAMES[0])
    one.reset("w")
    assert one.state("w", APP_NAMES[0]) == pristine[APP_NAMES[0]]


def test_a_world_deleted_and_created_again_elsewhere_is_read_from_its_new_files(tmp_path):
    settings = replace(Settings(), data_dir=tmp_path)
    one, other = WorldRegistry(settings), WorldRegistry(settings)
    one.reset("w")
    one.reset("w")  # kept connections open
    app = APP_NAMES[0]
    before = one.state("w", app)  # engines open
    other.delete("w")
    other.reset("w")
    _touch(other, "w", app)  # a change only the new files have
    assert one.state("w", app) != before  # not the old, unlinked files
    one.reset("w")  # its kept connections are on the new files too
    assert other.state("w", app) == before
