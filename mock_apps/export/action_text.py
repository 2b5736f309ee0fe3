"""A recorded step in the evaluation's action language (mock_apps.evaluation.actions: BrowserGym style,
`click("id")`, `fill("id", "text")`).

Recorded trajectories have no live element ids, so an element id in an export is the step's best recorded
selector (the first of its ranked selectors, checked unique at record time) written as a string:
`testid=VALUE`, `role=ROLE[name="NAME"]`, `label=TEXT`, `placeholder=TEXT`, `text=TEXT` or `css=SELECTOR`.
"""

from __future__ import annotations

import json

from trajectories.model import Selector, Step, Target


def selector_text(selector: Selector) -> str:
    """One recorded selector as an element id string."""
    if selector.kind == "role":
        return f"role={selector.value}" + (f"[name={json.dumps(selector.name, ensure_ascii=False)}]"
                                           if selector.name is not None else "")
    return f"{selector.kind}={selector.value}"


def element_id(target: Target | None) -> str | None:
    """The element id of a step's target: its best selector, else its tag as CSS; None without a target."""
    if target is None:
        return None
    return selector_text(target.selectors[0]) if target.selectors else f"css={target.tag}"


def _call(name: str, *args, **keywords) -> str:
    parts = [json.dumps(a, ensure_ascii=False) for a in args]
    parts += [f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in keywords.items()]
    return f"{name}({', '.join(parts)})"


class TabTracker:
    """The open tabs in opening order, so tab actions can name a tab by its index as the action language does."""

    def __init__(self):
        self.open: list[str] = []

    def index(self, page: str) -> int:
        """The tab's index among open tabs (a tab seen for the first time is taken as opened now)."""
        if page not in self.open:
            self.open.append(page)
        return self.open.index(page)

    def after(self, step: Step) -> None:
        """Account for the tabs a step opened or closed."""
        action = step.action
        if action.type == "tab_open":
            self.index(step.page)
        elif action.type == "tab_close" and step.page in self.open:
            self.open.remove(step.page)
        elif action.type == "click" and action.args.get("opens"):
            self.index(action.args["opens"])


def _click(element: str, args: dict) -> str:
    if args.get("click_count", 1) == 2:
        return _call("dblclick", element)
    # the language has no modifier keys on clicks: a Shift- or Control-click is written as its plain click
    button = args.get("button", "left")
    return _call("click", element, button) if button != "left" else _call("click", element)


def _keys(step: Step, element: str | None, key: str) -> str:
    """A key press on the element, or on whatever has focus when the page itself got the keys."""
    if step.target is None or step.target.tag in ("body", "html"):
        return _call("keyboard_press", key)
    return _call("press", element, key)


def action_text(step: Step, tabs: TabTracker) -> str:
    """The step as one action of the action language (call `tabs.after(step)` once it is rendered)."""
    kind, args = step.action.type, step.action.args
    element = element_id(step.target)
    if kind == "tab_open":
        return "new_tab()"
    if kind == "tab_switch":
        return _call("tab_focus", tabs.index(step.page))
    if kind == "tab_close":
        return "tab_close()"
    if kind == "navigate":
        return _call("goto", args["url"])
    if kind in ("press", "submit", "copy", "paste"):
        key = {"press": args.get("key"), "submit": "Enter", "copy": "Control+c", "paste": "Control+v"}[kind]
        # copy and paste: the text travels through the clipboard, as it did for the person
        return _keys(step, element, key)
    if kind == "download" or element is None:
        return "noop()"  # a download the page started by itself: the agent did nothing
    if kind == "click":
        return _click(element, args)
    if kind == "fill":
        return _call("fill", element, args.get("value", ""))
    if kind == "select":
        values = list(args.get("values") or [])
        return _call("select_option", element, values[0] if len(values) == 1 else values)
    if kind in ("check", "uncheck"):
        return _call(kind, element)
    if kind == "drag":
        return _call("drag_and_drop", element, element_id(Target.model_validate(args["to"])))
    if kind == "upload":
        names = [f["name"] for f in args.get("files", [])]
        return _call("upload_file", element, names[0] if len(names) == 1 else names)
    raise ValueError(f"no action-language form for a {kind!r} step")
