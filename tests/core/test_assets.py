"""Static assets are linked under versioned URLs and served cacheable for a year, so browsers (an evaluation's
kept context, a trainer's tab) fetch a stylesheet or script once, yet a changed file gets a new URL."""

from __future__ import annotations

import re

import requests

from mock_apps.core import assets

ASSET = re.compile(r'(?:href|src)="([^"]*/static/[^"]*)"')


def test_every_app_links_its_assets_by_version_and_serves_them_for_a_year(sandbox, world):
    for app in ("mail", "chat", "sheets", "books", "portal"):
        page = requests.get(f"{sandbox.url(app)}/", cookies={"mockworld": world.id})
        links = ASSET.findall(page.text)
        assert links, app
        for link in links:
            assert re.search(r"\?v=[0-9a-f]{12}$", link), link
            response = requests.get(f"{sandbox.url(app)}{link}")
            assert response.status_code == 200
            cache = response.headers["Cache-Control"]
            assert "max-age=31536000" in cache and "immutable" in cache and "no-cache" not in cache


def test_an_unversioned_asset_is_revalidated_as_before(sandbox):
    response = requests.get(f"{sandbox.url('chat')}/_shell/static/shell.css")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"


def test_the_version_follows_the_content(tmp_path):
    asset = tmp_path / "site.css"
    asset.write_text("body { color: black }")
    before = assets.digest(asset)
    asset.write_text("body { color: navy; }")
    assert assets.digest(asset) != before and len(before) == 12
    assert assets.digest(tmp_path / "missing.css") is None
