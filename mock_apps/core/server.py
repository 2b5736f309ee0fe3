"""Serving: the portal and the apps on their ports, in threads of one process (tests, `make run`)
or under gunicorn (deployments)."""

from __future__ import annotations

import errno
import gc
import logging
import os
import signal
import socket
import subprocess
import sys
import threading

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES, Settings

SERVED = ("portal", *APP_NAMES)
POLL_SECONDS = 0.1


class PortInUse(MockAppsError):
    """A port the sandbox needs is taken by another program."""

    status = 409
    code = "port_in_use"


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request (tests and benchmarks make thousands)."""

    def log_request(self, *args, **kwargs) -> None:
        return None


def create_app(name: str, settings: Settings):
    """The Flask app of one served name (the portal or an app) on the given settings."""
    if name == "portal":
        from mock_apps.portal import create_app as create_portal

        return create_portal({"settings": settings})
    from mock_apps.core.registry import app_spec
    from mock_apps.core.app import create_mock_app

    return create_mock_app(app_spec(name), {"settings": settings})


def _bind(host: str, port: int) -> BaseWSGIServer:
    """A threaded werkzeug server bound now (its app is set once every port is known)."""
    # Bind our own socket first: werkzeug prints a paragraph and exits on a taken port.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortInUse(f"port {port} on {host} is already in use; stop what uses it or pass "
                            "--base-port to move all five servers") from None
        raise MockAppsError(f"cannot listen on {host}:{port}: {error.strerror}", code="cannot_bind") from None
    sock.listen(128)
    try:
        return make_server(host, sock.getsockname()[1], _placeholder, threaded=True,
                           request_handler=_QuietHandler, fd=sock.fileno())
    finally:
        sock.close()  # the server holds its own duplicate of the descriptor


def _placeholder(environ, start_response):
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


class Sandbox:
    """The portal and the apps of one data directory, each on its own port, served from threads."""

    def __init__(self, settings: Settings | None = None, names: tuple[str, ...] = SERVED, ephemeral: bool = False):
        self.settings = settings or Settings()
        self.names = tuple(names)
        self.ephemeral = ephemeral  # bind free ports chosen by the OS (tests, benchmarks)
        self._servers: dict[str, BaseWSGIServer] = {}
        self._threads: list[threading.Thread] = []

    def start(self) -> "Sandbox":
        """Bind every port (all or nothing), then build the apps and serve them."""
        try:
            for name in self.names:
                port = 0 if self.ephemeral else self.settings.port(name)
                self._servers[name] = _bind(self.settings.host, port)
        except Exception:
            self.stop()
            raise
        ports = {name: server.server_address[1] for name, server in self._servers.items()}
        if self.ephemeral:
            # apps not served here link to the port the settings name (another sandbox's), else to an unused one
            ports.update({name: self.settings.ports.get(name) or _free_port() for name in SERVED if name not in ports})
        self.settings = self.settings.with_ports({**self.settings.ports, **ports})
        for name, server in self._servers.items():
            server.app = create_app(name, self.settings)
            # a server notices a shutdown request within its poll interval: 0.1 s, not the default 0.5 s
            thread = threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,), name=f"mockapps-{name}",
                                      daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def url(self, name: str) -> str:
        """The base URL of a served app (or the portal)."""
        if name not in self._servers:
            raise KeyError(f"{name!r} is not served here; served: {', '.join(self._servers)}")
        return f"http://{_url_host(self.settings.host)}:{self._servers[name].server_address[1]}"

    def serve_forever(self) -> None:
        """Block until interrupted."""
        settle_heap()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop every server (all at once: each takes up to its poll interval to notice)."""
        if any(t.is_alive() for t in self._threads):
            stoppers = [threading.Thread(target=server.shutdown) for server in self._servers.values()]
            for stopper in stoppers:
                stopper.start()
            for stopper in stoppers:
                stopper.join()
        for server in self._servers.values():
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def settle_heap() -> None:
    """Take everything built at start-up out of the garbage collector's full passes, for a serving process.

    A long page (a general ledger of thousands of rows) leaves enough short-lived objects behind to set off
    a full collection every few requests, and a full pass over the ~160,000 start-up objects (modules,
    compiled templates, mappers) cost 80-120 ms, a p95 four times the p50. Frozen, they are never scanned.
    Only for processes that serve until they exit: frozen objects that become cyclic garbage are not freed.
    """
    gc.freeze()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _url_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host


def wsgi(name: str):
    """The WSGI app gunicorn serves for one name (settings from the environment)."""
    app = create_app(name, Settings())
    settle_heap()
    return app


def check_port_free(host: str, port: int) -> None:
    """Raise PortInUse when nothing can bind host:port."""
    _bind(host, port).server_close()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def production_env(settings: Settings) -> dict[str, str]:
    """The environment a gunicorn master of these settings runs in (its apps read their settings from it)."""
    return {**os.environ, "MOCKAPPS_DATA": str(settings.data_dir), "MOCKAPPS_HOST": settings.host,
            "MOCKAPPS_BASE_PORT": str(settings.base_port)}


def gunicorn_command(name: str, bind: str, workers: int, *options: str) -> list[str]:
    """The command serving one name under gunicorn: `workers` processes of 8 threads on `bind` (host:port or
    fd://N), with gunicorn's further options."""
    return [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "8", "--bind", bind,
            *options, f"mock_apps.core.server:wsgi('{name}')"]


def serve_production(settings: Settings, names: tuple[str, ...], workers: int) -> int:
    """Run each named app under gunicorn (one master per app) until interrupted; return an exit code."""
    for name in names:
        check_port_free(settings.host, settings.port(name))
    env = production_env(settings)
    # Docker and CI stop us with SIGTERM: pass it on so no gunicorn master is orphaned.
    signal.signal(signal.SIGTERM, _interrupt)
    procs = [subprocess.Popen(gunicorn_command(name, f"{settings.host}:{settings.port(name)}", workers,
                                               "--access-logfile", "-"), env=env) for name in names]
    try:
        return max(proc.wait() for proc in procs)
    except KeyboardInterrupt:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait()
        return 0


logging.getLogger("werkzeug").setLevel(logging.WARNING)
__all__ = ["Sandbox", "PortInUse", "create_app", "wsgi", "serve_production", "settle_heap", "gunicorn_command",
           "production_env"]
