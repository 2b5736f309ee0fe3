"""`mockapps`: serve the sandbox, manage worlds, provision the browser (and, when present, record and replay)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from dataclasses import replace

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES, DEFAULT_BASE_PORT, Settings

# Other packages add their own subcommands through a `register(subparsers)` function. Only the module of the
# command being run is imported (the task library, Gymnasium or datasets cost seconds a `serve` should not pay);
# the others are listed by name and help line.
PLUGINS = {  # command -> (module that registers it, help line)
    "record": ("recorder.cli", "record a session in a real browser as a trajectory"),
    "replay": ("recorder.cli", "replay a trajectory and prove it reproduces"),
    "trajectory": ("trajectories.cli", "validate, show or describe trajectories"),
    "tasks": ("mock_apps.tasks.cli", "list, show, check or document the tasks"),
    "eval": ("mock_apps.evaluation.cli", "run an agent on tasks (episodes in parallel) and score it"),
    "export": ("mock_apps.export.cli", "export trajectories to training formats"),
    "mcp": ("mock_apps.mcp.cli", "serve the apps' API operations as MCP tools for a world"),
    "env-server": ("mock_apps.rollout.cli", "serve rollouts (reset/step/state, OpenEnv-style) over HTTP"),
}


def _settings(args) -> Settings:
    settings = Settings()
    changes = {}
    if getattr(args, "data", None):
        from pathlib import Path

        changes["data_dir"] = Path(args.data).resolve()
    if getattr(args, "host", None):
        changes["host"] = args.host
    if getattr(args, "base_port", None) is not None:
        changes["base_port"] = args.base_port
    return replace(settings, **changes)


def cmd_serve(args) -> int:
    """Start the portal and the apps (or one app) until interrupted."""
    from mock_apps.core.server import SERVED, Sandbox, serve_production

    settings = _settings(args)
    names = (args.app,) if args.app else SERVED
    if args.production:
        return serve_production(settings, names, workers=args.workers)
    sandbox = Sandbox(settings, names).start()
    from mock_apps.core.world import DEFAULT_WORLD, WorldRegistry

    WorldRegistry.for_settings(sandbox.settings).require(DEFAULT_WORLD)  # build now, not on the first page
    for name in names:
        print(f"{name:>7}  {sandbox.url(name)}/", flush=True)
    print(f"data in {settings.data_dir}; Ctrl-C stops", flush=True)
    sandbox.serve_forever()
    return 0


def cmd_world(args) -> int:
    """World list/create/reset/delete."""
    from mock_apps.core.world import WorldRegistry, check_world_id

    registry = WorldRegistry.for_settings(_settings(args))
    if args.world_command == "list":
        worlds = registry.list()
        if args.json:
            print(json.dumps(worlds))
        for world in worlds if not args.json else ():
            print(f"{world['id']}\t{world['scenario']}")
        return 0
    world_id = check_world_id(args.world)
    if args.world_command != "delete":
        args.scenario = _scenario_arg(args)
    if args.world_command == "create":
        if registry.exists(world_id):
            raise MockAppsError(f"world {world_id!r} already exists; use `mockapps world reset {world_id}`")
        info = registry.reset(world_id, args.scenario)
        print(f"created world {info['id']} from scenario {info['scenario']}")
    elif args.world_command == "reset":
        registry.require_existing(world_id)
        info = registry.reset(world_id, args.scenario)
        print(f"reset world {info['id']} to scenario {info['scenario']}")
    elif args.world_command == "delete":
        registry.delete(world_id)
        print(f"deleted world {world_id}")
    return 0


def _scenario_arg(args) -> str | None:
    """The scenario --scenario names, or with --seed the generated company of the industry --scenario names."""
    if args.seed is None:
        return args.scenario
    if not args.scenario:
        raise MockAppsError("--seed goes with an industry: --scenario law --seed 7")
    from mock_apps.scenarios import scenario_name

    return scenario_name(args.scenario, args.seed)


def cmd_browser(args) -> int:
    """Install or locate Chromium."""
    from mock_apps.core import browser

    if args.browser_command == "install":
        return browser.install()
    print(browser.find_chromium())
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, with the plugin that registers `command` (if it is one) loaded."""
    parser = argparse.ArgumentParser(
        prog="mockapps", description="Mock Gmail, Slack, Sheets, QuickBooks and People (HR) apps for recording and "
        "replaying multistep agent trajectories.")
    parser.add_argument("--data", metavar="DIR", help="data directory (default: $MOCKAPPS_DATA or ./.mockapps)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = sub.add_parser("serve", help="start the portal and the apps",
                           description="Start the portal (base port) and mail, chat, sheets, books, people "
                           "(base port + 1..5) on the embedded SQLite store.")
    serve.add_argument("--app", choices=("portal", *APP_NAMES),
                       help="serve only this one (what docker-compose runs per service)")
    serve.add_argument("--host", help="bind address (default 127.0.0.1; beyond loopback the control API "
                       "needs MOCKAPPS_CONTROL_TOKEN)")
    serve.add_argument("--base-port", type=int, metavar="PORT",
                       help=f"portal port; apps use the next ports (one each) (default {DEFAULT_BASE_PORT})")
    serve.add_argument("--production", action="store_true", help="serve under gunicorn (deployments)")
    serve.add_argument("--workers", type=int, default=2, help="gunicorn worker processes per app (default 2)")
    serve.set_defaults(func=cmd_serve)

    world = sub.add_parser("world", help="list, create, reset or delete worlds")
    world_sub = world.add_subparsers(dest="world_command", metavar="ACTION", required=True)
    listing = world_sub.add_parser("list", help="every world and its scenario")
    listing.add_argument("--json", action="store_true", help="print JSON")
    for action, text in (("create", "create a world from a scenario"), ("reset", "reset a world to a scenario"),
                         ("delete", "delete a world")):
        p = world_sub.add_parser(action, help=text)
        p.add_argument("world", help="world id: lowercase letters, digits, '-' or '_'")
        if action != "delete":
            p.add_argument("--scenario", help="scenario name: meridian, or a generated company <industry>-<seed> "
                           "such as law-7 (default: the world's own, else meridian)")
            p.add_argument("--seed", help="with --scenario INDUSTRY: which generated company of it (--scenario law "
                           "--seed 7 is law-7)")
    world.set_defaults(func=cmd_world)

    browser = sub.add_parser("browser", help="install or locate Chromium")
    browser_sub = browser.add_subparsers(dest="browser_command", metavar="ACTION", required=True)
    browser_sub.add_parser("install", help="playwright install chromium, else Debian's chromium (as root)")
    browser_sub.add_parser("path", help="print the Chromium the sandbox uses")
    browser.set_defaults(func=cmd_browser)

    if command in PLUGINS:
        importlib.import_module(PLUGINS[command][0]).register(sub)
    for name, (_, text) in PLUGINS.items():
        if name not in sub.choices:
            sub.add_parser(name, help=text, add_help=False)  # listed for --help; never run (see main)
    return parser


def _command(argv: list[str]) -> str | None:
    """The subcommand named on a command line (the first word that is one)."""
    return next((word for word in argv if word in PLUGINS), None)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `mockapps` command."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(_command(argv))
    args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except MockAppsError as error:
        print(f"mockapps: error: {error.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`mockapps tasks list | head`): quiet, and no second error when Python flushes
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
