"""Fixtures for Books' tests: one real server per session, a fresh world per test."""

from __future__ import annotations

import pytest

from .server import BooksServer, BooksWorld, start


@pytest.fixture(scope="session")
def books_server(tmp_path_factory) -> BooksServer:
    server, stop = start(tmp_path_factory.mktemp("books-data"))
    yield server
    stop()


@pytest.fixture
def books_world(books_server: BooksServer) -> BooksWorld:
    return books_server.new_world()


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
    client = QuickBooks(auth_client=auth, refresh_token="any-refresh", company_id="9341452298761234",
                        minorversion=75)
    client.api_url_v3 = books_world.api_base  # the documented class attribute, overridden per client
    return client


_CLOSED_NETWORK_FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's browser on the project's Chromium (MOCKAPPS_CHROMIUM, else the system one) with the
    closed-network flags, unless a parent conftest already chose an executable."""
    import os

    args = dict(browser_type_launch_args)
    args.setdefault("executable_path", os.environ.get("MOCKAPPS_CHROMIUM", "/usr/bin/chromium"))
    args["args"] = [*args.get("args", []), *(f for f in _CLOSED_NETWORK_FLAGS if f not in args.get("args", []))]
    return args


@pytest.fixture
def books_page(browser):
    """A page in a fresh context of pytest-playwright's shared browser."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
