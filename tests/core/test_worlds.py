"""Worlds end to end over HTTP: isolation, reset, change log, clock, snapshots, determinism."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import requests

from mock_apps.core.world import WorldRegistry

TOKEN = {"Authorization": "Bearer xoxp-dana.whitfield"}


def post(world, text: str, channel: str | None = None, api_url: str | None = None) -> dict:
    """Post a chat message through the Slack-shaped API (a real state change in one app)."""
    base = api_url or world.api_url("chat")
    channel = channel or general_id(base)
    body = requests.post(f"{base}/api/chat.postMessage", headers=TOKEN,
                         json={"channel": channel, "text": text}, timeout=30).json()
    assert body["ok"], body
    return body


def general_id(base: str) -> str:
    """The id of #general."""
    body = requests.get(f"{base}/api/conversations.list", headers=TOKEN, params={"limit": 200}, timeout=30).json()
    return next(c["id"] for c in body["channels"] if c["name"] == "general")


def test_worlds_are_isolated_under_concurrent_writes(sandbox, world):
    other_id = f"{world.id}-b"
    WorldRegistry.for_settings(sandbox.settings).reset(other_id)
    bases = {world.id: world.api_url("chat"), other_id: f"{sandbox.url('chat')}/w/{other_id}"}
    channel = general_id(bases[world.id])
    errors: list[BaseException] = []

    def writer(world_id: str) -> None:
        try:
            for i in range(15):
                post(world, f"{world_id} message {i}", channel, api_url=bases[world_id])
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(w,)) for w in bases for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for world_id, base in bases.items():
        changes = requests.get(f"{sandbox.url('chat')}/_control/worlds/{world_id}/changes", timeout=30).json()
        texts = [c["args"].get("text") for c in changes["changes"]]
        assert len(texts) == 30
        assert all(t.startswith(f"{world_id} ") for t in texts)
        assert [c["seq"] for c in changes["changes"]] == list(range(1, 31))


def test_browser_contexts_with_different_cookies_see_only_their_world(browser, sandbox, world):
    other_id = f"{world.id}-c"
    WorldRegistry.for_settings(sandbox.settings).reset(other_id)
    channel = general_id(world.api_url("chat"))
    post(world, "only in the first world", channel)
    post(world, "only in the second world", channel, api_url=f"{sandbox.url('chat')}/w/{other_id}")
    seen = {}
    for world_id in (world.id, other_id):
        context = browser.new_context()
        context.add_cookies([{"name": "mockworld", "value": world_id, "url": sandbox.url("chat")}])
        page = context.new_page()
        page.goto(f"{sandbox.url('chat')}/archives/{channel}")
        seen[world_id] = page.locator("main").inner_text()
        assert page.get_by_test_id("world-id").inner_text() == world_id
        context.close()
    assert "only in the first world" in seen[world.id] and "only in the second world" not in seen[world.id]
    assert "only in the second world" in seen[other_id] and "only in the first world" not in seen[other_id]


def test_a_busy_world_does_not_block_another(sandbox, world):
    other_id = f"{world.id}-d"
    registry = WorldRegistry.for_settings(sandbox.settings)
    registry.reset(other_id)
    holder = sqlite3.connect(registry.folder(world.id) / "world.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # world A's writer lock held by someone else
    try:
        started = time.monotonic()
        post(world, "in B", api_url=f"{sandbox.url('chat')}/w/{other_id}")
        assert time.monotonic() - started < 2.0
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_reset_restores_state_and_restarts_the_change_log(world):
    for app in ("mail", "chat", "sheets", "books"):
        world.state(app)  # every app's state is readable
    before = world.state("chat")
    post(world, "something new")
    assert world.state("chat") != before
    assert len(world.changes()) == 1
    world.reset()
    assert world.state("chat") == before
    assert world.changes() == []


def test_same_changes_after_reset_give_identical_times_and_ids(world):
    def run() -> tuple[list, list]:
        first = post(world, "first")
        second = post(world, "second")
        changes = world.changes()
        return [first["ts"], second["ts"]], [(c["seq"], c["time"], c["op"], c["changes"]) for c in changes]

    ids_a, log_a = run()
    world.reset()
    ids_b, log_b = run()
    assert ids_a == ids_b
    assert log_a == log_b


def test_clock_is_frozen_advances_per_change_and_can_be_set(world):
    clock = world.control("books", "GET", "/clock")
    assert clock["now"].startswith("2026-03-31T")
    time.sleep(0.05)
    assert world.control("books", "GET", "/clock")["now"] == clock["now"]  # not the wall clock
    post(world, "tick")
    change = world.changes()[-1]
    later = world.control("books", "GET", "/clock")
    assert later["now"] > clock["now"]
    assert change["time"] <= later["now"]
    set_to = world.control("books", "PUT", "/clock", json={"now": "2026-04-15T09:00:00-05:00", "step_seconds": 60})
    assert set_to["step_seconds"] == 60
    post(world, "after the jump")
    assert world.changes()[-1]["time"].startswith("2026-04-15T14:0")


def test_snapshot_and_restore(world):
    post(world, "kept")
    world.control("chat", "POST", "/snapshots/s1")
    kept = world.state("chat")
    post(world, "dropped")
    assert world.state("chat") != kept
    world.control("chat", "POST", "/snapshots/s1/restore")
    assert world.state("chat") == kept
    assert len(world.changes()) == 1


def test_worlds_listed_and_deleted(sandbox, world):
    listed = requests.get(f"{sandbox.url('mail')}/_control/worlds", timeout=30).json()["worlds"]
    assert {"id": world.id, "scenario": "meridian"} in listed
    response = requests.delete(f"{sandbox.url('mail')}/_control/worlds/{world.id}", timeout=30)
    assert response.status_code == 200
    listed = requests.get(f"{sandbox.url('mail')}/_control/worlds", timeout=30).json()["worlds"]
    assert world.id not in {w["id"] for w in listed}
    gone = requests.get(f"{world.api_url('chat')}/api/auth.test", headers=TOKEN, timeout=30)
    assert gone.status_code == 404


def _reset_race(data_dir: str, worlds: list[str], errors) -> None:
    """One process of the race below: reset each new world, list the worlds and read each one's scenario."""
    from dataclasses import replace

    from mock_apps.core.settings import Settings

    registry = WorldRegistry(replace(Settings(), data_dir=__import__("pathlib").Path(data_dir)))
    for world_id in worlds:
        try:
            registry.reset(world_id)
            registry.list()
            assert registry.scenario_of(world_id) == "meridian"
        except BaseException as error:  # surfaced in the parent
            errors.put(f"{world_id}: {type(error).__name__}: {error}")


def test_processes_resetting_the_same_new_worlds_at_once_all_succeed(sandbox):
    """Four processes (one per app, as a harness does) create the same new worlds at the same moment; world.json
    is written atomically and read under the world's lock, so none fails and every world opens."""
    import multiprocessing

    WorldRegistry.for_settings(sandbox.settings).reset("race-warm")  # templates built once, before the race
    stamp = time.monotonic_ns()
    worlds = [f"race-{stamp}-{i}" for i in range(25)]
    spawn = multiprocessing.get_context("spawn")
    errors = spawn.Queue()
    processes = [spawn.Process(target=_reset_race, args=(str(sandbox.settings.data_dir), worlds, errors))
                 for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert not found, found[:5]
    assert all(p.exitcode == 0 for p in processes)
    registry = WorldRegistry.for_settings(sandbox.settings)
    listed = {w["id"] for w in registry.list()}
    for world_id in worlds:
        assert world_id in listed
        with sqlite3.connect(registry.folder(world_id) / "world.db") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        registry.delete(world_id)


def test_folders_left_by_a_killed_process_are_removed_once_too_old_to_be_in_use(tmp_path):
    """A process killed between building a world aside and renaming it (or while throwing one away) leaves a
    `.new-*` / `.deleted-*` folder; the next registry on the data directory removes those, and only those, that
    are old enough that no live process can still be using them."""
    import os
    import time
    from dataclasses import replace

    from mock_apps.core.settings import Settings
    from mock_apps.core.world import LEFTOVER_AFTER_SECONDS, WorldRegistry

    settings = replace(Settings(), data_dir=tmp_path / "data")
    settings.worlds_dir.mkdir(parents=True)
    settings.templates_dir.mkdir(parents=True)
    old = time.time() - LEFTOVER_AFTER_SECONDS - 60
    left = [settings.worlds_dir / ".new-w1-123-456", settings.worlds_dir / ".deleted-w2-123-456",
            settings.templates_dir / ".stale-meridian-1-2"]
    fresh = settings.worlds_dir / ".new-w3-789-1"  # another process is building it right now
    world = settings.worlds_dir / "w4"  # a world, however old
    for folder in (*left, fresh, world):
        folder.mkdir()
        (folder / "mail.db").write_bytes(b"x")
    for folder in (*left, world):
        os.utime(folder, (old, old))
    WorldRegistry(settings)
    assert not any(folder.exists() for folder in left)
    assert fresh.exists() and (world / "mail.db").exists()
