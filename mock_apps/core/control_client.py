"""A client of the control API, for the recorder, replay, checks and evaluation (one world at a time)."""

from __future__ import annotations

import requests

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES


class ControlError(MockAppsError):
    """The control API refused a call or could not be reached."""

    code = "control_error"


class ControlClient:
    """Control calls about one world, given each app's base URL."""

    def __init__(self, app_urls: dict[str, str], world_id: str, token: str | None = None, timeout: float = 60):
        self.app_urls = {app: url.rstrip("/") for app, url in app_urls.items()}
        self.world_id = world_id
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout

    def _call(self, method: str, path: str, app: str | None = None, **kwargs) -> dict:
        base = self.app_urls[app or next(a for a in APP_NAMES if a in self.app_urls)]
        return self._send(method, base, f"{base}/_control/worlds/{self.world_id}{path}", **kwargs)

    def _send(self, method: str, base: str, url: str, **kwargs) -> dict:
        try:
            response = self.http.request(method, url, timeout=self.timeout, **kwargs)
        except requests.ConnectionError:
            raise ControlError(f"cannot reach {base}: is `mockapps serve` running there (see --base-port)?") from None
        body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
        if response.status_code >= 400:
            raise ControlError(body.get("message") or f"{method} {url} failed with {response.status_code}",
                               status=response.status_code, code=body.get("error", "control_error"))
        return body

    def reset(self, scenario: str | None = None) -> dict:
        """Create or reset the world (to a scenario)."""
        return self._call("POST", "/reset", json={"scenario": scenario} if scenario else {})

    def delete(self) -> dict:
        """Delete the world."""
        return self._call("DELETE", "")

    def changes(self, after: int = 0) -> list[dict]:
        """Change-log entries after a sequence number (all apps)."""
        return self._call("GET", "/changes", params={"after": after})["changes"]

    def clock(self) -> dict:
        """The world's clock: now, step_seconds, timezone."""
        return self._call("GET", "/clock")

    def set_clock(self, now: str | None = None, step_seconds: int | None = None) -> dict:
        """Set the world's clock."""
        body = {k: v for k, v in (("now", now), ("step_seconds", step_seconds)) if v is not None}
        return self._call("PUT", "/clock", json=body)

    def start_recording(self, folder: str, task: str | None = None, trainer: str | None = None,
                        start_pages: list[str] | tuple[str, ...] = ()) -> dict:
        """Start a served recording in this world (it must exist) into a trajectory folder of the server's."""
        return self._recordings("", json={"world": self.world_id, "folder": folder, "task": task,
                                               "trainer": trainer, "start_pages": list(start_pages)})

    def recording(self, recording_id: str) -> dict:
        """A served recording's status and cookie."""
        return self._recordings(f"/{recording_id}", method="GET")

    def finish_recording(self, recording_id: str, status: str = "complete", answer: str | None = None) -> dict:
        """End a served recording; the trajectory's metadata (with its checks for a completed task)."""
        return self._recordings(f"/{recording_id}/finish", json={"status": status, "answer": answer})

    def _recordings(self, path: str, method: str = "POST", **kwargs) -> dict:
        base = self.app_urls[next(a for a in APP_NAMES if a in self.app_urls)]
        return self._send(method, base, f"{base}/_control/recordings{path}", **kwargs)

    def state(self, app: str) -> dict:
        """One app's normalized state."""
        return self._call("GET", "/state", app=app)

    def states(self) -> dict[str, dict]:
        """Every served app's normalized state."""
        return {app: self.state(app) for app in APP_NAMES if app in self.app_urls}
