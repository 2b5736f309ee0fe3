"""Books' fixtures on the shared sandbox (tests/conftest.py): the test's world as Books sees it, and
python-quickbooks' client pointed at it."""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Iterator

import pytest

from mock_apps.core.world import WorldRegistry

REALM = "9341452298761234"  # the scenario company's realm id, as the README states it


@dataclass
class BooksWorld:
    """Books' side of the test's world: path-prefixed URLs (no cookie needed), its change log, a session."""

    world: object  # tests/conftest.py's SandboxWorld

    @property
    def id(self) -> str:
        """The world id."""
        return self.world.id

    @property
    def origin(self) -> str:
        """The Books server's origin, to which redirect Locations (which keep /w/<world>) are relative."""
        return self.world.url("books")

    @property
    def url(self) -> str:
        """Base URL of the app in this world."""
        return self.world.api_url("books")

    @property
    def api_base(self) -> str:
        """What python-quickbooks' api_url becomes (…/v3)."""
        return f"{self.url}/v3"

    @property
    def _registry(self) -> WorldRegistry:
        return WorldRegistry.for_settings(self.world.sandbox.settings)

    def changes(self) -> list[dict]:
        """Books' entries in the world's change log, oldest first (read in-process: fuzz tests call it often)."""
        return self._registry.changes(self.world.id, app="books")

    def session(self):
        """A WorldSession on this world's books database (for direct service calls and assertions)."""
        return self._registry.session(self.world.id, "books")


@pytest.fixture
def books_world(world) -> BooksWorld:
    """The test's fresh world, seen from Books."""
    return BooksWorld(world)


@pytest.fixture
def fresh_books_worlds(world):
    """A context manager giving a further fresh world each time (hypothesis draws many examples per test);
    the world is deleted afterwards."""
    registry = WorldRegistry.for_settings(world.sandbox.settings)
    serial = itertools.count(1)

    @contextmanager
    def fresh() -> Iterator[BooksWorld]:
        world_id = f"{world.id}-{next(serial)}"
        registry.reset(world_id)  # a file copy of the templates: cheaper than resetting one world in place
        try:
            yield BooksWorld(replace(world, id=world_id))
        finally:
            registry.delete(world_id)

    return fresh


# intuitlib's AuthClient fetches Intuit's OpenID discovery document when constructed; in a closed
# network that remote edge is replaced by its well-known content (the token endpoints are never called).
_DISCOVERY = {"authorization_endpoint": "https://appcenter.intuit.com/connect/oauth2",
              "token_endpoint": "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
              "revocation_endpoint": "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
              "issuer": "https://oauth.platform.intuit.com/op/v1",
              "jwks_uri": "https://oauth.platform.intuit.com/op/v1/jwks",
              "userinfo_endpoint": "https://accounts.platform.intuit.com/v1/openid_connect/userinfo"}


@pytest.fixture
def qb(books_world: BooksWorld, monkeypatch):
    """python-quickbooks' client pointed at the mock (any token)."""
    import intuitlib.client
    from intuitlib.client import AuthClient
    from quickbooks import QuickBooks

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # oauthlib's switch for plain-http test servers
    monkeypatch.setattr(intuitlib.client, "get_discovery_doc", lambda environment, session=None: _DISCOVERY)

    auth = AuthClient(client_id="mock-client", client_secret="mock-secret", redirect_uri="http://localhost/cb",
                      environment="production", access_token="any-token", refresh_token="any-refresh")
    client = QuickBooks(auth_client=auth, refresh_token="any-refresh", company_id=REALM, minorversion=75)
    client.api_url_v3 = books_world.api_base  # the documented class attribute, overridden per client
    return client
