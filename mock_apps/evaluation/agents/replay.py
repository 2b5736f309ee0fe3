"""The replay agent: plays a recorded trajectory's steps as actions in the action language.

Each recorded step's target is resolved to an element id of the current observation the way replay finds it
in a page: the first recorded selector (in rank order) that matches exactly one visible element, matched here
against the observation's per-element properties (test id, role and accessible name, label, placeholder,
own text, id attribute). Uploads use the files stored in the trajectory, under their recorded names. The last
action is `send_msg_to_user` with the trajectory's final answer (`final_answer`, else the last assistant message
of its chat.json) or "done".
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from mock_apps.evaluation.actions import action_text
from mock_apps.tasks.model import Task
from trajectories.model import Selector, Step, Target
from trajectories.store import FILES, load

WAIT_MS = 250
MAX_WAITS = 20  # a target missing this many observations in a row: the replay has diverged
FORM_TAGS = ("input", "select", "textarea")
SIMPLE_CSS = re.compile(r"^#([A-Za-z][\w-]*)$")
SKIPPED = ("download", "copy", "submit")  # they follow from other steps or change nothing


class ReplayAgent:
    """Plays one trajectory directory's steps through the environment."""

    def __init__(self, trajectory_dir: Path | str, answer: str | None = None):
        self.folder = Path(trajectory_dir)
        self.meta, self.steps = load(self.folder)
        self.answer = answer if answer is not None else (self.meta.final_answer or _chat_answer(self.folder))
        self._files: Path | None = None
        self.reset(None)

    def reset(self, task: Task | None) -> None:
        """Start from the first step (the task is the trajectory's; it is not needed to replay)."""
        if task is not None and self.meta.task and task.id != self.meta.task:
            raise ValueError(f"{self.folder} is a trajectory of task {self.meta.task!r}, not {task.id!r}")
        self.position = 0
        self.waits = 0
        self.tabs: dict[str, int] = {}  # recorded page id -> tab index in the environment
        self.opening = True  # the recorded steps that opened the start pages, which the environment opened
        self.finished = False
        self.divergence: str | None = None

    # -- the protocol ------------------------------------------------------------------------------

    def act(self, observation: dict) -> str:
        """The next step's action on this observation (waits while its target is not on the page yet)."""
        if self.finished:
            return action_text("noop")
        while self.position < len(self.steps):
            step = self.steps[self.position]
            action = self._translate(step, observation)
            if action is _WAIT:
                self.waits += 1
                if self.waits > MAX_WAITS:
                    self.finished = True
                    self.divergence = f"step {step.index} ({step.action.type}): {self._why_not(step, observation)}"
                    return action_text("report_infeasible", f"replay diverged at {self.divergence}")
                return action_text("noop", WAIT_MS)
            self.waits = 0
            self.position += 1
            if action is not None:
                return action
        self.finished = True
        return action_text("send_msg_to_user", self.answer or "done")

    # -- translating one recorded step ------------------------------------------------------------

    def _translate(self, step: Step, observation: dict):
        kind, args = step.action.type, step.action.args
        if kind in SKIPPED:
            return None
        starts = max(1, len(self.meta.start_pages))
        if self.opening and kind == "tab_open" and len(self.tabs) < starts and step.page not in self.tabs:
            self.tabs[step.page] = len(self.tabs)
            return None  # the environment opened the start page's tab already
        if self.opening and kind == "navigate" and step.page in self.tabs and step.url_before == "about:blank":
            return None  # ... and loaded its start page
        self.opening = False
        if kind == "tab_open":
            self.tabs[step.page] = len(observation["open_pages_urls"])
            return action_text("new_tab")
        switch = self._switch_to(step, observation)
        if switch is not None:
            return switch
        if kind == "navigate":
            return action_text("goto", args["url"])
        if kind == "tab_switch":
            return None  # _switch_to made the tab active
        if kind == "tab_close":
            closed = self.tabs.pop(step.page)
            self.tabs = {p: i - 1 if i > closed else i for p, i in self.tabs.items()}
            return action_text("tab_close")
        target = step.target
        if target is None:
            return None
        if kind == "press" and target.tag == "body":
            return action_text("keyboard_press", args["key"])
        element = resolve(target, observation["elements"])
        if element is None:
            return _WAIT
        if kind == "click":
            if args.get("click_count", 1) >= 2:
                return action_text("dblclick", element)
            return action_text("click", element, args.get("button", "left"))
        if kind == "fill":
            return action_text("fill", element, args["value"])
        if kind == "paste":
            return action_text("fill", element, args.get("text", ""))
        if kind == "press":
            return action_text("press", element, args["key"])
        if kind == "select":
            values = args["values"]
            return action_text("select_option", element, values[0] if len(values) == 1 else values)
        if kind in ("check", "uncheck"):
            return action_text(kind, element)
        if kind == "drag":
            destination = resolve(Target.model_validate(args["to"]), observation["elements"])
            return _WAIT if destination is None else action_text("drag_and_drop", element, destination)
        if kind == "upload":
            return action_text("upload_file", element, [str(self._file(f)) for f in args["files"]])
        raise ValueError(f"step {step.index}: cannot replay a {kind!r} step")

    def _switch_to(self, step: Step, observation: dict):
        if step.page not in self.tabs:
            self.tabs[step.page] = observation["active_page_index"]
        index = self.tabs[step.page]
        if step.action.type != "tab_open" and index != observation["active_page_index"]:
            return action_text("tab_focus", index)
        return None

    def _file(self, file: dict) -> Path:
        """A stored upload under its recorded name (the app sees the name and type a person's upload had)."""
        if self._files is None:
            self._files = Path(tempfile.mkdtemp(prefix="mockapps-replay-"))
        folder = self._files / file["sha256"][:16]
        folder.mkdir(exist_ok=True)
        path = folder / Path(file["name"]).name
        if not path.exists():
            shutil.copyfile(self.folder / FILES / file["sha256"], path)
        return path

    def _why_not(self, step: Step, observation: dict) -> str:
        tried = "; ".join(f"{s.kind}={s.value!r}" + (f" name={s.name!r}" if s.name else "")
                          for s in step.target.selectors) if step.target else "no target"
        return f"no selector matches exactly one visible element on {observation['url']} (tried {tried})"

    def __del__(self):
        # getattr: an agent whose trajectory could not be loaded never got this far in __init__
        if getattr(self, "_files", None) is not None:
            shutil.rmtree(self._files, ignore_errors=True)


_WAIT = object()


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def matches(selector: Selector, element: dict) -> bool:
    """Whether an observed element (its properties) is what a recorded selector finds."""
    kind, value = selector.kind, selector.value
    if kind == "testid":
        return element.get("testid") == value
    if kind == "role":
        return element.get("role") == value and _squash(element.get("name")) == _squash(selector.name)
    if kind == "label":
        return _squash(element.get("label")) == _squash(value) or (
            element.get("tag") in FORM_TAGS and _squash(element.get("name")) == _squash(value))
    if kind == "placeholder":
        return element.get("placeholder") == value
    if kind == "text":  # like the recorder's: the visible text of an element without child elements
        return element.get("text") is not None and _squash(element.get("text")) == _squash(value)
    simple = SIMPLE_CSS.match(value)
    return bool(simple) and element.get("html_id") == simple.group(1)


def resolve(target: Target, elements: dict[str, dict]) -> str | None:
    """The element id the first recorded selector matching exactly one visible element finds, or None."""
    for selector in target.selectors:
        found = [i for i, e in elements.items()
                 if matches(selector, e) and (e.get("visible") or e.get("tag") in FORM_TAGS)]
        if len(found) == 1:
            return found[0]
    return None


def _chat_answer(folder: Path) -> str | None:
    chat = folder / "chat.json"
    if not chat.exists():
        return None
    try:
        messages = json.loads(chat.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    answers = [m.get("message") for m in messages if isinstance(m, dict) and m.get("role") == "assistant"]
    return answers[-1] if answers else None
