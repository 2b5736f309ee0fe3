"""The deployment's secret key: signs recording cookies (the apps) and sessions (the portal)."""

from __future__ import annotations

import os
import secrets
import time
from functools import lru_cache
from pathlib import Path

from mock_apps.core.settings import Settings

SECRET_FILE = "secret.key"


def deployment_secret(settings: Settings) -> bytes:
    """MOCKAPPS_SECRET when set, else a key generated once into the data directory (mode 0600) and shared by
    every process serving that directory (the apps and the portal, each under gunicorn, in docker-compose)."""
    configured = os.environ.get("MOCKAPPS_SECRET")
    if configured:
        return configured.encode("utf-8")
    return _stored_secret(Path(settings.data_dir))


@lru_cache(maxsize=None)
def _stored_secret(data_dir: Path) -> bytes:
    path = data_dir / SECRET_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: of several processes starting at once, one writes the key and the others read it
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_bytes().strip()
            if key:
                return key
            time.sleep(0.01)  # the writer is between its create and its write
        raise RuntimeError(f"{path} is empty; delete it and restart, or set MOCKAPPS_SECRET") from None
    key = secrets.token_hex(32).encode("ascii")
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key
