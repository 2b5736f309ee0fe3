"""The Gymnasium browser environment: one task, a fresh world per episode, actions in the action language, reward
from the task's checks when the episode ends.

An episode: `reset()` resets a new world (its own id) to the task's scenario, opens the task's start pages in a
browser context carrying the world cookie, and returns the first observation. The context and its first tab are
kept from one episode to the next (a new tab and context cost more than the rest of a reset), scrubbed to what a
new one holds: the other tabs closed, the page unloaded, cookies and every app origin's storage (local, session,
IndexedDB, caches) cleared, the tab's history reset, downloads deleted. A recorded episode goes on in it too
(the recorder's capture script, added once, stays); an unrecorded episode after a recorded one gets a new
context (that script cannot be taken out, and would report to no recorder). `end_episode()` does that cleanup
(and deletes the world) when the episode ends rather than at the next reset. Each `step(text)` parses the
action (a bad one becomes `last_action_error`, the page untouched), performs it, waits for the page to settle
(load event, then no request in flight for a moment) and observes. `send_msg_to_user` or `report_infeasible`
ends the episode (terminated); reaching `max_steps` truncates it. At the end the reward is the task's score and
`info` carries the checkpoints. With `record_dir` the episode is recorded by the recorder as a trajectory, each
step observed (screenshot, accessibility snapshot) as soon as the page has settled.

Observation keys: goal; chat_messages (tuple of {role, message}: the goal from "user", the agent's messages as
"assistant", a report_infeasible as "infeasible"); url and open_pages_urls (absolute); active_page_index; axtree
(one line per node: `[a12] role 'name' states`, ids usable in actions); elements (id -> tag, role, name, visible,
bbox and, when present, testid, html_id, label, placeholder, text); focused_element_id; last_action;
last_action_error ("" when it worked); downloads (paths of the files downloaded this episode, for upload_file);
screenshot and set_of_marks (arrays) when asked for. The world id the apps show is masked as "episode".

Final info: score, passed, checks [{name, passed, weight, reason}], collateral (failed checkpoints of the kinds
absent, only_ops and untouched: damage beyond the task), steps, truncated, server_errors (responses >= 500).

reset(options=): "agent" names the trainer of a recording; "record_dir" is this episode's trajectory directory
(else the env's record_dir for its first episode, then record_dir-2, -3 ... for later ones). The recording is
scored and completed when the episode ends, abandoned when it is reset or closed before.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gymnasium
import numpy as np
from gymnasium import spaces

from mock_apps.core.control_client import ControlClient
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.evaluation.actions import Action, ActionError, parse_action
from mock_apps.evaluation.observation import ID_ATTRIBUTE, PageObserver, PageView, screenshot_array, set_of_marks
from mock_apps.tasks import get_task
from mock_apps.tasks.checks import score_world
from trajectories.app_url import AppUrls

MAX_TABS = 16
MAX_TEXT = 2_000_000
ACTION_TIMEOUT_MS = 5_000
SETTLE_TIMEOUT_S = 15.0
QUIET_S = 0.1  # no request in flight for this long: the page has done what the action started
# the start pages are the environment's to open, not an agent's action: on a machine busy with many episodes they
# may take far longer than an action may
START_TIMEOUT_MS = 60_000


class AnyText(spaces.Text):
    """Any Unicode string up to max_length (Gymnasium's Text only admits its sampling alphabet)."""

    def contains(self, x: Any) -> bool:
        """Strings of an admissible length."""
        return isinstance(x, str) and self.min_length <= len(x) <= self.max_length


class AnyValue(spaces.Space):
    """A JSON-like value without a fixed shape (per-element properties keyed by element id)."""

    def __init__(self):
        super().__init__(shape=None, dtype=None)

    def contains(self, x: Any) -> bool:
        """Any dict."""
        return isinstance(x, dict)

    def sample(self, mask=None, probability=None):
        """An empty mapping."""
        return {}

    @property
    def is_np_flattenable(self) -> bool:
        """Not flattenable."""
        return False


def _text(max_length: int = MAX_TEXT) -> AnyText:
    return AnyText(max_length=max_length, min_length=0)


class MockAppsEnv(gymnasium.Env):
    """A browser environment over the mock apps for one task (see the module docstring)."""

    metadata = {"render_modes": ["rgb_array"]}

    def __init__(self, task_id: str, *, sandbox=None, headless: bool = True, screenshot: bool = False,
                 record_dir: Path | str | None = None, max_steps: int = 50, browser=None,
                 set_of_marks: bool = False, viewport: tuple[int, int] = (1400, 900), render_mode: str | None = None,
                 record_screenshots: bool = True, data_dir: Path | str | None = None):
        self.task = get_task(task_id)
        if max_steps < 1:
            raise ValueError("max_steps must be at least 1")
        self.max_steps = max_steps
        self.headless = headless
        self.screenshot = screenshot or set_of_marks
        self.set_of_marks = set_of_marks
        self.record_dir = Path(record_dir) if record_dir is not None else None
        self.record_screenshots = record_screenshots
        self.viewport = {"width": viewport[0], "height": viewport[1]}
        self.render_mode = render_mode
        self._data_dir = Path(data_dir) if data_dir is not None else None
        self._sandbox, self._owns_sandbox = sandbox, sandbox is None
        self._browser, self._owns_browser = browser, browser is None
        self._playwright = None
        self._tmp: Path | None = None
        self._downloads_dir: Path | None = None
        self.world_id: str | None = None
        self.context = None
        self.pages: list = []
        self.active = 0
        self.chat: list[dict] = []
        self.steps_taken = 0
        self.done = False
        self.server_errors: list[str] = []  # responses >= 500 the apps gave this episode (must stay empty)
        self.downloads: list[str] = []
        self.dialogs: list[str] = []  # dialogs the pages opened this episode (accepted)
        self.recorder = None
        self.trajectory_dir: Path | None = None
        self.episodes = 0
        self._final_info: dict = {}
        self._inflight: set = set()
        self._network_at = 0.0  # when a request last started or ended
        self._pending_downloads: list = []
        self._last_view: PageView | None = None
        self._tab = None  # a kept context's tab that goes on to the next episode
        self._visited: set = set()  # origins the kept context has requested since its storage was last cleared
        self._history = None  # the CDP session of that tab (storage and history clearing)
        self._captured = False  # a recorder's capture script is in the context
        self._ended = False  # end_episode() left the context blank and scrubbed, the world deleted
        self._token = secrets.token_hex(3)
        self.observation_space = self._observation_space()
        self.action_space = _text(20_000)

    # -- spaces ------------------------------------------------------------------------------------

    def _observation_space(self) -> spaces.Dict:
        chat_message = spaces.Dict({"role": _text(64), "message": _text()})
        fields = {
            "goal": _text(), "chat_messages": spaces.Sequence(chat_message), "url": _text(8192),
            "open_pages_urls": spaces.Sequence(_text(8192)), "active_page_index": spaces.Discrete(MAX_TABS),
            "axtree": _text(), "elements": AnyValue(), "focused_element_id": _text(64), "last_action": _text(),
            "last_action_error": _text(), "downloads": spaces.Sequence(_text(4096)),
        }
        shape = (self.viewport["height"], self.viewport["width"], 3)
        if self.screenshot:
            fields["screenshot"] = spaces.Box(0, 255, shape, np.uint8)
        if self.set_of_marks:
            fields["set_of_marks"] = spaces.Box(0, 255, shape, np.uint8)
        return spaces.Dict(fields)

    # -- what the environment owns -----------------------------------------------------------------

    def _ensure_started(self) -> None:
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="mockapps-env-"))
            self._downloads_dir = self._tmp / "downloads"
            self._downloads_dir.mkdir()
        if self._sandbox is None:
            from mock_apps.core.server import Sandbox

            data_dir = self._data_dir or self._tmp / "data"
            self._sandbox = Sandbox(replace(Settings(), data_dir=data_dir, host="127.0.0.1", control_token=None),
                                    ephemeral=True).start()
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            from mock_apps.core import browser as chromium

            self._playwright = sync_playwright().start()
            self._browser = chromium.launch(self._playwright, headless=self.headless)
        self.app_urls = {app: self._sandbox.url(app) for app in APP_NAMES}
        self.urls = AppUrls(self.app_urls)
        self.control = None

    @property
    def sandbox(self):
        """The sandbox this environment talks to (started on the first reset when it owns it)."""
        return self._sandbox

    def _registry(self):
        from mock_apps.core.world import WorldRegistry

        return WorldRegistry.for_settings(self._sandbox.settings)

    # -- episodes ----------------------------------------------------------------------------------

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        """Start an episode in a fresh world; options: agent (the trainer name of a recording), record_dir, task
        (another task's id: this environment goes on with that task, keeping its browser context and world)."""
        super().reset(seed=seed)
        options = dict(options or {})
        if options.get("task") and options["task"] != self.task.id:
            self.task = get_task(options["task"])  # an unknown id raises before anything of this env changes
        self._ensure_started()
        trainer = options.get("agent") or options.get("trainer") or "agent"
        self.episodes += 1
        out = options.get("record_dir") or self._default_record_dir()
        self.trajectory_dir = Path(out) if out else None
        # the context is kept for the next episode (scrubbed: a new context costs ~300 ms of browser CPU and new
        # renderer processes), unless a recorder was in it and this episode is not recorded: a recorder's
        # capture script cannot be taken out of a context, and without a recorder it would report nowhere
        if not self._ended:
            self._end_episode(status="abandoned",
                              keep_context=self.trajectory_dir is not None or not self._captured)
        # one world per environment (unique among live worlds by its token), reset in place each episode: the
        # apps keep their connections to it and the statements compiled for them, where a new world cost each
        # app's first page four times its usual time (SQLAlchemy caches compiled SQL per engine)
        self.world_id = self.world_id or f"ep{os.getpid()}-{self._token}"
        self._registry().reset(self.world_id, self.task.scenario)
        self.control = ControlClient(self.app_urls, self.world_id, token=self._sandbox.settings.control_token)
        self.chat = [{"role": "user", "message": self.task.instruction.strip()}]
        self.steps_taken, self.done, self._final_info = 0, False, {}
        self.server_errors, self.downloads, self.active, self.dialogs = [], [], 0, []
        self._inflight, self._pending_downloads = set(), []  # after the old pages are gone: nothing of theirs
        for leftover in self._downloads_dir.iterdir():
            leftover.unlink()
        if self.context is None:
            self._new_context()
        elif not self._ended:
            self._scrub_context()
        self._ended = False
        self.observer = PageObserver(self.app_urls)
        if self.trajectory_dir is not None:
            from recorder.session import begin

            self._captured = True
            self.recorder = begin(self.context, self.trajectory_dir, self.app_urls, self.world_id,
                                  scenario=self.task.scenario, task=self.task.id, trainer=str(trainer),
                                  start_pages=tuple(self.task.start_pages), shots=self.record_screenshots,
                                  control_token=self._sandbox.settings.control_token, reset=False)
        else:
            self.context.add_cookies(self._cookies())
            for i, url in enumerate(self.task.start_pages):
                page = self.pages[i] if i < len(self.pages) else self.context.new_page()
                page.goto(self.urls.absolute(url), timeout=START_TIMEOUT_MS)
        if not self.pages:
            self.context.new_page()  # a task without start pages starts on a blank tab
        if self._history is not None:
            # the kept tab's back button must not lead into the previous episode
            self._history.send("Page.resetNavigationHistory")
        self.active = 0
        self.pages[0].bring_to_front()
        # the start pages are loaded (goto waits for their load event) and fetch nothing on their own: only
        # requests still in flight are waited for, no quiet period
        self._settle(quiet=0.0)
        if self.recorder is not None:
            self.recorder.tick(quiet=0.0)  # the start page's step is observed like every other
        info = {"task_id": self.task.id, "world_id": self.world_id,
                "trajectory_dir": str(self.trajectory_dir) if self.trajectory_dir else None}
        return self._observe("", None), info

    def end_episode(self) -> None:
        """End the episode now rather than at the next reset: a recording in progress is kept as abandoned, the
        pages are unloaded, the context is cleared as a new one is (cookies, storage) and the world is deleted.
        The next reset then only resets a world and opens the start pages: a rollout server calls this when a
        rollout ends, so the next rollout's reset does not wait for the last one's cleanup."""
        if self.context is None or self._ended:
            return
        # the context is kept unless a recorder's capture script is in it (the next episode may be unrecorded)
        self._end_episode(status="abandoned", keep_context=not self._captured, delete_world=True)
        if self.context is not None:
            try:
                self._scrub_context()
            except Exception:  # the browser refused: the next reset gets a new context
                self._close_context()
                return
            self._ended = True

    def _new_context(self) -> None:
        """A new browser context for the episode, guarded and watched (its pages, requests and responses)."""
        self.pages = []
        self.context = self._browser.new_context(viewport=self.viewport, accept_downloads=True)
        self.context.set_default_timeout(ACTION_TIMEOUT_MS)
        self._guard(self.context)
        self.context.on("page", self._on_page)
        self.context.on("request", lambda request: self._network(request, True))
        self.context.on("requestfinished", lambda request: self._network(request, False))
        self.context.on("requestfailed", lambda request: self._network(request, False))
        self.context.on("response", self._on_response)
        self._visited = set()
        self._captured = False  # no recorder's capture script in it yet
        # the tab that goes on from episode to episode, and its CDP session (storage and history clearing)
        self._tab = self.context.new_page()
        self._history = self.context.new_cdp_session(self._tab)

    def _scrub_context(self) -> None:
        """Make the kept context as a new one is: no cookies, no storage of any origin it has requested (local,
        session, IndexedDB, caches), one blank tab (the others were closed when the last episode ended); its
        history is cleared once the start page is in it."""
        self.context.clear_cookies()
        for origin in sorted(self._visited - {None}):
            self._history.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        self._visited = set()
        self._tab.mouse.move(0, 0)  # where a new tab's pointer is: no hover left over

    def _default_record_dir(self) -> Path | None:
        if self.record_dir is None:
            return None
        if self.episodes == 1:
            return self.record_dir
        return self.record_dir.with_name(f"{self.record_dir.name}-{self.episodes}")

    def _cookies(self) -> list[dict]:
        return [{"name": "mockworld", "value": self.world_id, "url": url} for url in self.app_urls.values()]

    def _guard(self, context) -> None:
        """Agents reach the apps only: never the control API, nor the portal (it manages worlds).

        What the deployment does not refuse itself is refused in the browser: the control API unless it needs a
        token (which the browser never has), the portal if it is served. A route makes Playwright pause every
        request of the context (a round trip to its driver each, a fifth of a page load's CPU) and disable the
        browser's cache; without one, `Cache-Control: no-cache` on every request keeps what the cache changes
        for an agent (a page gone back to is fetched again, not shown as it was) the same as under a route."""
        settings = self._sandbox.settings
        portal = self._sandbox.url("portal") if "portal" in self._sandbox.names else None

        def refuse(route) -> None:
            route.abort("blockedbyclient")

        if not settings.control_token:
            context.route(re.compile(r"^https?://[^/]+/_control(/|$)"), refuse)
        if portal:
            context.route(re.compile("^" + re.escape(portal) + "(/|$)"), refuse)
        if settings.control_token and not portal:
            context.set_extra_http_headers({"Cache-Control": "no-cache"})

    def _on_page(self, page) -> None:
        # bookkeeping only: Playwright delivers this while a call of ours waits
        self.pages.append(page)
        self.active = len(self.pages) - 1  # a new tab (or a popup) takes the focus, as in a browser
        page.on("download", lambda download: self._pending_downloads.append(download))
        page.on("close", self._on_close)
        # a confirm() after the agent's click is the agent's to answer as a person would: it clicked to do it
        page.on("dialog", lambda dialog: self._on_dialog(dialog))

    def _network(self, request, started: bool) -> None:
        if started:
            self._inflight.add(request)
            # an origin can only have stored something in the context after a request to it
            self._visited.add(_origin(request.url))
        else:
            self._inflight.discard(request)
        self._network_at = time.monotonic()

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.accept()

    def _on_close(self, page) -> None:
        if page in self.pages:
            index = self.pages.index(page)
            self.pages.remove(page)
            if self.active >= index:
                self.active = max(0, self.active - 1)

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} "
                                      f"{self.urls.relative(response.url)}")

    @property
    def page(self):
        """The active tab."""
        return self.pages[self.active]

    # -- steps -------------------------------------------------------------------------------------

    def step(self, action: str):
        """Perform one action text; return (observation, reward, terminated, truncated, info)."""
        if self.context is None or self._ended:
            raise gymnasium.error.ResetNeeded("call reset() before step()")
        if self.done:
            return (self._observe(str(action), "the episode has ended; call reset() to start another"), 0.0,
                    True, False, dict(self._final_info))
        self.steps_taken += 1
        error, parsed = None, None
        try:
            parsed = parse_action(action)
            self._perform(parsed)
        except ActionError as problem:
            error = problem.message
        except Exception as problem:  # Playwright's errors: the page refused the action
            error = _playwright_message(problem)
        if parsed is None or not parsed.ends_episode:
            self._settle()
        if self.recorder is not None:
            # the page has settled: the step it recorded is observed now (screenshot, accessibility snapshot),
            # not after the recorder's quiet time, which an agent's next action would always cut short
            self.recorder.tick(quiet=0.0)
        terminated = parsed is not None and parsed.ends_episode and error is None
        truncated = not terminated and self.steps_taken >= self.max_steps
        reward, info = 0.0, {"steps": self.steps_taken}
        if terminated or truncated:
            reward, info = self._finish(truncated)
        observation = self._observe(action if isinstance(action, str) else repr(action), error)
        return observation, reward, terminated, truncated, info

    def _element(self, element_id: str):
        locator = self.page.locator(f'[{ID_ATTRIBUTE}="{element_id}"]')
        if locator.count() == 0:
            raise ActionError(f"unknown element id {element_id!r}: nothing on the current page "
                              f"({self.urls.relative(self.page.url)}) has it; use an id from the latest axtree")
        return locator.first

    def _perform(self, action: Action) -> None:
        name, args = action.name, action.args
        elements = [self._element(i) for i in action.element_ids()]  # all resolved before anything is done
        target = elements[0] if elements else None
        if name == "click":
            target.click(button=args["button"])
        elif name == "dblclick":
            target.dblclick()
        elif name == "fill":
            target.fill(args["text"])
        elif name == "press":
            target.press(args["key"])
        elif name == "keyboard_press":
            self.page.keyboard.press(args["key"])
        elif name == "keyboard_type":
            self.page.keyboard.type(args["text"])
        elif name == "select_option":
            self._select(target, args["element"], args["options"])
        elif name == "check":
            target.check()
        elif name == "uncheck":
            target.uncheck()
        elif name == "hover":
            target.hover()
        elif name == "drag_and_drop":
            target.drag_to(elements[1])
        elif name == "upload_file":
            paths = [args["paths"]] if isinstance(args["paths"], str) else args["paths"]
            missing = [p for p in paths if not Path(p).is_file()]
            if missing:
                raise ActionError(f"upload_file: no such file {missing[0]!r}" +
                                  (f"; downloads are {', '.join(self.downloads)}" if self.downloads else ""))
            kind = target.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
            if kind != "input:file":
                raise ActionError(f"upload_file: element {args['element']!r} is not a file input ({kind})")
            target.set_input_files(paths)
        elif name == "scroll":
            self.page.mouse.move(self.viewport["width"] / 2, self.viewport["height"] / 2)
            self.page.mouse.wheel(args["dx"], args["dy"])
        elif name == "goto":
            self._goto(args["url"])
        elif name == "go_back":
            if self.page.go_back() is None:
                raise ActionError("go_back: this tab has no earlier page")
        elif name == "go_forward":
            if self.page.go_forward() is None:
                raise ActionError("go_forward: this tab has no later page")
        elif name == "new_tab":
            if len(self.pages) >= MAX_TABS:
                raise ActionError(f"new_tab: at most {MAX_TABS} tabs may be open; close one first")
            self.context.new_page()
        elif name == "tab_focus":
            index = args["index"]
            if not 0 <= index < len(self.pages):
                raise ActionError(f"tab_focus: no tab {index}; open tabs are 0 to {len(self.pages) - 1}")
            self.active = index
            self.page.bring_to_front()
        elif name == "tab_close":
            self.page.close()
            if not self.pages:
                self.context.new_page()
            self.page.bring_to_front()
        elif name == "send_msg_to_user":
            self.chat.append({"role": "assistant", "message": args["text"]})
        elif name == "report_infeasible":
            self.chat.append({"role": "infeasible", "message": args["reason"]})
        elif name == "noop":
            if args["wait_ms"]:
                self.page.wait_for_timeout(args["wait_ms"])
        else:  # pragma: no cover - SPECS and this dispatch are kept in step
            raise ActionError(f"{name} is not implemented")

    def _select(self, target, element_id: str, wanted) -> None:
        options = target.evaluate("el => el.tagName === 'SELECT' ? [...el.options].map(o => [o.value, o.label]) "
                                  ": el.tagName.toLowerCase()")
        if isinstance(options, str):
            raise ActionError(f"select_option: element {element_id!r} is a <{options}>, not a <select>")
        values = []
        for choice in [wanted] if isinstance(wanted, str) else wanted:
            match = next((v for v, label in options if label.strip() == choice.strip()), None)
            match = match if match is not None else next((v for v, _ in options if v == choice), None)
            if match is None:
                shown = ", ".join(repr(label) for _, label in options[:30])
                raise ActionError(f"select_option: {element_id!r} has no option {choice!r}; options: {shown}")
            values.append(match)
        target.select_option(values)

    def _goto(self, url: str) -> None:
        if url != "about:blank":
            try:
                absolute = self.urls.absolute(url)
            except Exception:
                absolute = None
            if absolute is None or self.urls.app_of(absolute) is None:
                raise ActionError(f"goto: {url!r} is not a page of the apps; use an app-relative URL such as "
                                  f"\"mail:/\" (apps: {', '.join(APP_NAMES)}) or an app's absolute URL")
            if re.match(r"^https?://[^/]+/_control(/|$)", absolute):
                raise ActionError("goto: the control API is not for agents")
            url = absolute
        if self.recorder is not None and url != "about:blank":
            self.recorder.navigate(self.page, self.urls.relative(url))
        else:
            self.page.goto(url)

    def _settle(self, quiet: float = QUIET_S) -> None:
        """Wait until the active page has loaded and no request has been in flight for `quiet` seconds (counted
        from the end of the action or the last request, whichever is later)."""
        self._network_at = max(self._network_at, time.monotonic())
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        while time.monotonic() < deadline:
            if not self.pages:
                return
            page = self.page
            try:
                page.wait_for_load_state("load", timeout=max(1, (deadline - time.monotonic()) * 1000))
            except Exception:
                continue  # navigating or closing: look again
            idle = time.monotonic() - self._network_at
            if not self._inflight and idle >= quiet:
                break
            try:  # Playwright delivers its request events while we wait
                page.wait_for_timeout(25 if self._inflight else max(10, (quiet - idle) * 1000))
            except Exception:
                pass
        self._save_downloads()

    def _save_downloads(self) -> None:
        while self._pending_downloads:
            download = self._pending_downloads.pop(0)
            name = Path(download.suggested_filename).name or "download"
            target = self._downloads_dir / name
            stem, suffix, n = target.stem, target.suffix, 1
            while target.exists():
                n += 1
                target = self._downloads_dir / f"{stem} ({n}){suffix}"
            try:
                download.save_as(target)
                self.downloads.append(str(target))
            except Exception:
                pass  # a cancelled download leaves nothing to save

    # -- ending ------------------------------------------------------------------------------------

    def _finish(self, truncated: bool) -> tuple[float, dict]:
        """Score the world, close the recording; the reward and the info of the last step."""
        self.done = True
        answer = self.final_answer
        if self.recorder is not None:
            from recorder.session import score_recording

            self.recorder.settle()
            self.recorder.meta.final_answer = answer
            _, result = score_recording(self.recorder, self.task)
            self._write_chat()
            self.recorder.stop(status="complete", observe=False)
            self._detach_recorder()
        else:
            result = score_world(self.task, self.control, answer=answer)
        self._final_info = result.outcome() | {
            "steps": self.steps_taken, "truncated": truncated, "server_errors": list(self.server_errors)}
        return float(result.score), dict(self._final_info)

    @property
    def final_answer(self) -> str | None:
        """What the agent told the user last (send_msg_to_user): answer checkpoints compare it."""
        said = [m["message"] for m in self.chat if m["role"] == "assistant"]
        return said[-1] if said else None

    def _write_chat(self) -> None:
        (self.trajectory_dir / "chat.json").write_text(json.dumps(self.chat, indent=2, ensure_ascii=False))

    def _end_episode(self, status: str, keep_context: bool = False, delete_world: bool = False) -> None:
        """End the episode: an unfinished recording is kept, marked, and its recorder detached; the context is
        blanked to be kept when keep_context, else closed; with delete_world, the world is deleted."""
        if self.recorder is not None:
            try:
                self._write_chat()
                self.recorder.stop(status=status, observe=False)
            except Exception:
                pass  # the browser may be gone; the steps on disk stand
            self._detach_recorder()
        if self.context is not None and keep_context and self._history is not None:
            try:
                self._blank_context()
            except Exception:
                keep_context = False  # the browser refused: the next episode gets a new context
        if self.context is not None and not (keep_context and self._history is not None):
            self._close_context()
        if delete_world and self.world_id is not None and self._sandbox is not None:
            try:
                self._registry().delete(self.world_id)
            except Exception:
                pass
            self.world_id = None

    def _close_context(self) -> None:
        try:
            if self.context is not None:
                self.context.close()
        except Exception:
            pass
        self.context, self._tab, self._history = None, None, None
        self.pages = []

    def _detach_recorder(self) -> None:
        try:
            self.recorder.detach()
        except Exception:  # its listeners may be left behind: this context goes, the next episode gets a new one
            self._close_context()
        self.recorder = None

    def _blank_context(self) -> None:
        """Close every tab but one and unload its page (about:blank): nothing of the episode runs on."""
        kept = self._tab if self._tab in self.context.pages else None
        for page in list(self.context.pages):
            if kept is None:
                kept = page
            elif page is not kept:
                page.close()
        if kept is None:
            kept = self.context.new_page()
        if kept is not self._tab:  # the agent closed the tab that had the session
            self._tab, self._history = kept, self.context.new_cdp_session(kept)
        kept.goto("about:blank")
        self.pages = [kept]

    # -- observing ---------------------------------------------------------------------------------

    def _observe(self, last_action: str, error: str | None) -> dict:
        page = self.page
        try:
            view = self.observer.observe(page)
        except Exception:  # the page is mid-navigation: settle and look again once
            self._settle()
            page = self.page
            view = self.observer.observe(page)
        self._last_view = view
        if self.world_id:
            view = _mask(view, self.world_id)
        observation = {
            "goal": self.task.instruction.strip(),
            "chat_messages": tuple(dict(m) for m in self.chat),
            "url": page.url,
            "open_pages_urls": tuple(p.url for p in self.pages),
            "active_page_index": self.active,
            "axtree": view.axtree,
            "elements": {k: dict(v) for k, v in view.elements.items()},
            "focused_element_id": view.focused or "",
            "last_action": last_action,
            "last_action_error": error or "",
            "downloads": tuple(self.downloads),
        }
        if self.screenshot:
            image = screenshot_array(page)
            observation["screenshot"] = image
            if self.set_of_marks:
                observation["set_of_marks"] = set_of_marks(image, view)
        return observation

    def render(self):
        """The active page as an RGB array (render_mode "rgb_array")."""
        if self.context is None or not self.pages:
            return None
        return screenshot_array(self.page)

    def close(self) -> None:
        """End the episode and stop what this environment started (browser, Playwright, sandbox, temp files)."""
        self._end_episode(status="abandoned", delete_world=True)
        if self._owns_browser and self._browser is not None:
            try:
                self._browser.close()
            except Exception:
                pass
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None
        if self._owns_sandbox and self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        super().close()


WORLD_MASK = "episode"


def _mask(view: PageView, world_id: str) -> PageView:
    """The view with the episode's world id (which the apps' shell shows) replaced by a constant, so that
    observations of equal states are equal from one episode to the next."""
    if world_id not in view.axtree:
        return view
    for element in view.elements.values():
        for key in ("name", "text", "label"):
            if element.get(key) and world_id in element[key]:
                element[key] = element[key].replace(world_id, WORLD_MASK)
    return PageView(axtree=view.axtree.replace(world_id, WORLD_MASK), elements=view.elements,
                    focused=view.focused, scroll=view.scroll)


def _origin(url: str) -> str | None:
    """scheme://host:port of an http(s) URL (None for data:, about: and the like, which store nothing)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def _playwright_message(error: Exception) -> str:
    """The first meaningful line of a Playwright error (no call log, no stack)."""
    text = str(error).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    first = re.sub(r"^(Locator|Page|Keyboard|Mouse)\.\w+: ", "", first)
    if "Timeout" in first and "exceeded" in first:
        detail = next((line.strip(" -") for line in text.splitlines()[1:] if "element is" in line
                       or "not visible" in line or "not enabled" in line or "intercepts" in line), None)
        first = f"the element did not become actionable in {ACTION_TIMEOUT_MS / 1000:g} s" + \
                (f" ({detail})" if detail else "")
    return first
