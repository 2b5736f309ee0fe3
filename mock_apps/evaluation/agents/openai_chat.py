"""An agent for any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp, LiteLLM ...), over
plain HTTP. In the browser environment it is prompted with the goal, the page's accessibility tree and the action
language, and one action is parsed from each reply; in the API environment it uses the model's tool calls."""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

import requests

from mock_apps.evaluation.agents import AgentError
from mock_apps.tasks.model import Task

DEFAULT_BASE_URL = "https://api.openai.com/v1"
AXTREE_KEYS = ("axtree", "axtree_txt", "accessibility_tree")  # the first present is shown to the model
_FENCE = re.compile(r"```(?:[a-zA-Z]*)\n?(.*?)```", re.S)
_RETRY_STATUSES = {408, 409, 429, 500, 502, 503, 504}

BROWSER_SYSTEM = (
    "You are an agent doing office work for the user in web apps (Mail, Chat, Sheets, Books) in a browser. "
    "Each turn you see the goal, the open tabs, the current page's accessibility tree and the error of your "
    "last action, if any. Think briefly, then give exactly one action in a ``` code block.\n\n{actions}")
TOOLS_SYSTEM = (
    "You are an agent doing office work for the user through the APIs of their apps ({apps}). Use the tools to "
    "find what you need and make the changes the task asks for, and nothing else. When you are done, call "
    "send_msg_to_user with a short answer; if the task cannot be done, call report_infeasible.")


class OpenAIChatAgent:
    """An agent backed by an OpenAI-compatible `/chat/completions` endpoint.

    base_url, model and api_key default to $OPENAI_BASE_URL, $MOCKAPPS_MODEL and $OPENAI_API_KEY. max_tree_chars
    bounds the accessibility tree in each browser prompt; history how many earlier actions are repeated in it;
    transient endpoint failures (429, 5xx, no connection) are retried `retries` times after `backoff` seconds,
    doubling.
    """

    def __init__(self, base_url: str | None = None, model: str | None = None, api_key: str | None = None,
                 temperature: float | str = 0.0, max_tokens: int | str | None = None, timeout: float | str = 120,
                 max_tree_chars: int | str = 30_000, history: int | str = 20, retries: int | str = 3,
                 backoff: float | str = 1.0):
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.model = model or os.environ.get("MOCKAPPS_MODEL")
        if not self.model:
            raise AgentError("the openai agent needs a model: set MOCKAPPS_MODEL or pass --agent-option model=NAME",
                             code="agent_needs_model")
        self.api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        # Options arrive as strings from the command line (--agent-option k=v).
        try:
            self.temperature = float(temperature)
            self.max_tokens = int(max_tokens) if max_tokens not in (None, "") else None
            self.timeout = float(timeout)
            self.max_tree_chars = int(max_tree_chars)
            self.history = int(history)
            self.retries = int(retries)
            self.backoff = float(backoff)  # seconds before the first retry, doubling after each
        except ValueError as error:
            raise AgentError(f"the openai agent's numeric options must be numbers: {error}") from None
        self.http = requests.Session()
        if self.api_key:
            self.http.headers["Authorization"] = f"Bearer {self.api_key}"
        self.task: Task | None = None
        self.reset(None)

    def reset(self, task: Task | None) -> None:
        """Start an episode: forget the conversation."""
        self.task = task
        self.messages: list[dict] = []  # the tool-mode conversation
        self.actions: list[str] = []  # the browser-mode actions so far
        self._pending: list[dict] = []  # tool calls of the last reply not yet handed to the environment
        self._awaiting: str | None = None  # the id of the tool call whose result the next observation holds
        self.usage = {"prompt_tokens": 0, "completion_tokens": 0, "requests": 0}

    def act(self, observation: dict) -> str:
        """The next action: a tool call as JSON in the API environment, else one action-language call."""
        if "tools" in observation:
            return self._act_with_tools(observation)
        return self._act_in_browser(observation)

    # ---- the API environment: native tool calls ----------------------------------------------------------

    def _act_with_tools(self, observation: dict) -> str:
        if not self.messages:
            apps = ", ".join(observation.get("apps") or [])
            self.messages = [{"role": "system", "content": TOOLS_SYSTEM.format(apps=apps)},
                             {"role": "user", "content": observation["goal"]}]
        if self._awaiting is not None:
            self.messages.append({"role": "tool", "tool_call_id": self._awaiting,
                                  "content": _clip(json.dumps(observation.get("last_result"), default=str), 60_000)})
            self._awaiting = None
        if not self._pending:
            reply = self._complete(self.messages, tools=observation["tools"])
            calls = reply.get("tool_calls") or []
            self.messages.append({"role": "assistant", "content": reply.get("content"),
                                  **({"tool_calls": calls} if calls else {})})
            if not calls:  # the model answered in words: that is its final message to the user
                return json.dumps({"name": "send_msg_to_user", "arguments": {"text": reply.get("content") or ""}})
            self._pending = list(calls)
        call = self._pending.pop(0)
        self._awaiting = call.get("id")
        function = call.get("function") or {}
        arguments = function.get("arguments")
        try:
            arguments = json.loads(arguments) if isinstance(arguments, str) and arguments.strip() else arguments or {}
        except ValueError:
            pass  # handed on as text: the environment answers with a precise error the model then sees
        return json.dumps({"name": function.get("name"), "arguments": arguments})

    # ---- the browser environment: one action per reply ------------------------------------------------------

    def _act_in_browser(self, observation: dict) -> str:
        from mock_apps.evaluation.actions import ACTION_SPACE_DOC

        messages = [{"role": "system", "content": BROWSER_SYSTEM.format(actions=ACTION_SPACE_DOC)},
                    {"role": "user", "content": self._browser_prompt(observation)}]
        reply = self._complete(messages)
        action = extract_action(reply.get("content") or "")
        self.actions.append(action)
        return action

    def _browser_prompt(self, observation: dict) -> str:
        tree = next((observation[k] for k in AXTREE_KEYS if observation.get(k)), "")
        tabs = observation.get("open_pages_urls") or []
        active = observation.get("active_page_index")
        lines = [f"# Goal\n{observation.get('goal') or (self.task.instruction if self.task else '')}"]
        chat = [m for m in observation.get("chat_messages") or [] if m.get("role") != "user"]
        if chat:
            lines.append("# Messages\n" + "\n".join(f"{m.get('role')}: {m.get('message')}" for m in chat))
        lines.append("# Open tabs\n" + "\n".join(
            f"{i}: {url}" + (" (current)" if i == _index(active) else "") for i, url in enumerate(tabs))
            if tabs else f"# Current page\n{observation.get('url', '')}")
        focused = observation.get("focused_element_id") or observation.get("focused_element_bid")
        if focused:
            lines.append(f"# Focused element\n{focused}")
        lines.append("# Accessibility tree of the current page\n" + _clip(str(tree), self.max_tree_chars))
        if self.actions:
            lines.append("# Your previous actions\n" + "\n".join(self.actions[-self.history:]))
        if observation.get("last_action_error"):
            lines.append(f"# Error of your last action\n{observation['last_action_error']}")
        lines.append("Give the next action.")
        return "\n\n".join(lines)

    # ---- HTTP ------------------------------------------------------------------------------------------------

    def _complete(self, messages: list[dict], tools: list[dict] | None = None) -> dict:
        """One chat completion; the reply message. Transient failures are retried, then raise AgentError."""
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": self.temperature}
        if self.max_tokens:
            body["max_tokens"] = self.max_tokens
        if tools:
            body["tools"] = tools
        url = f"{self.base_url}/chat/completions"
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), 30))
            try:
                response = self.http.post(url, json=body, timeout=self.timeout)
            except requests.RequestException as error:
                problem = f"cannot reach {url}: {error.__class__.__name__}"
                continue
            if response.status_code in _RETRY_STATUSES:
                problem = f"{url} answered {response.status_code}: {_clip(response.text, 300)}"
                continue
            if response.status_code >= 400:
                raise AgentError(f"{url} refused the request ({response.status_code}): {_clip(response.text, 500)}",
                                 code="model_error")
            try:
                data = response.json()
                message = data["choices"][0]["message"]
            except (ValueError, KeyError, IndexError, TypeError):
                raise AgentError(f"{url} did not answer with a chat completion: {_clip(response.text, 300)}",
                                 code="model_error") from None
            usage = data.get("usage") or {}
            self.usage["requests"] += 1
            for key in ("prompt_tokens", "completion_tokens"):
                self.usage[key] += int(usage.get(key) or 0)
            return message
        raise AgentError(f"the model endpoint failed {self.retries + 1} times; last: {problem}", code="model_error")


def extract_action(reply: str) -> str:
    """The action in a model's reply: the last code block (or line) that parses as an action, else the reply's
    last code block or line as it is (the environment then reports what is wrong with it)."""
    from mock_apps.evaluation.actions import ActionError, parse_action

    blocks = [b.strip() for b in _FENCE.findall(reply) if b.strip()]
    candidates = [*reversed(blocks), *reversed([line.strip().strip("`") for line in reply.splitlines()
                                                 if line.strip()])]
    for candidate in candidates:
        for text in (candidate, *reversed(candidate.splitlines())):
            try:
                return str(parse_action(text.strip()))
            except ActionError:
                continue
    return candidates[0] if candidates else reply.strip()


def _index(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more characters)"
