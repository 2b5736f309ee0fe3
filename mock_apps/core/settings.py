"""Where things live and which ports they use: one place, read from the environment and the CLI."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from mock_apps import APPS as APP_NAMES

PORT_OFFSETS = {"portal": 0, **{name: offset for offset, name in enumerate(APP_NAMES, start=1)}}
DEFAULT_BASE_PORT = 8000


@dataclass(frozen=True)
class Settings:
    """Run-time settings shared by every app of one deployment."""

    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("MOCKAPPS_DATA", ".mockapps")).resolve())
    host: str = field(default_factory=lambda: os.environ.get("MOCKAPPS_HOST", "127.0.0.1"))
    base_port: int = field(default_factory=lambda: int(os.environ.get("MOCKAPPS_BASE_PORT", DEFAULT_BASE_PORT)))
    control_token: str | None = field(default_factory=lambda: os.environ.get("MOCKAPPS_CONTROL_TOKEN") or None)
    # explicit public base URLs per app (e.g. behind a proxy); default: same host, app's port
    public_urls: dict[str, str] = field(default_factory=dict)
    # the port each app actually listens on (tests bind ephemeral ports)
    ports: dict[str, int] = field(default_factory=dict)
    # where the portal looks for trajectories (recordings and agent runs): $MOCKAPPS_TRAJECTORIES
    # (os.pathsep-separated), else ./recordings, plus the tasks' golden trajectories
    trajectory_dirs: tuple[Path, ...] = field(default_factory=lambda: _trajectory_dirs())

    def port(self, app: str) -> int:
        """The port an app listens on."""
        return self.ports.get(app, self.base_port + PORT_OFFSETS[app])

    def with_ports(self, ports: dict[str, int]) -> "Settings":
        """A copy with explicit per-app ports."""
        return replace(self, ports=dict(ports))

    @property
    def binds_beyond_loopback(self) -> bool:
        """True when the server listens on an address other machines can reach."""
        return not is_loopback(self.host)

    @property
    def templates_dir(self) -> Path:
        """Where scenario templates are built and cached."""
        return self.data_dir / "templates"

    @property
    def worlds_dir(self) -> Path:
        """Where each world's databases live."""
        return self.data_dir / "worlds"


def _trajectory_dirs() -> tuple[Path, ...]:
    configured = os.environ.get("MOCKAPPS_TRAJECTORIES")
    folders = [Path(p) for p in configured.split(os.pathsep) if p] if configured else [Path("recordings")]
    golden = Path(__file__).resolve().parent.parent / "tasks" / "golden"
    return tuple(dict.fromkeys([*(f.resolve() for f in folders), golden]))


def is_loopback(host: str) -> bool:
    """Whether a bind address is loopback-only."""
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
