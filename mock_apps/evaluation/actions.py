"""The action language agents speak to the browser environment: one BrowserGym-style function call per action,
parsed with `ast` into a typed `Action` (never evaluated: only literal arguments are accepted)."""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from mock_apps.core.errors import MockAppsError

MAX_ACTION_CHARS = 20_000
ELEMENT_ID = re.compile(r"^[a-z]\d+$")
BUTTONS = ("left", "middle", "right")


class ActionError(MockAppsError):
    """An action text that is not a valid action, or that cannot be performed on the current page."""

    code = "bad_action"


@dataclass(frozen=True)
class Param:
    """One parameter of an action: its name, its type (a kind below) and its default when optional."""

    name: str
    kind: str  # element | text | key | url | strings | int | number | button
    default: Any = None
    optional: bool = False


@dataclass(frozen=True)
class Spec:
    """One action function: its parameters and what it does (for ACTION_SPACE_DOC)."""

    name: str
    params: tuple[Param, ...]
    doc: str
    example: str
    ends_episode: bool = False


def _p(name: str, kind: str, *default) -> Param:
    return Param(name, kind, default[0] if default else None, bool(default))


SPECS: dict[str, Spec] = {s.name: s for s in (
    Spec("click", (_p("element", "element"), _p("button", "button", "left")),
         "Click an element (button: left, middle or right).", 'click("a12")'),
    Spec("dblclick", (_p("element", "element"),), "Double-click an element.", 'dblclick("a12")'),
    Spec("fill", (_p("element", "element"), _p("text", "text")),
         "Clear a text field (input, textarea, contenteditable) and type text into it.", 'fill("a12", "ACME Corp")'),
    Spec("press", (_p("element", "element"), _p("key", "key")),
         "Focus an element and press a key or chord (Enter, Tab, Escape, ArrowDown, Control+a ...).",
         'press("a12", "Enter")'),
    Spec("keyboard_press", (_p("key", "key"),), "Press a key or chord on whatever has focus.",
         'keyboard_press("Escape")'),
    Spec("keyboard_type", (_p("text", "text"),), "Type text on whatever has focus, key by key.",
         'keyboard_type("4249")'),
    Spec("select_option", (_p("element", "element"), _p("options", "strings")),
         "Choose option(s) of a <select> by their label (or value); a list for a multiple select.",
         'select_option("a12", "Brightline Logistics")'),
    Spec("check", (_p("element", "element"),), "Tick a checkbox or radio button.", 'check("a12")'),
    Spec("uncheck", (_p("element", "element"),), "Untick a checkbox.", 'uncheck("a12")'),
    Spec("hover", (_p("element", "element"),), "Move the mouse over an element.", 'hover("a12")'),
    Spec("drag_and_drop", (_p("from_element", "element"), _p("to_element", "element")),
         "Drag one element onto another.", 'drag_and_drop("a12", "a40")'),
    Spec("upload_file", (_p("element", "element"), _p("paths", "strings")),
         "Set the files of a file input (a path or a list of paths; downloads are listed in the observation).",
         'upload_file("a12", "/tmp/downloads/Invoice_BL-20931.pdf")'),
    Spec("scroll", (_p("dx", "number"), _p("dy", "number")),
         "Scroll the page by dx, dy pixels (positive dy scrolls down).", "scroll(0, 600)"),
    Spec("goto", (_p("url", "url"),),
         "Open a URL in the current tab: an app-relative URL like \"mail:/search?q=invoice\" or an app's "
         "absolute URL.", 'goto("books:/bills")'),
    Spec("go_back", (), "Go back in the current tab's history.", "go_back()"),
    Spec("go_forward", (), "Go forward in the current tab's history.", "go_forward()"),
    Spec("new_tab", (), "Open a new blank tab and switch to it.", "new_tab()"),
    Spec("tab_focus", (_p("index", "int"),), "Switch to the tab at this index of open_pages_urls.", "tab_focus(0)"),
    Spec("tab_close", (), "Close the current tab.", "tab_close()"),
    Spec("send_msg_to_user", (_p("text", "text"),),
         "Tell the user something; this is your final answer and ends the episode.",
         'send_msg_to_user("Done: the bill is entered.")', ends_episode=True),
    Spec("report_infeasible", (_p("reason", "text"),),
         "Say the task cannot be done, and why; ends the episode.",
         'report_infeasible("There is no invoice INV-9 in the mailbox.")', ends_episode=True),
    Spec("noop", (_p("wait_ms", "number", 0),), "Do nothing (optionally wait up to 10000 ms for the page).",
         "noop()"),
)}


@dataclass(frozen=True)
class Action:
    """A parsed action: the function name and its arguments by parameter name."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> Spec:
        """The function this action calls."""
        return SPECS[self.name]

    @property
    def ends_episode(self) -> bool:
        """True for send_msg_to_user and report_infeasible."""
        return self.spec.ends_episode

    def element_ids(self) -> list[str]:
        """The element ids this action refers to, in parameter order."""
        return [self.args[p.name] for p in self.spec.params if p.kind == "element"]

    def __str__(self) -> str:
        shown = [repr(self.args[p.name]) if not isinstance(self.args[p.name], str)
                 else _quote(self.args[p.name]) for p in self.spec.params
                 if not (p.optional and self.args[p.name] == p.default)]
        return f"{self.name}({', '.join(shown)})"


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def action_text(name: str, *args) -> str:
    """Canonical text of an action from its name and positional arguments (what agents emit)."""
    spec = SPECS[name]
    return str(Action(name, {p.name: (args[i] if i < len(args) else p.default) for i, p in enumerate(spec.params)}))


def parse_action(text: str) -> Action:
    """Parse one action such as `fill("a12", "hello")`; raise ActionError saying exactly what is wrong."""
    if not isinstance(text, str):
        raise ActionError(f"an action is a string such as 'click(\"a12\")', not {type(text).__name__}")
    source = text.strip()
    if not source:
        raise ActionError("empty action: write one function call such as click(\"a12\") or noop()")
    if len(source) > MAX_ACTION_CHARS:
        raise ActionError(f"the action is {len(source)} characters long; at most {MAX_ACTION_CHARS} are accepted")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise ActionError(f"not a function call: {error.msg} at column {error.offset or 0} of {_clip(source)}; "
                          "write one call such as click(\"a12\")") from None
    except (MemoryError, RecursionError, ValueError):
        raise ActionError(f"cannot parse {_clip(source)}: too deeply nested or not text") from None
    call = tree.body
    if not isinstance(call, ast.Call):
        raise ActionError(f"not a function call: {_clip(source)}; write one call such as click(\"a12\")")
    if not isinstance(call.func, ast.Name):
        raise ActionError(f"actions are plain function calls such as click(\"a12\"), not {_clip(ast.unparse(call.func))}(...)")
    name = call.func.id
    spec = SPECS.get(name)
    if spec is None:
        close = difflib.get_close_matches(name, SPECS, n=1)
        hint = f"; did you mean {close[0]}?" if close else f"; actions are {', '.join(SPECS)}"
        raise ActionError(f"unknown action {name!r}{hint}")
    return Action(name, _bind(spec, call))


def _bind(spec: Spec, call: ast.Call) -> dict[str, Any]:
    usage = f"{spec.name}({', '.join(p.name + ('=' + repr(p.default) if p.optional else '') for p in spec.params)})"
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise ActionError(f"{spec.name}: * and ** arguments are not allowed; use {usage}")
    if len(call.args) > len(spec.params):
        raise ActionError(f"{spec.name} takes {len(spec.params)} argument(s), got {len(call.args)}; use {usage}")
    given: dict[str, ast.expr] = {spec.params[i].name: node for i, node in enumerate(call.args)}
    names = {p.name for p in spec.params}
    for keyword in call.keywords:
        if keyword.arg not in names:
            raise ActionError(f"{spec.name} has no argument {keyword.arg!r}; use {usage}")
        if keyword.arg in given:
            raise ActionError(f"{spec.name}: argument {keyword.arg!r} given twice; use {usage}")
        given[keyword.arg] = keyword.value
    bound = {}
    for position, param in enumerate(spec.params, start=1):
        if param.name not in given:
            if not param.optional:
                raise ActionError(f"{spec.name} is missing its argument {param.name!r}; use {usage}")
            bound[param.name] = param.default
            continue
        node = given[param.name]
        try:
            value = ast.literal_eval(node)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            if isinstance(node, ast.Name):
                raise ActionError(f"{spec.name}: argument {position} ({param.name}) is the bare name {_clip(node.id)}; "
                                  f"quote it: \"{_clip(node.id)}\"") from None
            raise ActionError(f"{spec.name}: argument {position} ({param.name}) must be a literal value, not the "
                              f"expression {_clip(ast.unparse(node))}; use {usage}") from None
        bound[param.name] = _check(spec, position, param, value, usage)
    return bound


def _check(spec: Spec, position: int, param: Param, value: Any, usage: str) -> Any:
    where = f"{spec.name}: argument {position} ({param.name})"
    if param.kind == "element":
        if not isinstance(value, str):
            raise ActionError(f"{where} must be an element id string such as \"a12\", not {_clip(repr(value))}")
        if not ELEMENT_ID.match(value):
            raise ActionError(f"{where}: {_clip(repr(value))} is not an element id; ids look like \"a12\" and are "
                              "shown in brackets in the axtree")
        return value
    if param.kind in ("text", "key", "url"):
        if not isinstance(value, str):
            raise ActionError(f"{where} must be a string, not {type(value).__name__} {_clip(repr(value))}; use {usage}")
        if param.kind in ("key", "url") and not value.strip():
            raise ActionError(f"{where} must not be empty; use {usage}")
        return value
    if param.kind == "button":
        if value not in BUTTONS:
            raise ActionError(f"{where} must be one of {', '.join(BUTTONS)}, not {_clip(repr(value))}")
        return value
    if param.kind == "strings":
        if isinstance(value, str):
            return value
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
            return list(value)
        raise ActionError(f"{where} must be a string or a non-empty list of strings, not {_clip(repr(value))}")
    if param.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ActionError(f"{where} must be a whole number, not {_clip(repr(value))}")
        return value
    if param.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) > 1e6:
            raise ActionError(f"{where} must be a number (at most 1e6 in size), not {_clip(repr(value))}")
        if spec.name == "noop" and not 0 <= value <= 10_000:
            raise ActionError(f"{where} must be from 0 to 10000 milliseconds, not {value!r}")
        return value
    raise AssertionError(f"unknown parameter kind {param.kind}")


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _describe_spec(spec: Spec) -> str:
    params = ", ".join(p.name + (f"={p.default!r}" if p.optional else "") for p in spec.params)
    return f"{spec.name}({params})\n    {spec.doc}\n    Example: {spec.example}"


ACTION_SPACE_DOC = (
    "Act with exactly one function call per turn, written like Python with literal arguments only.\n"
    "Elements are named by the ids shown in brackets in the accessibility tree, e.g. [a12] -> \"a12\".\n"
    "Ids stay the same while the page is not reloaded; after a navigation use the ids of the new tree.\n\n"
    + "\n\n".join(_describe_spec(s) for s in SPECS.values())
    + "\n\nFinish with send_msg_to_user(\"...\") (your answer) or report_infeasible(\"...\")."
)
