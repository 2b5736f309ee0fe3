"""The apps a rollout server's environments use: its own in-process sandbox, or a deployment already running
(`mockapps serve`, e.g. under gunicorn, so the apps' work runs in other processes than the rollouts')."""

from __future__ import annotations

from dataclasses import dataclass

import requests

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES, Settings


@dataclass
class RunningDeployment:
    """A deployment served elsewhere on this machine's data directory, seen as the environments see a Sandbox."""

    settings: Settings
    names: tuple[str, ...] = ("portal", *APP_NAMES)

    def url(self, name: str) -> str:
        """An app's base URL."""
        return self.settings.public_urls.get(name) or f"http://{self.settings.host}:{self.settings.port(name)}"

    def check(self) -> "RunningDeployment":
        """Raise unless every app answers its health check."""
        for app in APP_NAMES:
            try:
                requests.get(f"{self.url(app)}/_control/health", timeout=5).raise_for_status()
            except requests.RequestException:
                raise MockAppsError(f"{app} does not answer at {self.url(app)}: start `mockapps serve` "
                                    "(same --data and --base-port) first") from None
        return self

    def stop(self) -> None:
        """Nothing to stop: the deployment is not this process's."""
