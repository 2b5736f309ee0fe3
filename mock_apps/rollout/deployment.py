"""The apps a rollout server's environments use: worker processes of its own (the default), a deployment already
running (`mockapps serve`), or its own in-process sandbox (`core.server.Sandbox`, for tests).

The apps must not run in the rollout server's process when many rollouts run at once: every rollout, every app
request and every environment would share one interpreter lock (8 rollouts at once measured 0.74x the
throughput of 1 that way, 1.6x with the apps in processes of their own; docs/AGENTS.md, "Speed").
"""

from __future__ import annotations

import ctypes
import functools
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Iterator

import requests

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES, PORT_OFFSETS, Settings

START_TIMEOUT_S = 120.0  # gunicorn's workers import and build every app: seconds on a loaded machine


@dataclass
class RunningDeployment:
    """A deployment served elsewhere on this machine's data directory, seen as the environments see a Sandbox."""

    settings: Settings
    names: tuple[str, ...] = ("portal", *APP_NAMES)

    def url(self, name: str) -> str:
        """An app's base URL."""
        return self.settings.public_urls.get(name) or f"http://{self.settings.host}:{self.settings.port(name)}"

    def healthy(self, app: str) -> None:
        """Raise requests' error unless the app answers its health check (with the control token, if any)."""
        token = self.settings.control_token
        requests.get(f"{self.url(app)}/_control/health", timeout=5,
                     headers={"Authorization": f"Bearer {token}"} if token else {}).raise_for_status()

    def check(self) -> "RunningDeployment":
        """Raise unless every app answers its health check."""
        for app in APP_NAMES:
            try:
                self.healthy(app)
            except requests.RequestException:
                raise MockAppsError(f"{app} does not answer at {self.url(app)}: start `mockapps serve` "
                                    "(same --data and --base-port) first") from None
        return self

    def stop(self) -> None:
        """Nothing to stop: the deployment is not this process's."""


@dataclass
class AppProcesses(RunningDeployment):
    """The apps under gunicorn as `mockapps serve --production` runs them, on free loopback ports, owned by this
    process: started with it, stopped with it, and stopped by the kernel if it is killed (no orphans).

    The ports are bound here and handed to gunicorn as open sockets (`--bind fd://N`), so no other program can
    take one between the choice and the bind. The portal is not served (agents may not use it); its port is held
    unserved, so the apps' links to it lead nowhere rather than to another program. The apps' control API needs
    a token of this process's own (in `settings.control_token`): a browser or another local program that finds
    the ports cannot reset, read or delete worlds.
    """

    names: tuple[str, ...] = APP_NAMES
    workers: int = 1
    _procs: list = field(default_factory=list, repr=False)
    _held: list = field(default_factory=list, repr=False)

    def start(self) -> "AppProcesses":
        """Start one gunicorn master per app and wait until every app answers; raise if one cannot start."""
        from mock_apps.core.server import gunicorn_command, production_env

        sockets = _bind_range(self.settings.host, 1 + max(PORT_OFFSETS.values()))
        self.settings = replace(self.settings, base_port=sockets[0].getsockname()[1], ports={}, public_urls={},
                                control_token=secrets.token_urlsafe(24))
        self._held = [sockets[PORT_OFFSETS["portal"]]]
        env = {**production_env(self.settings), "MOCKAPPS_CONTROL_TOKEN": self.settings.control_token}
        try:
            for name in APP_NAMES:
                fd = sockets[PORT_OFFSETS[name]].fileno()
                # no keep-alive: gunicorn closes an idle connection after its keep-alive time, and a client
                # sending on it at that moment gets a connection reset (seen with 8 rollouts at once)
                command = gunicorn_command(name, f"fd://{fd}", self.workers, "--log-level", "warning",
                                           "--keep-alive", "0", *_quiet())
                self._procs.append(subprocess.Popen(command, env=env, pass_fds=(fd,), stdout=subprocess.DEVNULL,
                                                    preexec_fn=functools.partial(_die_with_parent, os.getpid())))
        except BaseException:
            self.stop()
            raise
        finally:
            for name in APP_NAMES:  # the masters hold their own copies
                sockets[PORT_OFFSETS[name]].close()
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        for name, proc in zip(APP_NAMES, self._procs):
            while True:
                if proc.poll() is not None:
                    raise MockAppsError(f"{name} did not start: gunicorn exited with {proc.returncode} (its "
                                        "messages are above)", code="app_did_not_start")
                try:
                    self.healthy(name)
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline:
                        raise MockAppsError(f"{name} did not answer at {self.url(name)} within "
                                            f"{START_TIMEOUT_S:g} s", code="app_did_not_start") from None
                    time.sleep(0.1)

    def pids(self) -> list[int]:
        """The gunicorn masters' process ids."""
        return [proc.pid for proc in self._procs]

    def stop(self) -> None:
        """Stop every master (each stops its workers) and wait for them; kill what does not stop in 30 s."""
        for proc in self._procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self._procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._procs.clear()
        for sock in self._held:
            sock.close()
        self._held.clear()


def _bind_range(host: str, count: int) -> list[socket.socket]:
    """`count` listening sockets on consecutive free ports (the apps' ports follow the base port)."""
    for _ in range(100):
        with socket.socket() as probe:
            probe.bind((host, 0))
            base = probe.getsockname()[1]
        if base + count > 65535:
            continue
        bound = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                bound.append(sock)
                sock.bind((host, port))
                sock.listen(128)
                sock.set_inheritable(True)
            return bound
        except OSError:
            for sock in bound:
                sock.close()
    raise MockAppsError(f"no {count} consecutive free ports on {host}", code="no_free_ports")


@contextmanager
def served_apps(settings: Settings, serve: str = "processes", workers: int = 2) -> Iterator:
    """The apps served for the length of the block: under gunicorn as deployed ("processes": `AppProcesses`, with a
    control token of its own) or in this process's threads ("threads": a `Sandbox`); either has url() and settings."""
    if serve == "threads":
        from mock_apps.core.server import Sandbox

        with Sandbox(settings, names=APP_NAMES, ephemeral=True) as sandbox:
            yield sandbox
        return
    apps = AppProcesses(settings, workers=workers).start()
    try:
        yield apps
    finally:
        apps.stop()


def _die_with_parent(parent: int) -> None:
    """In the child before gunicorn starts: the kernel sends it SIGTERM when the thread that started it ends,
    even by SIGKILL (gunicorn's workers leave when their master does). Linux only; elsewhere a killed server
    leaves them running."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the request took hold: nobody would stop us
            os._exit(1)


def _quiet() -> list[str]:
    """gunicorn options for masters that are one of several: no control socket where gunicorn has one (its
    default path is shared by every master of a user, and all but the first would log an error for it)."""
    from gunicorn.config import KNOWN_SETTINGS

    return ["--no-control-socket"] if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS) else []
