"""Replay: perform a trajectory's steps on a fresh world and prove each caused the recorded changes."""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mock_apps.core.control_client import ControlClient
from trajectories.app_url import AppUrls
from recorder.snapshot import observe
from trajectories.model import Proof, Selector, Step, Target
from trajectories.store import FILES, TrajectoryDir, load

FIND_TIMEOUT_S = 5.0
CHANGES_TIMEOUT_S = 5.0


@dataclass
class StepResult:
    """How one step replayed: ok, recovered (a fallback selector was needed) or diverged (and why)."""

    index: int
    action: str
    status: str
    selector: int | None = None
    reason: str | None = None
    expected: list | None = None
    actual: list | None = None


@dataclass
class ReplayReport:
    """The whole replay: per-step results, then final-state equality."""

    trajectory: str
    steps: list[StepResult] = field(default_factory=list)
    final_state_equal: bool | None = None
    state_differences: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def reproduced(self) -> bool:
        """True when every step matched and the final state is the recorded one."""
        return bool(self.steps) and all(s.status in ("ok", "recovered") for s in self.steps) \
            and self.final_state_equal is not False

    def first_divergence(self) -> StepResult | None:
        """The first step that diverged, if any."""
        return next((s for s in self.steps if s.status == "diverged"), None)

    def to_dict(self) -> dict:
        """JSON-able report."""
        return {**asdict(self), "reproduced": self.reproduced}

    def summary(self) -> str:
        """A few readable lines."""
        counts = {k: sum(1 for s in self.steps if s.status == k) for k in ("ok", "recovered", "diverged")}
        lines = [f"{self.trajectory}: {len(self.steps)} steps replayed in {self.seconds:.1f} s: "
                 f"{counts['ok']} ok, {counts['recovered']} recovered, {counts['diverged']} diverged"]
        for s in self.steps:
            if s.status != "ok":
                lines.append(f"  step {s.index} ({s.action}): {s.status}" + (f": {s.reason}" if s.reason else ""))
        if self.final_state_equal is not None:
            lines.append("final state: " + ("equal to the recording" if self.final_state_equal else
                                            "DIFFERENT in " + ", ".join(self.state_differences)))
        lines.append("REPRODUCED" if self.reproduced else "NOT REPRODUCED")
        return "\n".join(lines)


class Divergence(Exception):
    """A step could not be performed as recorded."""


def read_state(path: Path) -> dict:
    """A recorded final state dump (state.json.gz, or plain JSON)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def state_differences(want: dict, have: dict) -> list[str]:
    """The apps whose data differs between a recorded state dump and a live one."""
    # the dumps name their world; what must match is the data
    return sorted(app for app in want if want[app].get("tables") != (have.get(app) or {}).get("tables"))


def normalize(entries: list[dict]) -> list[dict]:
    """Change entries without their sequence numbers (a replay's log restarts with the world)."""
    return [{k: v for k, v in e.items() if k != "seq"} for e in entries]


def locate(page, selector: Selector):
    """The Playwright locator for one recorded selector (exact matching throughout)."""
    if selector.kind == "testid":
        return page.get_by_test_id(selector.value)
    if selector.kind == "role":
        return page.get_by_role(selector.value, name=selector.name, exact=True)
    if selector.kind == "label":
        return page.get_by_label(selector.value, exact=True)
    if selector.kind == "placeholder":
        return page.get_by_placeholder(selector.value, exact=True)
    if selector.kind == "text":
        return page.get_by_text(selector.value, exact=True)
    return page.locator(selector.value)


def find(page, target: Target, timeout: float = FIND_TIMEOUT_S):
    """The first selector (in rank order) matching exactly one visible element; waits for the page."""
    deadline = time.monotonic() + timeout
    while True:
        for rank, selector in enumerate(target.selectors):
            locator = locate(page, selector)
            try:
                if locator.count() == 1 and (locator.is_visible() or target.tag in ("input", "select")):
                    return locator, rank
            except Exception:  # the page navigated under us: try again
                break
        if time.monotonic() > deadline:
            tried = "; ".join(f"{s.kind}={s.value!r}" + (f" name={s.name!r}" if s.name else "")
                              for s in target.selectors)
            raise Divergence(f"no selector matches exactly one visible element (tried {tried})")
        page.wait_for_timeout(100)


class Replayer:
    """Replays one trajectory directory in a browser against a world."""

    def __init__(self, browser, urls: AppUrls, control: ControlClient, folder: Path | str, speed: str = "max",
                 prepare=None, observe: bool = False):
        self.prepare = prepare  # called with (context, control) after the reset: tests change the world here
        # a proof replay: steps recorded without observations (a trainer's own browser) get this replay's
        # screenshot and accessibility snapshot, and trajectory.json the replay's verdict
        self.observe = observe
        self.browser = browser
        self.urls = urls
        self.control = control
        self.folder = TrajectoryDir(folder)
        self.speed = speed

    def run(self) -> ReplayReport:
        """Reset the world to the recording's start, perform every step, compare, then compare final states."""
        started = time.monotonic()
        meta, steps = load(self.folder.path)
        report = ReplayReport(trajectory=str(self.folder.path))
        self.control.reset(meta.scenario)
        self.control.set_clock(now=meta.start_clock)
        context = self.browser.new_context(viewport=meta.browser.viewport, accept_downloads=True)
        context.add_cookies([{"name": "mockworld", "value": self.control.world_id, "url": url}
                             for url in self.urls.bases.values()])
        if self.prepare is not None:
            self.prepare(context, self.control)
        pages: dict[str, object] = {}
        last_seq = self.control.changes()[-1]["seq"] if self.prepare is not None and self.control.changes() else 0
        previous_wall = None
        try:
            for step in steps:
                if self.speed == "recorded" and previous_wall is not None:
                    time.sleep(max(0.0, (step.wall_time - previous_wall).total_seconds()))
                previous_wall = step.wall_time
                result = StepResult(index=step.index, action=step.action.type, status="ok")
                report.steps.append(result)
                try:
                    result.selector = self._perform(step, context, pages)
                    if result.selector:
                        result.status = "recovered"
                        result.reason = f"selector {result.selector + 1} of {len(step.target.selectors)} was needed"
                except Divergence as error:
                    result.status, result.reason = "diverged", str(error)
                except Exception as error:  # Playwright timeouts and the like: the page is not as recorded
                    result.status, result.reason = "diverged", f"{type(error).__name__}: {str(error).splitlines()[0]}"
                expected = normalize([c.model_dump() for c in step.changes])
                actual = self._changes_after(last_seq, len(expected))
                if actual:
                    last_seq = actual[-1]["seq"]
                if result.status != "diverged" and normalize(actual) != expected:
                    result.status = "diverged"
                    result.reason = _describe_difference(expected, normalize(actual))
                if result.status == "diverged":
                    result.expected, result.actual = expected, normalize(actual)
                    break
                if self.observe and not step.observation.screenshot and step.page in pages:
                    step.observation = self._observation(pages[step.page], step.index)
            else:
                recorded = self.folder.path / (meta.final_state or "state.json.gz")
                if recorded.exists():
                    report.state_differences = state_differences(read_state(recorded), self.control.states())
                    report.final_state_equal = not report.state_differences
        finally:
            context.close()
            report.seconds = time.monotonic() - started
        if self.observe:
            self._store_proof(meta, steps, report)
        return report

    def _observation(self, page, index: int):
        try:
            page.wait_for_load_state(timeout=10_000)
        except Exception:
            pass  # still loading: observe what is there
        return observe(page, self.folder, index)

    def _store_proof(self, meta, steps: list[Step], report: ReplayReport) -> None:
        """Write the observations into steps.jsonl and the verdict into trajectory.json."""
        self.folder.rewrite_steps(steps)
        first = report.first_divergence()
        reason = first.reason if first else (
            f"final state differs in {', '.join(report.state_differences)}" if report.state_differences else None)
        meta.proof = Proof(reproduced=report.reproduced, steps_replayed=len(report.steps),
                           diverged_at=first.index if first else None, reason=reason,
                           time=datetime.now(timezone.utc))
        self.folder.write_meta(meta)

    def _changes_after(self, after: int, expected_count: int) -> list[dict]:
        """Wait (briefly) for as many change entries as the recording has for this step."""
        deadline = time.monotonic() + CHANGES_TIMEOUT_S
        while True:
            entries = self.control.changes(after=after)
            if len(entries) >= expected_count or time.monotonic() > deadline:
                return entries
            time.sleep(0.05)

    def _page(self, context, pages: dict, step: Step):
        page = pages.get(step.page)
        if page is None or page.is_closed():
            page = pages[step.page] = context.new_page()
        return page

    def _perform(self, step: Step, context, pages: dict) -> int | None:
        """Do one step; return the rank of the selector used (None for target-less steps)."""
        action, args = step.action.type, step.action.args
        if action == "navigate":
            page = self._page(context, pages, step)
            page.goto(self.urls.absolute(args["url"]))
            return None
        if action == "tab_open":
            pages[step.page] = context.new_page()
            return None
        if action == "tab_switch":
            self._page(context, pages, step).bring_to_front()
            return None
        if action == "tab_close":
            pages.pop(step.page).close()
            return None
        if action == "download":
            return None  # a download nothing on the page caused (its bytes are checked with their click)
        page = self._page(context, pages, step)
        if step.target is None:
            raise Divergence(f"a {action} step without a target cannot be replayed")
        if step.target.tag == "body" and action == "press":
            page.keyboard.press(args["key"])
            return None
        locator, rank = find(page, step.target)
        if action == "click":
            click_as_recorded(page, context, pages, locator, args)
        elif action == "fill":
            locator.fill(args["value"])
        elif action == "press":
            locator.press(args["key"])
        elif action == "select":
            locator.select_option(args["values"])
        elif action in ("check", "uncheck"):
            locator.set_checked(action == "check")
        elif action == "paste":
            locator.evaluate(PASTE_JS, args.get("text", ""))
        elif action == "copy":
            pass  # copying changes nothing; its text is in the step and comes back with the paste
        elif action == "drag":
            destination, _ = find(page, Target.model_validate(args["to"]))
            locator.drag_to(destination)
        elif action == "upload":
            locator.set_input_files([{"name": f["name"], "mimeType": f.get("mime") or "application/octet-stream",
                                      "buffer": (self.folder.path / FILES / f["sha256"]).read_bytes()}
                                     for f in args["files"]])
        else:
            raise Divergence(f"unknown action {action!r}")
        return rank


def click_as_recorded(page, context, pages: dict, locator, args: dict) -> None:
    """Click as recorded: catch the tab it opened or the download it started (and check its bytes)."""
    options = {"button": args.get("button", "left"), "modifiers": args.get("modifiers") or None,
               "click_count": args.get("click_count", 1)}
    downloads = args.get("downloads") or []
    if args.get("opens"):
        with context.expect_page() as popup:
            locator.click(**options)
        pages[args["opens"]] = popup.value
        popup.value.wait_for_load_state()
    elif downloads:
        with page.expect_download() as info:
            locator.click(**options)
        data = Path(info.value.path()).read_bytes()
        if hashlib.sha256(data).hexdigest() != downloads[0]["sha256"]:
            raise Divergence(f"the download {downloads[0]['name']!r} has different bytes than recorded")
    else:
        locator.click(**options)
    try:
        page.wait_for_load_state(timeout=10_000)
    except Exception:
        pass  # the click closed its page


PASTE_JS = """(el, text) => {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
  el.focus();
  if (el.dispatchEvent(event) && (el.isContentEditable || 'value' in el)) document.execCommand('insertText', false, text);
}"""


def _describe_difference(expected: list[dict], actual: list[dict]) -> str:
    if len(expected) != len(actual):
        want = ", ".join(f"{e['app']}:{e['op']}" for e in expected) or "none"
        got = ", ".join(f"{e['app']}:{e['op']}" for e in actual) or "none"
        return f"expected {len(expected)} change(s) ({want}), got {len(actual)} ({got})"
    for i, (want, got) in enumerate(zip(expected, actual)):
        for key in ("app", "op", "args", "time", "changes"):
            if want.get(key) != got.get(key):
                return f"change {i + 1} ({want['app']}:{want['op']}): {key} differs: recorded " \
                       f"{json.dumps(want.get(key))[:300]}, replayed {json.dumps(got.get(key))[:300]}"
    return "changes differ"
