"""`mockapps mcp`: serve the apps' API operations as MCP tools over stdio (default) or Streamable HTTP."""

from __future__ import annotations

import argparse
import sys

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES, Settings


def app_urls(pairs: list[str], settings: Settings) -> dict[str, str]:
    """Each app's base URL: the deployment's ports on its host, overridden by `APP=URL` pairs."""
    urls = {app: f"http://{settings.host}:{settings.port(app)}" for app in APP_NAMES}
    for pair in pairs:
        app, sep, url = pair.partition("=")
        if not sep or app not in APP_NAMES or not url.startswith(("http://", "https://")):
            raise MockAppsError(f"--url takes APP=URL with APP one of {', '.join(APP_NAMES)} "
                                f"(e.g. mail=http://127.0.0.1:8001), not {pair!r}")
        urls[app] = url.rstrip("/")
    return urls


def register(sub) -> None:
    """Add `mcp` to the command line."""
    p = sub.add_parser("mcp", help="serve the apps' API operations as MCP tools for a world",
                       description="An MCP server (the official Python SDK) whose tools are the apps' public API "
                       "operations, generated from their OpenAPI documents, acting on one world; resources "
                       "mockapps://state/<app> are each app's normalized state, read-only. The apps must be "
                       "running (`mockapps serve`).")
    p.add_argument("--world", help="the world the tools act on (over HTTP, a request's X-Mock-World header "
                   "chooses another)")
    p.add_argument("--http", action="store_true", help="serve Streamable HTTP at http://HOST:PORT/mcp "
                   "instead of stdio")
    p.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8010, help="HTTP port (default 8010)")
    p.add_argument("--apps", help=f"comma-separated apps whose tools to serve (default all: {','.join(APP_NAMES)})")
    p.add_argument("--url", action="append", default=[], metavar="APP=URL",
                   help="an app's base URL (default: the deployment's host and ports; see --base-port)")
    p.add_argument("--base-port", type=int, metavar="PORT", help="the deployment's portal port (apps follow)")
    p.add_argument("--token", help="bearer token the calls carry (default xoxp-<the scenario owner>: Chat acts "
                   "as the token's user)")
    p.set_defaults(func=cmd_mcp)


def cmd_mcp(args: argparse.Namespace) -> int:
    """Run the MCP server until stdin closes (stdio) or it is interrupted (HTTP)."""
    from dataclasses import replace

    import anyio

    from mock_apps.mcp.server import WorldTools, build_server

    settings = Settings()
    if args.base_port is not None:
        settings = replace(settings, base_port=args.base_port)
    if not args.http and not args.world:
        raise MockAppsError("over stdio a session has no headers: name the world with --world")
    apps = [a.strip() for a in args.apps.split(",") if a.strip()] if args.apps else None
    world_tools = WorldTools(app_urls(args.url, settings), apps=apps, control_token=settings.control_token,
                             token=args.token)
    server = build_server(world_tools, args.world)
    if args.http:
        import uvicorn

        app = server.streamable_http_app(host=args.host)
        print(f"MCP (Streamable HTTP) on http://{args.host}:{args.port}/mcp", file=sys.stderr, flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
        return 0
    from mcp.server.stdio import stdio_server

    async def run() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    anyio.run(run)
    return 0
