"""`chat-jsonl`: one conversation per trajectory for tool-calling agents (OpenAI chat format with tool calls).

The assistant's tool calls are the API-level operations the trajectory's steps caused (the change-log entries:
app, operation, arguments); each tool result is the rows that operation changed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mock_apps.export.format import ExportFormat, Written
from mock_apps.export.records import FORMAT_VERSION
from mock_apps.export.source import ExportSource
from trajectories.model import ChangeEntry

FORMAT_TAG = f"mockapps.chat/{FORMAT_VERSION}"
SYSTEM_PROMPT = ("You work in a company's office apps: mail (like Gmail), chat (like Slack), sheets (a spreadsheet) "
                 "and books (bookkeeping like QuickBooks Online). Do the user's task by calling the tools; each tool "
                 "is one operation in one app, and its result lists the rows it changed.")
FINAL_MESSAGE = "Done."
JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"),
              (dict, "object"), (type(None), "null"))


def tool_name(op: str) -> str:
    """A function name chat APIs accept (letters, digits, _ and -; at most 64) for an operation name."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", op)[:64]


def _json_type(value) -> str:
    return next(name for kind, name in JSON_TYPES if isinstance(value, kind))


def _tools(entries: list[ChangeEntry]) -> list[dict]:
    """One function definition per operation used, its parameters the argument names and types seen."""
    seen: dict[str, dict] = {}
    for entry in entries:
        spec = seen.setdefault(entry.op, {"app": entry.app, "types": {}})
        for key, value in entry.args.items():
            spec["types"].setdefault(key, set()).add(_json_type(value))
    tools = []
    for op, spec in sorted(seen.items()):
        properties = {key: {"type": sorted(types)[0] if len(types) == 1 else sorted(types)}
                      for key, types in sorted(spec["types"].items())}
        tools.append({"type": "function", "function": {
            "name": tool_name(op), "description": f"{op}: an operation in the {spec['app']} app",
            "parameters": {"type": "object", "properties": properties}}})
    return tools


def conversation(source: ExportSource) -> dict:
    """The trajectory as one chat-format record."""
    messages: list[dict] = [{"role": "system", "content": SYSTEM_PROMPT},
                            {"role": "user", "content": source.goal or ""}]
    entries: list[ChangeEntry] = []
    for step in source.steps:
        if not step.changes:
            continue  # looking, typing and navigating change nothing an API call would do
        calls = []
        for number, entry in enumerate(step.changes):
            call_id = f"call_{step.index:04d}_{number}"
            calls.append({"id": call_id, "type": "function",
                          "function": {"name": tool_name(entry.op),
                                       "arguments": json.dumps(entry.args, ensure_ascii=False, sort_keys=True)}})
            entries.append(entry)
        messages.append({"role": "assistant", "content": None, "tool_calls": calls})
        for call, entry in zip(calls, step.changes):
            rows = [row.model_dump() for row in entry.changes]
            messages.append({"role": "tool", "tool_call_id": call["id"], "name": call["function"]["name"],
                             "content": json.dumps({"app": entry.app, "op": entry.op, "rows": rows},
                                                   ensure_ascii=False, default=str)})
    messages.append({"role": "assistant", "content": FINAL_MESSAGE})
    return {"format": FORMAT_TAG, "id": source.meta.id, "task": source.meta.task, "scenario": source.meta.scenario,
            "trainer": source.meta.trainer, "outcome": source.meta.outcome, "score": source.meta.score,
            "goal": source.goal, "tools": _tools(entries), "messages": messages}


def write(sources: list[ExportSource], path: Path, settings) -> Written:
    """Write one conversation line per trajectory."""
    with open(path, "w", encoding="utf-8") as handle:
        for source in sources:
            handle.write(json.dumps(conversation(source), ensure_ascii=False, default=str) + "\n")
    return Written(len(sources))


FORMAT = ExportFormat("chat-jsonl", "chat-format JSON lines with tool calls, one per trajectory (tool-calling agents)",
                      directory=False, write=write, item="conversations")
