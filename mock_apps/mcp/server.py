"""The MCP server: each app's API operations as tools and each app's normalized state as a resource, for the
world a session names (the `X-Mock-World` header over HTTP, else the server's `--world`)."""

from __future__ import annotations

import json
import threading
from typing import Any

import anyio
import requests
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError
from mcp_types.jsonrpc import INVALID_PARAMS

from mock_apps.core.app import WORLD_HEADER
from mock_apps.core.control_client import ControlClient, ControlError
from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES
from mock_apps.core.world import check_world_id
from mock_apps.evaluation.tools import Toolbox, ToolError

STATE_SCHEME = "mockapps"  # resource URIs: mockapps://state/<app>


class UnknownWorld(MockAppsError):
    """A session names a world the deployment does not have."""

    status = 404
    code = "unknown_world"


def state_uri(app: str) -> str:
    """The resource URI of an app's normalized state."""
    return f"{STATE_SCHEME}://state/{app}"


class WorldTools:
    """Toolboxes per world over running apps: the tools (from the apps' OpenAPI documents) are built once per
    world, on first use, authenticated as the world's scenario owner unless a token is given."""

    def __init__(self, app_urls: dict[str, str], *, apps: list[str] | None = None, control_token: str | None = None,
                 token: str | None = None):
        unknown = [a for a in apps or () if a not in APP_NAMES]
        if unknown:
            raise ToolError(f"unknown app {unknown[0]!r}; apps are {', '.join(APP_NAMES)}")
        self.apps = list(apps or APP_NAMES)
        self.app_urls = {app: url.rstrip("/") for app, url in app_urls.items()}
        self.control_token = control_token
        self.token = token
        self._toolboxes: dict[str, Toolbox] = {}
        self._lock = threading.Lock()

    def control(self, world: str) -> ControlClient:
        """The control client of a world (its state and change log)."""
        return ControlClient(self.app_urls, world, token=self.control_token)

    def scenario(self, world: str) -> str:
        """The scenario a world was built from; UnknownWorld if there is no such world."""
        control = self.control(world)
        base = self.app_urls[self.apps[0]]
        try:
            response = control.http.get(f"{base}/_control/worlds", timeout=control.timeout)
        except requests.ConnectionError:
            raise ControlError(f"cannot reach {base}: is `mockapps serve` running there?") from None
        if response.status_code != 200:
            raise ControlError(f"GET {base}/_control/worlds answered {response.status_code}",
                               status=response.status_code)
        for info in response.json().get("worlds", []):
            if info["id"] == world:
                return info["scenario"]
        raise UnknownWorld(f"unknown world {world!r}; create it with `mockapps world create {world}` "
                           f"or POST /_control/worlds/{world}/reset")

    def toolbox(self, world: str) -> Toolbox:
        """The world's toolbox (built on first use)."""
        check_world_id(world)
        toolbox = self._toolboxes.get(world)
        if toolbox is not None:
            return toolbox
        with self._lock:
            toolbox = self._toolboxes.get(world)
            if toolbox is None:
                token = self.token
                if token is None:
                    from mock_apps.scenarios import get_scenario

                    token = f"xoxp-{get_scenario(self.scenario(world)).facts.owner.key}"
                toolbox = Toolbox({app: f"{self.app_urls[app]}/w/{world}" for app in self.apps}, token=token)
                self._toolboxes[world] = toolbox
        return toolbox

    def forget(self, world: str) -> None:
        """Drop a world's toolbox (after the world is deleted)."""
        with self._lock:
            self._toolboxes.pop(world, None)


def is_error(result: dict) -> bool:
    """Whether a tool result is a failure: an HTTP error, an unreachable app, or Slack's `ok: false` (which
    Slack answers with HTTP 200)."""
    body = result["body"]
    return result["status"] == 0 or result["status"] >= 400 or (isinstance(body, dict) and body.get("ok") is False)


def tool_result(result: dict) -> types.CallToolResult:
    """A tool's {"status", "body"} as an MCP result: the body as JSON text, and {"status", "body"} structured."""
    body = result["body"]
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return types.CallToolResult(content=[types.TextContent(type="text", text=text or "")],
                                structured_content={"status": result["status"], "body": body},
                                is_error=is_error(result))


def _error_result(code: str, message: str, status: int = 400) -> types.CallToolResult:
    return tool_result({"status": status, "body": {"error": {"code": code, "message": message}}})


def build_server(world_tools: WorldTools, default_world: str | None = None) -> Server:
    """The SDK's low-level Server over a deployment's worlds. Each request's world is its `X-Mock-World` header
    (Streamable HTTP), else `default_world`."""

    def world_of(ctx) -> str:
        headers = getattr(ctx.request, "headers", None)
        world = (headers.get(WORLD_HEADER) if headers is not None else None) or default_world
        if not world:
            raise UnknownWorld(f"no world chosen: send the {WORLD_HEADER} header or start the server with --world")
        return world

    async def list_tools(ctx, params) -> types.ListToolsResult:
        world = world_of(ctx)
        try:
            toolbox = await anyio.to_thread.run_sync(world_tools.toolbox, world)
        except MockAppsError as error:
            raise MCPError(INVALID_PARAMS, error.message) from None  # the SDK answers a JSON-RPC error; the server goes on
        return types.ListToolsResult(tools=[
            types.Tool(name=tool.name, description=tool.description, input_schema=tool.parameters,
                       annotations=types.ToolAnnotations(read_only_hint=tool.method == "GET",
                                                         destructive_hint=tool.method == "DELETE"))
            for tool in toolbox.tools.values()])

    async def call_tool(ctx, params: types.CallToolRequestParams) -> types.CallToolResult:
        try:
            world = world_of(ctx)
            toolbox = await anyio.to_thread.run_sync(world_tools.toolbox, world)
        except MockAppsError as error:  # no world chosen, an unknown world, an app that cannot be reached
            return _error_result(error.code, error.message, error.status)
        result = await anyio.to_thread.run_sync(toolbox.call, params.name, params.arguments)
        return tool_result(result)

    async def list_resources(ctx, params) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=[
            types.Resource(uri=state_uri(app), name=f"{app}-state", mime_type="application/json",
                           description=f"{app}: the world's normalized state (every table, rows by primary key), "
                                       "read-only")
            for app in world_tools.apps])

    async def read_resource(ctx, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        uri = str(params.uri)
        app = next((a for a in world_tools.apps if uri == state_uri(a)), None)
        if app is None:
            raise MCPError(INVALID_PARAMS, f"unknown resource {uri!r}; resources are "
                             f"{', '.join(state_uri(a) for a in world_tools.apps)}")
        try:
            state = await anyio.to_thread.run_sync(world_tools.control(world_of(ctx)).state, app)
        except MockAppsError as error:
            raise MCPError(INVALID_PARAMS, error.message) from None
        return types.ReadResourceResult(contents=[types.TextResourceContents(
            uri=uri, mime_type="application/json", text=json.dumps(state, ensure_ascii=False))])

    return Server("mockapps", version=_version(), instructions=(
        "Tools are the public APIs of the mock apps (Gmail, Slack, Google Sheets, QuickBooks Online wire formats) "
        "in one world; a failed call returns the service's own error body."),
        on_list_tools=list_tools, on_call_tool=call_tool, on_list_resources=list_resources,
        on_read_resource=read_resource)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mockapps")
    except PackageNotFoundError:
        return "0"


def result_body(result: Any) -> Any:
    """The API's body from an MCP CallToolResult (what a client reads back)."""
    structured = getattr(result, "structured_content", None)
    if isinstance(structured, dict) and "body" in structured:
        return structured["body"]
    text = result.content[0].text if result.content else ""
    try:
        return json.loads(text)
    except ValueError:
        return text
