"""App-relative URLs ("mail:/search?q=x"): trajectories name the app, not the host and port it ran on."""

from __future__ import annotations

from urllib.parse import urlsplit

from mock_apps.core.errors import MockAppsError


class AppUrls:
    """Converts between absolute URLs and app-relative ones for one deployment's base URLs."""

    def __init__(self, app_urls: dict[str, str]):
        self.bases = {app: url.rstrip("/") for app, url in app_urls.items()}
        self._origins = {urlsplit(url)._replace(path="", query="", fragment="").geturl(): app
                         for app, url in self.bases.items()}

    def app_of(self, url: str) -> str | None:
        """The app serving an absolute URL, or None (about:blank, other sites)."""
        parts = urlsplit(url)
        return self._origins.get(parts._replace(path="", query="", fragment="").geturl())

    def relative(self, url: str) -> str:
        """'http://127.0.0.1:8001/search?q=x' -> 'mail:/search?q=x' (other URLs unchanged)."""
        app = self.app_of(url)
        if app is None:
            return url
        parts = urlsplit(url)
        return f"{app}:{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")

    def absolute(self, relative: str) -> str:
        """'mail:/search?q=x' -> the URL on this deployment."""
        app, sep, rest = relative.partition(":")
        if sep and app in self.bases and rest.startswith("/"):
            return self.bases[app] + rest
        if relative.startswith(("http://", "https://", "about:")):
            return relative
        raise MockAppsError(f"cannot open {relative!r}: expected APP:/path with APP one of {', '.join(self.bases)}")
