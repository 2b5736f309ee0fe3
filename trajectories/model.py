"""Pydantic models of a trajectory: `trajectory.json` (the run) and one `Step` per line of `steps.jsonl`.

Every field carries its documentation; `mockapps trajectory schema` prints the JSON Schema made from them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

ActionType = Literal["click", "fill", "press", "select", "check", "uncheck", "submit", "copy", "paste", "drag",
                     "upload", "download", "tab_open", "tab_switch", "tab_close", "navigate"]
Status = Literal["complete", "incomplete", "abandoned"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Selector(_Model):
    """One way to find the target again; the recorder checked it matched exactly the target."""

    kind: Literal["testid", "role", "label", "placeholder", "text", "css"] = Field(
        description="Strategy: Playwright's get_by_test_id / get_by_role / get_by_label / get_by_placeholder / "
                    "get_by_text (all exact), or a CSS selector.")
    value: str = Field(description="The test id, label, placeholder, text or CSS selector; for role, the role.")
    name: str | None = Field(default=None, description="For kind=role: the exact accessible name.")


class Box(_Model):
    """A bounding box in CSS pixels of the page's viewport at record time."""

    x: float
    y: float
    width: float
    height: float


class Target(_Model):
    """The element an action was performed on, described as a person and a locator would."""

    role: str | None = Field(default=None, description="ARIA role (explicit or implied by the tag).")
    name: str | None = Field(default=None, description="Accessible name.")
    label: str | None = Field(default=None, description="Text of the associated <label>, if any.")
    placeholder: str | None = None
    text: str | None = Field(default=None, description="Visible text (trimmed, at most 200 characters).")
    tag: str = Field(description="Lower-case tag name.")
    testid: str | None = Field(default=None, description="The data-testid attribute.")
    id: str | None = Field(default=None, description="The id attribute.")
    box: Box | None = Field(default=None, description="Bounding box at record time.")
    selectors: list[Selector] = Field(default_factory=list,
                                      description="Ranked: replay tries them in order, first exact single match wins.")


class Action(_Model):
    """What the person did. `args` depends on `type`:

    click: button (left|middle|right), modifiers (list), click_count; fill: value; press: key (Playwright
    key name, with modifiers as in "Control+a"); select: values; check/uncheck: none; submit: none; copy and
    paste: text; drag: to (a Target); upload: files [{name, size, sha256, source}] where source is
    "download:<step index>" when the file was downloaded earlier in this trajectory, else "local";
    download: name, size, sha256, path; tab_open: opener (page id or null); tab_switch/tab_close: none;
    navigate: url (app-relative).
    """

    type: ActionType
    args: dict[str, Any] = Field(default_factory=dict)


class Observation(_Model):
    """What the page looked like once the step settled."""

    screenshot: str | None = Field(default=None, description="Path relative to the trajectory dir (shots/...).")
    accessibility: str | None = Field(default=None, description="Accessibility snapshot (ARIA YAML) of the page.")


class ChangeRow(_Model):
    """One row-level change."""

    table: str
    key: Any
    kind: Literal["insert", "update", "delete"]
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class ChangeEntry(_Model):
    """One change-log entry: a semantic operation in one app and the rows it changed."""

    seq: int
    time: str
    app: str
    op: str
    args: dict[str, Any] = Field(default_factory=dict)
    changes: list[ChangeRow] = Field(default_factory=list)


class Step(_Model):
    """One action and what it caused."""

    index: int = Field(ge=0)
    sim_time: str = Field(description="The world's simulated clock when the step was recorded (ISO 8601).")
    wall_time: datetime = Field(description="Wall-clock time of the action (UTC).")
    app: str | None = Field(description="The app whose page the action happened in (None for a blank tab).")
    page: str = Field(description="Stable id of the tab within this trajectory (p0, p1, ...).")
    url_before: str = Field(description="App-relative URL before the action, e.g. 'mail:/search?q=invoice'.")
    url_after: str | None = Field(default=None, description="App-relative URL once the step settled.")
    action: Action
    target: Target | None = None
    observation: Observation = Field(default_factory=Observation)
    changes: list[ChangeEntry] = Field(default_factory=list,
                                       description="Change-log entries (all apps) the step caused.")


class Browser(_Model):
    """The browser the trajectory was recorded in."""

    name: str = "chromium"
    version: str = ""
    viewport: dict[str, int] = Field(default_factory=lambda: {"width": 1400, "height": 900})


class CheckResult(_Model):
    """The outcome of one checkpoint of the task's checks."""

    name: str
    passed: bool
    weight: float = 1.0
    reason: str | None = None


class Proof(_Model):
    """The replay that proved (or failed to prove) a recording, in a fresh world, headless."""

    reproduced: bool = Field(description="Every step caused the recorded changes and the final state was equal.")
    steps_replayed: int = Field(description="How many steps were performed before it ended.")
    diverged_at: int | None = Field(default=None, description="Index of the first step that diverged.")
    reason: str | None = Field(default=None, description="Why that step diverged, or why the final state differs.")
    time: datetime = Field(description="When the replay ended (UTC).")


class Trajectory(_Model):
    """One recorded run: `trajectory.json` in the trajectory directory."""

    schema_version: int = Field(default=SCHEMA_VERSION, description="Format version; newer ones are refused.")
    id: str
    task: str | None = Field(default=None, description="Task id, or None for a free session.")
    scenario: str
    world: str = Field(description="The world it was recorded in.")
    app_versions: dict[str, str] = Field(default_factory=dict,
                                         description="Source fingerprint of the apps (templates) at record time.")
    start_clock: str = Field(description="The world's simulated clock when recording began.")
    browser: Browser = Field(default_factory=Browser)
    trainer: str | None = Field(default=None, description="Who recorded it (a person or an agent's name).")
    start: datetime
    end: datetime | None = None
    status: Status = "incomplete"
    outcome: Literal["passed", "failed", "unchecked"] | None = None
    score: float | None = Field(default=None, description="Partial credit in [0, 1] from the task's checks.")
    checks: list[CheckResult] = Field(default_factory=list)
    final_answer: str | None = Field(default=None, description="The final answer the trainer or agent gave "
                                     "(send_msg_to_user), for tasks that ask a question; None when none was given.")
    final_state: str | None = Field(default=None, description="Path of the final state dump of every app (state.json.gz).")
    start_pages: list[str] = Field(default_factory=list, description="App-relative URLs opened at the start.")
    recording: str | None = Field(default=None, description="The served recording writing it (its steps came from "
                                  "the capture script over HTTP), so an unfinished one can be taken up again.")
    proof: Proof | None = Field(default=None, description="The proof replay of a recording made in a browser we did "
                                "not drive (its steps' observations come from that replay); None when none ran.")
