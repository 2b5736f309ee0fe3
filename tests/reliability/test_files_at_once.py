"""Files and databases created, copied or deleted by several processes or threads at once: templates built from cold
by several processes, another source version's templates removed only when no live process copies from them,
snapshots taken during writes (one moment across every database) and never left half written."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.template import _remove_stale, template_dir
from mock_apps.core.world import WorldRegistry

from .served import integrity_problems
from .writers import WRITERS


def _create(data_dir: str, world_id: str, errors) -> None:
    """One process of the cold start below (a spawned process: module level)."""
    try:
        WorldRegistry.for_settings(replace(Settings(), data_dir=Path(data_dir))).reset(world_id)
    except BaseException as error:  # surfaced in the parent
        errors.put(f"{world_id}: {type(error).__name__}: {error}")


@pytest.mark.slow
def test_processes_creating_worlds_on_a_cold_data_directory_build_the_templates_once(tmp_path):
    spawn = multiprocessing.get_context("spawn")
    errors = spawn.Queue()
    processes = [spawn.Process(target=_create, args=(str(tmp_path), f"cold-{i}", errors)) for i in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(300)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert not found, found
    assert all(p.exitcode == 0 for p in processes)
    settings = replace(Settings(), data_dir=tmp_path)
    # one build, renamed into place: no other version, no staging folder left behind
    assert [p for p in settings.templates_dir.iterdir() if p.is_dir()] == \
        [template_dir(settings.templates_dir, "meridian")]
    registry = WorldRegistry(settings)
    assert len({str(registry.state(f"cold-{i}", "books")["tables"]) for i in range(3)}) == 1
    assert not integrity_problems(tmp_path)


_HOLDER = """
import sys, time
from pathlib import Path
from mock_apps.core import template
template._hold(Path(sys.argv[1]))  # as a server of that source version does once it has its templates
print("held", flush=True)
sys.stdin.read()  # until the test lets go
"""


def test_another_versions_templates_are_removed_only_when_no_process_uses_them(tmp_path):
    # folders as builds of three source versions leave them (the build itself is the test above's)
    used, unused, current = (tmp_path / f"meridian-{c * 16}" for c in "abc")
    for folder in (used, unused, current, tmp_path / "meridian-notes"):
        folder.mkdir()
        (folder / "READY").write_text("meridian")
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(used)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        _remove_stale(tmp_path, "meridian", keep=current)
        assert (used / "READY").exists(), "removed while a live process copies worlds from it"
        assert not unused.exists()
        assert current.exists() and (tmp_path / "meridian-notes").exists()  # not a build of this scenario
    finally:
        holder.communicate("", timeout=30)
    _remove_stale(tmp_path, "meridian", keep=current)  # its process has ended: now it goes
    assert not used.exists()


def test_a_snapshot_taken_during_writes_is_one_moment_of_every_database(world):
    base = {app: world.api_url(app) for app in APP_NAMES}
    stop, written = threading.Event(), []

    def write() -> None:
        http, n = requests.Session(), 0
        while not stop.is_set():
            n += 1
            app = APP_NAMES[n % len(APP_NAMES)]
            marker = f"snap-{n}"
            if WRITERS[app](base[app], marker, http).status_code < 300:
                written.append((app, marker))

    writers = [threading.Thread(target=write) for _ in range(2)]
    for thread in writers:
        thread.start()
    try:
        for n in range(3):
            while len(written) < 5 * (n + 1):  # writes landed before, and go on during, each snapshot
                stop.wait(0.05)
            world.control(APP_NAMES[0], "POST", f"/snapshots/during-{n}")
    finally:
        stop.set()
        for thread in writers:
            thread.join()
    for n in range(3):
        world.control(APP_NAMES[0], "POST", f"/snapshots/during-{n}/restore")
        logged = str(world.changes())
        for app in APP_NAMES:
            state = str(world.state(app)["tables"])
            # a write is in an app's database exactly when it is in the change log (world.db): all copied at once
            mismatched = [m for a, m in written if a == app and (f"'{m}'" in logged) != (f"'{m}'" in state)]
            assert not mismatched, (n, app, mismatched[:5])
    folder = WorldRegistry.for_settings(world.sandbox.settings).folder(world.id) / "snapshots"
    assert sorted(p.name for p in folder.iterdir()) == ["during-0", "during-1", "during-2"]  # none left aside


def test_a_snapshot_missing_a_database_is_refused_not_restored_as_an_empty_app(world):
    world.control(APP_NAMES[0], "POST", "/snapshots/partial")
    folder = WorldRegistry.for_settings(world.sandbox.settings).folder(world.id) / "snapshots" / "partial"
    (folder / f"{APP_NAMES[-1]}.db").unlink()  # as a copy cut short by a crash would have left it
    before = world.state(APP_NAMES[-1])
    response = requests.post(f"{world.url(APP_NAMES[0])}/_control/worlds/{world.id}/snapshots/partial/restore",
                             timeout=30)
    assert response.status_code == 404 and response.json()["error"] == "unknown_snapshot"
    assert world.state(APP_NAMES[-1]) == before


def test_an_unfinished_template_folder_is_replaced_whole(tmp_path, monkeypatch):
    from mock_apps.core import template

    # the seeding itself is the slow test's above; here only what happens to the folders around it
    monkeypatch.setattr(template, "build_world", lambda folder, name: (folder / "world.db").write_bytes(b"seeded"))
    target = template_dir(tmp_path, "meridian")
    target.mkdir(parents=True)
    (target / "books.db-shm").write_bytes(b"")  # no READY: a build cut short, and a file a reader's SQLite made
    assert template.ensure_templates(tmp_path, "meridian") == target
    assert sorted(p.name for p in target.iterdir()) == ["READY", "world.db"]
    assert [p.name for p in tmp_path.iterdir() if p.name != target.name and p.is_dir()] == []  # nothing aside
