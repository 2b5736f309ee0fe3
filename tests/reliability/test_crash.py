"""Crash safety: SIGKILL `mockapps serve` during concurrent writes, restart it on the same data; every write it
acknowledged with a 2xx is there, no database is corrupt, every world opens."""

from __future__ import annotations

import json
import random
import re
import threading
import time
from dataclasses import replace

import pytest
import requests

from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.world import WorldRegistry

from .served import Served, integrity_problems
from .writers import WRITERS


def kill_during_writes(data) -> tuple[dict[str, int], list[str], list[str]]:
    """SIGKILL a server mid-writes and restart it: (writes acknowledged per app, those lost, problems found)."""
    WorldRegistry.for_settings(replace(Settings(), data_dir=data)).reset("warm")  # templates built before
    server = Served(data).start()
    worlds = [f"crash-{i}" for i in range(3)]
    for world in worlds:
        requests.post(f"{server.url(APP_NAMES[0])}/_control/worlds/{world}/reset", timeout=60).raise_for_status()
    acknowledged: list[tuple[str, str, str]] = []  # (world, app, marker)
    lock = threading.Lock()
    stop = threading.Event()

    def writer(seed: int) -> None:
        rng, http, n = random.Random(seed), requests.Session(), 0
        while not stop.is_set():
            world, app = rng.choice(worlds), rng.choice(APP_NAMES)
            n += 1
            marker = f"ck-{seed}-{n}"
            try:
                response = WRITERS[app](f"{server.url(app)}/w/{world}", marker, http)
            except requests.RequestException:
                continue  # the kill cut it off: not acknowledged
            if 200 <= response.status_code < 300:
                with lock:
                    acknowledged.append((world, app, marker))

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(4)
    server.kill()  # mid-write: requests are in flight in every thread
    stop.set()
    for thread in threads:
        thread.join()
    problems = integrity_problems(data / "worlds")
    lost: list[str] = []
    restarted = Served(data).start()
    try:
        for world in worlds:
            response = requests.get(f"{restarted.url(APP_NAMES[0])}/_control/worlds/{world}/changes", timeout=60)
            if response.status_code != 200:
                problems.append(f"{world} does not open after the restart: {response.text[:300]}")
                continue
            logged = set(re.findall(r"ck-\d+-\d+", json.dumps(response.json()["changes"])))
            lost += [f"{app} {m}" for w, app, m in acknowledged if w == world and m not in logged]
            for app in APP_NAMES:  # every app's database of the world opens and reads
                state = requests.get(f"{restarted.url(app)}/_control/worlds/{world}/state", timeout=60)
                if state.status_code != 200:
                    problems.append(f"{world}/{app} state after the restart: {state.text[:300]}")
    finally:
        restarted.stop()
    per_app = {app: sum(a == app for _, a, _ in acknowledged) for app in APP_NAMES}
    return per_app, lost, problems + integrity_problems(data / "worlds")


@pytest.mark.slow
def test_acknowledged_writes_survive_sigkill(tmp_path):
    acknowledged, lost, problems = kill_during_writes(tmp_path / "data")
    assert all(n > 3 for n in acknowledged.values()), acknowledged  # every app was written to
    assert not lost, f"acknowledged writes lost: {lost[:10]}"
    assert not problems, problems
