"""Tools for tool-calling agents, generated from each app's OpenAPI document: one tool per public API
operation, executed as a real HTTP call against the app in one world (`<app url>/w/<world>/...`)."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from mock_apps.core.errors import MockAppsError

_HTTP_METHODS = ("get", "post", "put", "patch", "delete")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
# Enough for a PDF invoice to reach the agent whole; beyond it a binary answer is summarised.
MAX_BINARY_BYTES = 2_000_000


class ToolError(MockAppsError):
    """An OpenAPI document could not be read, or a tool definition is unusable."""

    code = "tool_error"


@dataclass(frozen=True)
class Tool:
    """One public API operation as a function a tool-calling agent can call."""

    name: str
    app: str
    method: str
    path: str
    description: str
    parameters: dict  # JSON Schema of the arguments: path and query parameters, plus "body"
    path_params: tuple[str, ...] = ()
    query_params: tuple[str, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict)
    body_type: str | None = None  # the request body's content type, None when the operation takes none

    def openai(self) -> dict:
        """The tool in OpenAI's function-tool format (chat-completions `tools`)."""
        return {"type": "function",
                "function": {"name": self.name, "description": self.description, "parameters": self.parameters}}


def tool_name(app: str, operation_id: str) -> str:
    """`mail` + `users.messages.list` -> `mail_users_messages_list` (no app prefix twice)."""
    cleaned = _NAME_UNSAFE.sub("_", operation_id)
    name = cleaned if cleaned.startswith(f"{app}_") else f"{app}_{cleaned}"
    return name[:64]  # OpenAI's limit on function names


def _inline(schema: Any, components: dict, seen: tuple[str, ...] = ()) -> Any:
    """The schema with every local $ref replaced by its target (a recursive ref becomes a plain object)."""
    if isinstance(schema, list):
        return [_inline(item, components, seen) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[-1]
        if name in seen or name not in components:
            return {"type": "object", "description": f"a {name} (see above)" if name in seen else name}
        return _inline(components[name], components, (*seen, name))
    return {key: _inline(value, components, seen) for key, value in schema.items()}


def _body(operation: dict, components: dict) -> tuple[str | None, dict | None]:
    """The request body's content type (JSON preferred) and the schema the agent fills for it."""
    content = (operation.get("requestBody") or {}).get("content") or {}
    if not content:
        return None, None
    for content_type in ("application/json", "multipart/form-data", "application/x-www-form-urlencoded"):
        if content_type in content:
            schema = _inline(content[content_type].get("schema") or {"type": "object"}, components)
            if content_type == "multipart/form-data":
                schema = {"type": "object", "description": (
                    "multipart parts by name: a string is a text part; a file part is "
                    '{"filename": ..., "content_type": ..., "data_base64": standard or URL-safe base64}'),
                    "additionalProperties": True, **{k: v for k, v in schema.items() if k == "properties"}}
            return content_type, schema
    content_type = next(iter(content))
    return content_type, {"type": "string", "description": f"the raw {content_type} body, base64-encoded"}


def _ease(method: str, operation: dict) -> int:
    """How easily an agent calls an operation: a JSON body first, then parameters only, then raw bodies
    (a body on GET last: proxies and clients drop it)."""
    content = (operation.get("requestBody") or {}).get("content") or {}
    if content and method in ("get", "delete"):
        return 3
    return 0 if "application/json" in content else 1 if not content else 2


def tools_from_document(app: str, document: dict) -> list[Tool]:
    """One tool per operation of an OpenAPI document. Methods of one path that are the same operation (same
    summary, e.g. Slack's GET and POST forms of a method) become one tool: the one easiest to call."""
    components = (document.get("components") or {}).get("schemas") or {}
    tools: dict[str, Tool] = {}
    for path, item in (document.get("paths") or {}).items():
        chosen: dict[str, tuple[str, dict]] = {}
        for method in sorted((m for m in item if m in _HTTP_METHODS), key=_HTTP_METHODS.index):
            operation = item[method]
            summary = operation.get("summary") or f"{method} {operation.get('operationId')}"
            if summary not in chosen or _ease(method, operation) < _ease(*chosen[summary]):
                chosen[summary] = (method, operation)
        shared = item.get("parameters") or []
        for method, operation in chosen.values():
            tool = _tool(app, method, path, operation, shared, components)
            if tool.name in tools:
                raise ToolError(f"{app}: two operations make the tool name {tool.name!r}")
            tools[tool.name] = tool
    return list(tools.values())


def _tool(app: str, method: str, path: str, operation: dict, shared: list, components: dict) -> Tool:
    operation_id = operation.get("operationId") or f"{method}_{path}"
    body_type, body_schema = _body(operation, components)
    properties: dict[str, dict] = {}
    required: list[str] = []
    defaults: dict[str, Any] = {}
    path_params, query_params = [], []
    body_fields = set((body_schema or {}).get("properties") or {})
    for param in [*shared, *(operation.get("parameters") or [])]:
        param = _inline(param, components)
        name, where = param.get("name"), param.get("in")
        if not name or where not in ("path", "query") or name in properties:
            continue
        if where == "query" and name in body_fields:
            continue  # the same argument is taken in the body (Slack accepts either); offer it once
        schema = dict(param.get("schema") or {"type": "string"})
        if param.get("description"):
            schema["description"] = param["description"]
        # A path parameter with a known value (Gmail's userId "me", the company's realmId) is filled in.
        known = schema.pop("default", None) if where == "path" else None
        known = known if known is not None else (schema.get("example") if where == "path" else None)
        if known is not None:
            defaults[name] = known
            schema["description"] = (schema.get("description", "") + f" (default {known!r})").strip()
        elif param.get("required"):
            required.append(name)
        properties[name] = schema
        (path_params if where == "path" else query_params).append(name)
    if body_schema is not None:
        properties["body"] = {**body_schema, "description": (body_schema.get("description") or
                                                             f"the request body ({body_type})")}
        if (operation.get("requestBody") or {}).get("required"):
            required.append("body")
    text = " ".join(t for t in (operation.get("summary"), operation.get("description")) if t)
    description = f"{app} API: {method.upper()} {path}. {text}".strip()
    parameters = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    return Tool(tool_name(app, operation_id), app, method.upper(), path, description[:1024], parameters,
                tuple(path_params), tuple(query_params), defaults, body_type)


def fetch_document(api_base: str, app: str, http: requests.Session | None = None) -> dict:
    """An app's OpenAPI document over HTTP (`api_base` is the app's URL with the world prefix)."""
    from mock_apps.core.registry import app_spec
    from mock_apps.core.settings import APP_NAMES

    if app not in APP_NAMES:
        raise ToolError(f"unknown app {app!r}; apps are {', '.join(APP_NAMES)}")
    url = f"{api_base.rstrip('/')}{app_spec(app).openapi_path}"
    try:
        response = (http or requests).get(url, timeout=30)
    except requests.ConnectionError:
        raise ToolError(f"cannot reach {url}: is the {app} app running there?") from None
    if response.status_code != 200:
        raise ToolError(f"{url} answered {response.status_code}; expected the {app} OpenAPI document")
    return response.json()


class Toolbox:
    """The tools of some apps bound to one world: validates an agent's arguments and makes the HTTP call."""

    def __init__(self, api_bases: dict[str, str], token: str, timeout: float = 60):
        self.api_bases = {app: url.rstrip("/") for app, url in api_bases.items()}
        self.http = requests.Session()
        # Chat reads the acting user from the token; the other apps accept any bearer token.
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self.tools: dict[str, Tool] = {}
        for app, base in self.api_bases.items():
            for tool in tools_from_document(app, fetch_document(base, app, self.http)):
                self.tools[tool.name] = tool

    def openai_tools(self) -> list[dict]:
        """Every tool in OpenAI's format."""
        return [tool.openai() for tool in self.tools.values()]

    def call(self, name: str, arguments: dict | str | None) -> dict:
        """Call a tool; the result is {"status", "body"} with the API's own error body on failure. An agent's
        mistake (unknown tool, bad arguments) is an error result too, never an exception."""
        tool = self.tools.get(name)
        if tool is None:
            import difflib

            close = difflib.get_close_matches(str(name), self.tools, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return _mistake("unknown_tool", f"there is no tool {name!r}{hint}")
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except ValueError as error:
                return _mistake("invalid_arguments", f"arguments are not valid JSON ({error.msg})")
        arguments = {} if arguments is None else arguments
        if not isinstance(arguments, dict):
            return _mistake("invalid_arguments", "arguments must be a JSON object")
        allowed = set(tool.parameters["properties"])
        unknown = sorted(set(arguments) - allowed)
        if unknown:
            return _mistake("invalid_arguments", f"{name} takes no argument {', '.join(map(repr, unknown))}; "
                                                 f"it takes {', '.join(sorted(allowed)) or 'none'}")
        missing = [p for p in tool.parameters["required"] if p not in arguments]
        if missing:
            return _mistake("invalid_arguments", f"{name} needs {', '.join(map(repr, missing))}")
        try:
            request = self._request(tool, {**tool.defaults, **arguments})
        except (TypeError, ValueError) as error:
            return _mistake("invalid_arguments", f"{name}: {error}")
        try:
            response = self.http.request(timeout=self.timeout, **request)
        except requests.RequestException as error:
            return {"status": 0, "body": {"error": {"code": "unreachable", "message": str(error)}}}
        return {"status": response.status_code, "body": _decode(response)}

    def _request(self, tool: Tool, arguments: dict) -> dict:
        """The requests.request arguments for a call."""
        path = tool.path
        for name in tool.path_params:
            path = path.replace("{" + name + "}", quote(str(arguments[name]), safe=""))
        params = [(name, _text(item)) for name in tool.query_params if arguments.get(name) is not None
                  for item in (arguments[name] if isinstance(arguments[name], list) else [arguments[name]])]
        request: dict[str, Any] = {"method": tool.method, "url": self.api_bases[tool.app] + path, "params": params}
        body = arguments.get("body")
        if body is None or tool.body_type is None:
            return request
        if tool.body_type == "application/json":
            request["json"] = body
        elif tool.body_type == "multipart/form-data":
            if not isinstance(body, dict):
                raise ValueError("body must be an object of multipart parts")
            request["files"] = {part: _part(part, value) for part, value in body.items()}
        elif tool.body_type == "application/x-www-form-urlencoded":
            if not isinstance(body, dict):
                raise ValueError("body must be an object of form fields")
            request["data"] = {key: _text(value) for key, value in body.items()}
        else:
            if not isinstance(body, str):
                raise ValueError(f"body must be the base64 of the raw {tool.body_type} bytes")
            request["data"] = _b64(body)
            request["headers"] = {"Content-Type": tool.body_type}
        return request


def _text(value: Any) -> str:
    """A query or form value as the APIs expect it (JSON for structures, lower-case booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _part(name: str, value: Any) -> tuple:
    """One multipart part: text, or a file given as base64."""
    if isinstance(value, dict) and "data_base64" in value:
        data = _b64(value["data_base64"])
        return (value.get("filename") or name, data, value.get("content_type") or "application/octet-stream")
    return (None, _text(value))


def _b64(text: Any) -> bytes:
    """Bytes from standard or URL-safe base64 (Gmail hands attachments out URL-safe)."""
    if not isinstance(text, str):
        raise ValueError("file data must be a base64 string")
    cleaned = text.strip().replace("-", "+").replace("_", "/")
    return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)


def _decode(response: requests.Response) -> Any:
    """The response body: JSON parsed, text as text, bytes as base64 (empty as None)."""
    content_type = response.headers.get("Content-Type", "")
    if not response.content:
        return None
    if "json" in content_type:
        try:
            return response.json()
        except ValueError:
            pass
    if content_type.startswith("text/") or "json" in content_type:
        return response.text
    if len(response.content) > MAX_BINARY_BYTES:
        return {"content_type": content_type, "size": len(response.content),
                "note": f"more than {MAX_BINARY_BYTES} bytes; not returned"}
    return {"content_type": content_type, "size": len(response.content),
            "data_base64": base64.b64encode(response.content).decode()}


def _mistake(code: str, message: str) -> dict:
    """The result of a call that never reached the API because the agent got it wrong."""
    return {"status": 400, "body": {"error": {"code": code, "message": message}}}
