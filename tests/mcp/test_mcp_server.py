"""`mockapps mcp` through the MCP SDK's own client: the tools are the tool environment's (one per OpenAPI
operation), they act on the session's world, resources show the apps' state, and bad input is an error result
carrying the real service's error body while the server goes on serving."""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from mock_apps.core.settings import APP_NAMES
from mock_apps.core.world import WorldRegistry
from mock_apps.evaluation.tools import Toolbox
from mock_apps.mcp.server import WorldTools, build_server, result_body, state_uri

OWNER_TOKEN = "xoxp-dana.whitfield"  # the scenario owner, whom Chat acts as


def _urls(sandbox) -> dict[str, str]:
    return {app: sandbox.url(app) for app in APP_NAMES}


@pytest.fixture
def mcp_server(sandbox, world):
    """The MCP server over the sandbox, its session's world the test's."""
    return build_server(WorldTools(_urls(sandbox)), world.id)


def run(scenario) -> object:
    """Run an async test body with a connected client, on a thread of its own: in the full suite a browser test
    may have left pytest-playwright's sync event loop running on this one, and anyio refuses a second."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, scenario).result()


def test_tools_are_the_tool_environments_one_per_operation(mcp_server, world):
    async def scenario():
        async with Client(mcp_server) as client:
            return (await client.list_tools()).tools

    tools = run(scenario)
    toolbox = Toolbox({app: world.api_url(app) for app in APP_NAMES}, token=OWNER_TOKEN)
    assert {t.name: t.input_schema for t in tools} == {t.name: t.parameters for t in toolbox.tools.values()}
    by_name = {t.name: t for t in tools}
    assert {name.split("_")[0] for name in by_name} == set(APP_NAMES)
    assert by_name["mail_users_messages_list"].annotations.read_only_hint is True
    assert by_name["chat_postMessage"].annotations.read_only_hint is False


def test_gmail_search_slack_post_and_quickbooks_bill_land_in_the_worlds_change_log(mcp_server, world):
    before = len(world.changes())  # a fresh world's log is empty

    async def scenario():
        async with Client(mcp_server) as client:
            found = await client.call_tool("mail_users_messages_list", {"q": "from:brightline has:attachment"})
            posted = await client.call_tool("chat_postMessage", {"body": {
                "channel": "general", "text": "Posted over MCP"}})
            vendors = await client.call_tool("books_queryGet", {
                "query": "select * from Vendor where DisplayName = 'Brightline Logistics'"})
            accounts = await client.call_tool("books_queryGet", {
                "query": "select * from Account where Name = 'Freight In'"})
            vendor = result_body(vendors)["QueryResponse"]["Vendor"][0]["Id"]
            account = result_body(accounts)["QueryResponse"]["Account"][0]["Id"]
            bill = await client.call_tool("books_writeBill", {"body": {
                "VendorRef": {"value": vendor}, "TxnDate": "2026-03-30", "DocNumber": "MCP-1",
                "Line": [{"Amount": 123.45, "DetailType": "AccountBasedExpenseLineDetail",
                          "AccountBasedExpenseLineDetail": {"AccountRef": {"value": account}}}]}})
            return found, posted, bill

    found, posted, bill = run(scenario)
    assert not found.is_error and result_body(found)["messages"]
    assert not posted.is_error and result_body(posted)["ok"] is True
    assert not bill.is_error and result_body(bill)["Bill"]["TotalAmt"] == 123.45
    assert json.loads(bill.content[0].text) == result_body(bill)  # the text content is the API's body
    ops = [(c["app"], c["op"]) for c in world.changes(after=before)]
    assert [app for app, _ in ops] == ["chat", "books"]
    assert ops[1][1] == "books.bill.create"
    assert "Posted over MCP" in json.dumps(world.state("chat")["tables"]["chat_message"])


def test_resources_are_each_apps_state_read_only(mcp_server, world):
    async def scenario():
        async with Client(mcp_server) as client:
            listed = (await client.list_resources()).resources
            read = await client.read_resource(state_uri("books"))
            with pytest.raises(Exception) as unknown:
                await client.read_resource("mockapps://state/nothing")
            return listed, read, unknown.value

    listed, read, unknown = run(scenario)
    assert [str(r.uri) for r in listed] == [state_uri(app) for app in APP_NAMES]
    assert json.loads(read.contents[0].text) == world.state("books")
    assert "unknown resource" in str(unknown)


def test_bad_input_is_an_error_result_with_the_services_body_and_the_server_goes_on(sandbox, world):
    server = build_server(WorldTools(_urls(sandbox)), world.id)

    async def scenario():
        async with Client(server) as client:
            results = {
                "unknown tool": await client.call_tool("chat_postMesage", {}),
                "unknown argument": await client.call_tool("mail_users_messages_list", {"query": "x"}),
                "unknown channel": await client.call_tool("chat_postMessage", {"body": {
                    "channel": "no-such-channel", "text": "hi"}}),
                "unknown message": await client.call_tool("mail_users_messages_get", {"id": "0000"}),
                "bad bill": await client.call_tool("books_writeBill", {"body": {
                    "VendorRef": {"value": "999999"}, "Line": []}}),
            }
            results["changes"] = world.changes()  # nothing was written by the bad calls
            await client.list_tools()  # the world's tools are built before it is deleted
            WorldRegistry.for_settings(sandbox.settings).delete(world.id)
            results["deleted world"] = await client.call_tool("mail_users_messages_list", {"q": "invoice"})
            results["afterwards"] = await client.call_tool("chat_auth_test", {})
            return results

    results = run(scenario)
    assert results.pop("changes") == []
    assert all(r.is_error for r in results.values())
    assert "did you mean 'chat_postMessage'" in result_body(results["unknown tool"])["error"]["message"]
    assert "query" in result_body(results["unknown argument"])["error"]["message"]
    slack = result_body(results["unknown channel"])  # Slack's error shape
    assert slack["ok"] is False and slack["error"] == "channel_not_found"
    gmail = result_body(results["unknown message"])["error"]  # Gmail's error shape
    assert gmail["code"] == 404 and gmail["status"] == "NOT_FOUND"
    assert "Fault" in result_body(results["bad bill"])  # QuickBooks' Fault body
    assert results["deleted world"].structured_content["status"] == 404
    assert "unknown world" in json.dumps(result_body(results["deleted world"]))
    assert result_body(results["afterwards"]) is not None  # still answering


def test_unknown_world_on_a_fresh_session_is_an_error_result(sandbox):
    server = build_server(WorldTools(_urls(sandbox)), "no-such-world")

    async def scenario():
        async with Client(server) as client:
            return await client.call_tool("mail_users_messages_list", {})

    result = run(scenario)
    assert result.is_error and result_body(result)["error"]["code"] == "unknown_world"


def test_stdio_server_started_by_the_command(sandbox, world):
    args = ["-m", "mock_apps.cli", "mcp", "--world", world.id, "--apps", "chat"]
    args += [f"--url={app}={url}" for app, url in _urls(sandbox).items()]
    params = StdioServerParameters(command=sys.executable, args=args, cwd=str(Path(__file__).parents[2]),
                                   env={**os.environ})

    async def scenario():
        async with Client(params) as client:
            tools = (await client.list_tools()).tools
            posted = await client.call_tool("chat_postMessage", {"body": {"channel": "general", "text": "stdio"}})
            return tools, posted

    tools, posted = run(scenario)
    assert tools and all(t.name.startswith("chat_") for t in tools)
    assert result_body(posted)["ok"] is True
    assert world.changes()[-1]["app"] == "chat"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@asynccontextmanager
async def _http_client(url: str, world_id: str):
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    async with httpx2.AsyncClient(headers={"X-Mock-World": world_id}, timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http)) as client:
            yield client


def test_streamable_http_picks_the_world_from_the_header(sandbox, world):
    import uvicorn

    other = f"{world.id}-other"
    registry = WorldRegistry.for_settings(sandbox.settings)
    registry.reset(other)
    server = build_server(WorldTools(_urls(sandbox), apps=["chat"]))  # no default: the header decides
    port = _free_port()
    http = uvicorn.Server(uvicorn.Config(server.streamable_http_app(), host="127.0.0.1", port=port,
                                         log_level="warning"))
    thread = threading.Thread(target=http.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not http.started and time.monotonic() < deadline:
            time.sleep(0.05)
        before_other = registry.changes(other)

        async def scenario():
            async with _http_client(f"http://127.0.0.1:{port}/mcp", world.id) as client:
                return await client.call_tool("chat_postMessage", {"body": {"channel": "general", "text": "http"}})

        posted = run(scenario)
        assert result_body(posted)["ok"] is True
        assert world.changes()[-1]["app"] == "chat"
        assert registry.changes(other) == before_other  # the other world is untouched
    finally:
        http.should_exit = True
        thread.join(10)
        registry.delete(other)
