"""`mockapps env-server`: serve rollouts (OpenEnv's reset/step/state) over HTTP and WebSocket."""

from __future__ import annotations

import argparse
import signal
import sys
from dataclasses import replace

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import Settings


def register(sub) -> None:
    """Add `env-server` to the command line."""
    p = sub.add_parser("env-server", help="serve rollouts (reset/step/state, OpenEnv-style) over HTTP",
                       description="Serve episodes of the tasks to remote trainers in OpenEnv's shape: POST "
                       "/reset {task, env: tool|browser} -> {observation, reward, done, metadata.episode_id}, "
                       "POST /step {episode_id, action}, GET /state?episode_id=, POST /close, and the /ws "
                       "WebSocket session. Each rollout runs in its own world. See docs/AGENTS.md.")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8020, help="port (default 8020)")
    p.add_argument("--max-rollouts", type=int, default=16, help="live tool-env rollouts at once (default 16)")
    p.add_argument("--max-browsers", type=int, default=4, help="live browser-env rollouts at once (default 4)")
    p.add_argument("--idle-timeout", type=float, default=300.0, metavar="SECONDS",
                   help="a rollout without a request for this long is ended and its world deleted (default 300)")
    p.add_argument("--max-steps", type=int, default=50, help="steps before an episode is cut off (default 50)")
    p.add_argument("--app-workers", type=int, default=1, metavar="N",
                   help="gunicorn worker processes per app (default 1)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--in-process", action="store_true", help="serve the apps from threads of this process "
                   "instead of worker processes (starts faster; many rollouts at once are slower)")
    where.add_argument("--external", action="store_true", help="use the deployment already serving at "
                   "--base-port (same --data) instead of starting the apps")
    p.add_argument("--base-port", type=int, metavar="PORT", help="with --external: the deployment's portal port")
    p.set_defaults(func=cmd_env_server)


def cmd_env_server(args: argparse.Namespace) -> int:
    """Run the rollout server until interrupted."""
    import uvicorn

    from mock_apps.core.server import PortInUse, check_port_free
    from mock_apps.rollout.rollouts import Rollouts
    from mock_apps.rollout.server import create_app

    settings = Settings()
    if getattr(args, "data", None):
        from pathlib import Path

        settings = replace(settings, data_dir=Path(args.data).resolve())
    if args.app_workers < 1:
        raise MockAppsError("--app-workers must be at least 1")
    try:
        check_port_free(args.host, args.port)  # before the apps take seconds to start
    except PortInUse:
        raise PortInUse(f"port {args.port} on {args.host} is already in use; pass --port to use another") from None
    # SIGTERM (Docker, CI, a supervisor) stops the server as Ctrl-C does: uvicorn shuts down gracefully (every
    # live rollout's world deleted), then raises the signal again, here an interrupt, so the apps are stopped too
    signal.signal(signal.SIGTERM, _interrupt)
    if args.external:
        from mock_apps.rollout.deployment import RunningDeployment

        if args.base_port is not None:
            settings = replace(settings, base_port=args.base_port)
        apps = RunningDeployment(settings).check()
    else:
        # the apps on free loopback ports: only this server's environments talk to them
        settings = replace(settings, host="127.0.0.1", control_token=None)
        if args.in_process:
            from mock_apps.core.server import Sandbox

            apps = Sandbox(settings, ephemeral=True).start()
        else:
            from mock_apps.rollout.deployment import AppProcesses

            print("starting the apps in worker processes ...", file=sys.stderr, flush=True)
            apps = AppProcesses(settings, workers=args.app_workers).start()
    rollouts = Rollouts(apps, max_rollouts=args.max_rollouts, max_browsers=args.max_browsers,
                        idle_timeout=args.idle_timeout, max_steps=args.max_steps)
    print(f"rollouts on http://{args.host}:{args.port} (POST /reset, /step, /close; GET /state; /ws)",
          file=sys.stderr, flush=True)
    try:
        uvicorn.run(create_app(rollouts), host=args.host, port=args.port, log_level="warning")
    except KeyboardInterrupt:
        pass
    finally:
        apps.stop()
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
