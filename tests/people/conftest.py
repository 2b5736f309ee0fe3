"""People's fixtures on the shared sandbox (tests/conftest.py): the test's world as People sees it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests

TENANT = "meridian"


@dataclass
class PeopleWorld:
    """People's side of a world: the UI base, the REST API as any worker, state and change log."""

    world: object  # tests/conftest.py's SandboxWorld

    @property
    def url(self) -> str:
        """Base URL of the app in this world (path-prefixed, so no cookie is needed)."""
        return self.world.api_url("people")

    def api(self, service: str, version: str = "v1") -> str:
        """The base of one REST service under the tenant."""
        return f"{self.url}/ccx/api/{service}/{version}/{TENANT}"

    def call(self, method: str, service: str, path: str, as_: str = "dana.whitfield", version: str = "v1",
             **kwargs) -> requests.Response:
        """One API call as a worker (bearer token wd-<key>)."""
        headers = {"Authorization": f"Bearer wd-{as_}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.api(service, version)}/{path}", headers=headers, timeout=30, **kwargs)

    def changes(self, after: int = 0) -> list[dict]:
        """People's entries in the world's change log."""
        return self.world.changes(after=after, app="people")

    def state(self) -> dict:
        """People's normalized tables."""
        return self.world.state("people")["tables"]


@pytest.fixture
def people_world(world) -> PeopleWorld:
    """The test's fresh world, seen from People."""
    return PeopleWorld(world)
