"""The OpenAI-compatible agent against a local stand-in chat-completions server whose replies the test scripts:
it completes episodes end to end in the API environment (tool calls) and in the browser environment (actions
parsed from the reply), and fails precisely when the endpoint does."""

from __future__ import annotations

import json
import threading

import pytest
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from mock_apps.evaluation.agents import AgentError, load_agent
from mock_apps.evaluation.agents.openai_chat import OpenAIChatAgent, extract_action
from mock_apps.evaluation.tool_env import ToolEnv
from mock_apps.tasks import get_task


class StandIn:
    """A chat-completions endpoint on an ephemeral port; `script(request_body, n)` makes the reply message
    (or a (status, body) pair) for the n-th request. Every request is kept for the test to inspect."""

    def __init__(self, script):
        self.script = script
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        app = Flask("stand-in")

        @app.post("/v1/chat/completions")
        def completions():
            body = request.get_json()
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            reply = self.script(body, len(self.requests) - 1)
            if isinstance(reply, tuple):
                return jsonify(reply[1]), reply[0]
            return jsonify({"id": f"c{len(self.requests)}", "object": "chat.completion", "model": body["model"],
                            "choices": [{"index": 0, "message": {"role": "assistant", **reply},
                                         "finish_reason": "tool_calls" if reply.get("tool_calls") else "stop"}],
                            "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}})

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/v1"

    def __enter__(self) -> "StandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()


def _tool_call(call_id: str, name: str, arguments: dict) -> dict:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


def run_episode(env, agent, task_id: str, limit: int = 30) -> tuple[float, dict, int]:
    """The harness's loop, minimal: reset both, act until the episode ends."""
    observation, _ = env.reset()
    agent.reset(get_task(task_id))
    for steps in range(1, limit + 1):
        observation, reward, terminated, truncated, info = env.step(agent.act(observation))
        if terminated or truncated:
            return reward, info, steps
    raise AssertionError(f"no end after {limit} steps")


def test_tool_agent_completes_an_episode_against_the_stand_in(sandbox, monkeypatch):
    def script(body, n):
        if n == 0:
            assert body["messages"][1] == {"role": "user", "content": get_task("announce-lunch-in-general").instruction.strip()}
            return {"content": None, "tool_calls": [
                _tool_call("call_1", "chat_conversations_list", {"body": {"limit": "5"}}),
                _tool_call("call_2", "chat_postMessage", {"body": {"channel": "general",
                                                                  "text": "Heads up: lunch moves to 1 pm."}})]}
        return {"content": "I posted it in #general."}

    with StandIn(script) as stand_in, ToolEnv("announce-lunch-in-general", sandbox) as env:
        monkeypatch.setenv("OPENAI_BASE_URL", stand_in.base_url)
        monkeypatch.setenv("MOCKAPPS_MODEL", "stand-in-1")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        agent = load_agent("openai")
        reward, info, steps = run_episode(env, agent, "announce-lunch-in-general")
    assert reward == 1.0 and info["passed"] and steps == 3  # two tool calls, then the answer to the user
    assert env.messages[-1] == {"role": "assistant", "message": "I posted it in #general."}
    first, second = stand_in.requests
    assert first["model"] == "stand-in-1" and stand_in.headers[0]["Authorization"] == "Bearer sk-test"
    offered = {t["function"]["name"] for t in first["tools"]}
    assert {"chat_postMessage", "send_msg_to_user"} <= offered and not any(n.startswith("books_") for n in offered)
    # both results went back, answering their calls in order, with the API's real answers
    results = [m for m in second["messages"] if m["role"] == "tool"]
    assert [m["tool_call_id"] for m in results] == ["call_1", "call_2"]
    assert json.loads(results[1]["content"])["body"]["ok"] is True
    assert "general" in results[0]["content"]
    assert agent.usage == {"prompt_tokens": 200, "completion_tokens": 20, "requests": 2}


def test_tool_agent_sees_its_mistakes(sandbox):
    def script(body, n):
        if n == 0:
            return {"content": "", "tool_calls": [_tool_call("c1", "chat_post_message", {"text": "x"})]}
        if n == 1:
            error = json.loads(body["messages"][-1]["content"])["body"]["error"]
            assert error["code"] == "unknown_tool" and "chat_postMessage" in error["message"]
            return {"content": "", "tool_calls": [{"id": "c2", "type": "function", "function": {
                "name": "chat_postMessage", "arguments": "{not json"}}]}
        if n == 2:
            assert "not valid JSON" in body["messages"][-1]["content"]
            return {"content": None, "tool_calls": [_tool_call("c3", "report_infeasible", {"reason": "I give up"})]}
        raise AssertionError("no request expected after report_infeasible")

    with StandIn(script) as stand_in, ToolEnv("announce-lunch-in-general", sandbox) as env:
        agent = OpenAIChatAgent(base_url=stand_in.base_url, model="m", api_key="")
        reward, info, steps = run_episode(env, agent, "announce-lunch-in-general")
    assert steps == 3 and not info["passed"] and reward < 1
    assert "Authorization" not in stand_in.headers[0]  # no key, no header (local servers need none)


def test_endpoint_failures_are_agent_errors():
    calls = []

    def script(body, n):
        calls.append(n)
        return (503, {"error": "overloaded"}) if n < 5 else (400, {"error": {"message": "bad model"}})

    with StandIn(script) as stand_in:
        agent = OpenAIChatAgent(base_url=stand_in.base_url, model="m", retries=1, backoff=0.01)
        observation = {"goal": "g", "url": "mail:/", "axtree_txt": "[a1] link 'Inbox'"}
        with pytest.raises(AgentError, match="failed 2 times; last: .* answered 503"):
            agent.act(observation)
        agent.retries = 5
        with pytest.raises(AgentError, match=r"refused the request \(400\).*bad model"):
            agent.act(observation)
    assert calls == list(range(6))  # 2 attempts, then 3 transient failures and the refusal
    with pytest.raises(AgentError, match="MOCKAPPS_MODEL"):
        OpenAIChatAgent(base_url="http://127.0.0.1:9", model="")
    with pytest.raises(AgentError, match="numbers"):
        OpenAIChatAgent(base_url="http://127.0.0.1:9", model="m", temperature="warm")


def test_browser_prompt_and_action_parsing():
    seen = []

    def script(body, n):
        seen.append(body["messages"])
        return {"content": "The Send button is [a7].\n```\nclick('a7')\n```"}

    with StandIn(script) as stand_in:
        agent = OpenAIChatAgent(base_url=stand_in.base_url, model="m", max_tree_chars=50)
        agent.reset(get_task("announce-lunch-in-general"))
        action = agent.act({"goal": "Post it", "open_pages_urls": ["chat:/", "mail:/"], "active_page_index": 0,
                            "axtree_txt": "[a7] button 'Send'\n" + "x" * 200, "last_action_error": "no element a9"})
    assert action == 'click("a7")'
    system, user = seen[0]
    assert "send_msg_to_user" in system["content"] and "fill(" in system["content"]  # the action language
    prompt = user["content"]
    assert "Post it" in prompt and "0: chat:/ (current)" in prompt and "no element a9" in prompt
    assert "[a7] button 'Send'" in prompt and "more characters" in prompt  # the tree, clipped


@pytest.mark.parametrize("reply, action", [
    ("```python\nfill(\"a3\", \"1 pm\")\n```", 'fill("a3", "1 pm")'),
    ("I will press Enter.\npress('a3', 'Enter')", 'press("a3", "Enter")'),
    ("First click(\"a1\")... no:\n```\nnoop()\n```", "noop()"),
    ("I am not sure what to do", "I am not sure what to do"),  # handed on: the env reports the error
])
def test_extract_action(reply, action):
    assert extract_action(reply) == action


@pytest.mark.slow
def test_browser_agent_completes_an_episode_against_the_stand_in(sandbox, browser):
    """The stand-in plays a model that reads the accessibility tree in the prompt and answers with prose and one
    action: open #general, type the message, press Enter, tell the user."""
    import re

    from mock_apps.evaluation.actions import ACTION_SPACE_DOC
    from mock_apps.evaluation.env import MockAppsEnv

    def element(prompt: str, role: str, name: str) -> str:
        found = re.findall(rf"\[(a\d+)\] {role} '{re.escape(name)}'", prompt)
        assert len(found) == 1, f"no single {role} {name!r} in the prompt"
        return found[0]

    def script(body, n):
        system, user = body["messages"]
        assert ACTION_SPACE_DOC in system["content"]
        prompt = user["content"]
        assert "quarter-end lunch moves to 1 pm" in prompt and "# Error of your last action" not in prompt
        if n == 0:
            action = f'click("{element(prompt, "link", "general")}")'
        elif n == 1:
            action = f'fill("{element(prompt, "textbox", "Message #general")}", "Heads up: the lunch moves to 1 pm.")'
        elif n == 2:
            assert "Heads up" in prompt.split("# Your previous actions")[1]  # it remembers what it did
            action = f'press("{element(prompt, "textbox", "Message #general")}", "Enter")'
        else:
            assert "Heads up: the lunch moves to 1 pm." in prompt  # the post is on the page now
            action = 'send_msg_to_user("Posted in #general.")'
        return {"content": f"Next I do this.\n```\n{action}\n```"}

    with StandIn(script) as stand_in:
        # pytest-playwright's browser: a second sync Playwright cannot start in this thread once its loop runs
        env = MockAppsEnv("announce-lunch-in-general", sandbox=sandbox, browser=browser)
        try:
            agent = OpenAIChatAgent(base_url=stand_in.base_url, model="m")
            reward, info, steps = run_episode(env, agent, "announce-lunch-in-general", limit=10)
        finally:
            env.close()
    assert reward == 1.0 and info["passed"] and steps == 4 and len(stand_in.requests) == 4
