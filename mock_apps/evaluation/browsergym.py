"""Our tasks as BrowserGym tasks, so that agents built on BrowserGym / AgentLab run on them unchanged.

Needs the `browsergym` extra and browsergym-core installed without its Playwright pin (`make install` does
both; see docs/EVALUATION.md). Importing this module registers `browsergym/mockapps.<task id>` for every task
(as `register_browsergym_tasks()` does) and starts nothing::

    import gymnasium
    import mock_apps.evaluation.browsergym  # noqa: F401
    env = gymnasium.make("browsergym/mockapps.announce-lunch-in-general", task_kwargs={"sandbox": sandbox})
    observation, info = env.reset(seed=0)
    observation, reward, terminated, truncated, info = env.step('click("a51")')

The environment is BrowserGym's own `BrowserEnv` with its observation (AXTree, DOM, extra element properties,
screenshot, bids) and action set; only the task is ours. Each episode (`setup`) resets a fresh world for the
task, blocks the control API and the portal for the agent, sets the world cookie and opens the task's start
pages; `validate` scores the world with the task's checks (the final answer is the agent's last message to the
user) and ends the episode when the agent has messaged the user or reported the task infeasible, or when every
check passes, with reward 1.0 for a passed task and 0 otherwise (BrowserGym's and AgentLab's success reward;
the task's partial credit is `info["task_info"]["score"]`, beside its checks and collateral damage);
`teardown` deletes the world.

Where the apps run (task_kwargs): `sandbox` (a running `mock_apps.core.server.Sandbox`), or `app_urls` (each
app's base URL on a running deployment, with `control_token` when its control API needs one); without either,
a sandbox this process starts on first use (ephemeral ports, $MOCKAPPS_DATA) and stops at exit.

BrowserGym launches two Chromiums through its global Playwright (the page browser and its chat window), the
chat one with no way to pass an executable. So each task routes BrowserGym's global Playwright through
`use_playwright()`, whose `chromium.launch` fills in the project's Chromium and flags (`mock_apps.core.browser`)
unless the caller gave them (e.g. BrowserEnv's `pw_chromium_kwargs={"executable_path": ...}`).
"""

from __future__ import annotations

import atexit
import re
import secrets
import threading
from dataclasses import replace
from typing import ClassVar

try:
    import browsergym.core
    from browsergym.core.registration import register_task
    from browsergym.core.task import AbstractBrowserTask
except ImportError as missing:  # an optional extra: say how to get it
    raise ImportError("BrowserGym compatibility needs browsergym-core: run `make install` (it installs "
                      "browsergym-core==0.14.3 without its Playwright pin and the `browsergym` extra)") from missing

from mock_apps.core.browser import launch_args
from mock_apps.core.control_client import ControlClient
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.tasks import Task, all_tasks, get_task
from mock_apps.tasks.checks import Score, score_world
from trajectories.app_url import AppUrls

NAMESPACE = "mockapps"
VIEWPORT = {"width": 1400, "height": 900}  # the size our own environment and the recorder use
CONTROL_PATH = re.compile(r"^https?://[^/]+/_control(/|$)")
ENDING_ROLES = ("assistant", "infeasible")  # the agent's send_msg_to_user and report_infeasible


def gym_id(task_id: str) -> str:
    """The Gymnasium id BrowserGym gives a task of ours."""
    return f"browsergym/{NAMESPACE}.{task_id}"


# -- Playwright: BrowserGym's launches on our Chromium ----------------------------------------------------


class _ProjectChromium:
    """A Playwright BrowserType whose `launch` defaults to the project's Chromium and flags."""

    def __init__(self, browser_type):
        self.browser_type = browser_type

    def launch(self, **kwargs):
        """Launch with the caller's arguments; executable and flags from `launch_args` where not given."""
        ours = launch_args(headless=kwargs.pop("headless", None))
        kwargs.setdefault("executable_path", ours["executable_path"])
        kwargs["args"] = [*ours["args"], *(a for a in kwargs.get("args") or () if a not in ours["args"])]
        return self.browser_type.launch(headless=ours["headless"], **kwargs)

    def __getattr__(self, name):
        return getattr(self.browser_type, name)


class ProjectPlaywright:
    """A sync Playwright whose `chromium` launches the project's Chromium; everything else is Playwright's."""

    def __init__(self, playwright):
        self.playwright = playwright
        self.chromium = _ProjectChromium(playwright.chromium)

    def __getattr__(self, name):
        return getattr(self.playwright, name)


def use_playwright(playwright=None) -> ProjectPlaywright:
    """Make BrowserGym launch its browsers on the project's Chromium through `playwright` (default: the
    Playwright BrowserGym already has, else one it starts); pass the Playwright of a thread that runs one."""
    current = browsergym.core._PLAYWRIGHT
    if playwright is None:
        if isinstance(current, ProjectPlaywright):
            return current
        playwright = current or browsergym.core._get_global_playwright()
    if isinstance(playwright, ProjectPlaywright):
        wrapped = playwright
    elif isinstance(current, ProjectPlaywright) and current.playwright is playwright:
        wrapped = current
    else:
        wrapped = ProjectPlaywright(playwright)
    browsergym.core._set_global_playwright(wrapped)
    return wrapped


# -- where the apps run ----------------------------------------------------------------------------------

_owned_sandbox = None
_owned_lock = threading.Lock()


def owned_sandbox():
    """The sandbox this process started for BrowserGym tasks (started on first use, stopped at exit)."""
    global _owned_sandbox
    with _owned_lock:
        if _owned_sandbox is None:
            from mock_apps.core.server import Sandbox

            _owned_sandbox = Sandbox(replace(Settings(), host="127.0.0.1", control_token=None),
                                     ephemeral=True).start()
            atexit.register(_stop_owned_sandbox)
        return _owned_sandbox


def _stop_owned_sandbox() -> None:
    global _owned_sandbox
    with _owned_lock:
        if _owned_sandbox is not None:
            _owned_sandbox.stop()
            _owned_sandbox = None


def _deployment(sandbox, app_urls: dict[str, str] | None, control_token: str | None) -> tuple[dict, str | None]:
    """Each app's base URL and the control token, from a sandbox, explicit URLs, or the owned sandbox."""
    if sandbox is not None and app_urls is not None:
        raise ValueError("give the task either sandbox or app_urls, not both")
    if app_urls is not None:
        missing = [app for app in APP_NAMES if app not in app_urls]
        if missing:
            raise ValueError(f"app_urls lacks {', '.join(missing)}; give the base URL of each of "
                             f"{', '.join(APP_NAMES)}")
        return {app: app_urls[app].rstrip("/") for app in APP_NAMES}, control_token
    sandbox = sandbox or owned_sandbox()
    return {app: sandbox.url(app) for app in APP_NAMES}, control_token or sandbox.settings.control_token


# -- the chat ----------------------------------------------------------------------------------------------


def agent_messages(chat_messages: list[dict]) -> list[dict]:
    """The agent's messages (to the user, or infeasibility reports) after the task's goal: BrowserGym's chat
    opens with a greeting of its own in the assistant's name, which is not the agent's."""
    goal_at = next((i for i, m in enumerate(chat_messages) if m.get("role") == "user"), len(chat_messages))
    return [m for m in chat_messages[goal_at + 1:] if m.get("role") in ENDING_ROLES]


def final_answer(chat_messages: list[dict]) -> str | None:
    """The agent's last message to the user (what answer checkpoints compare), or None."""
    said = [m["message"] for m in agent_messages(chat_messages) if m["role"] == "assistant"]
    return said[-1] if said else None


# -- the task ----------------------------------------------------------------------------------------------


class MockAppsBrowserTask(AbstractBrowserTask):
    """One of our tasks for BrowserGym's BrowserEnv; `task_class(task_id)` makes the subclass of a task id."""

    task_id: ClassVar[str] = ""

    @classmethod
    def get_task_id(cls) -> str:
        """BrowserGym's name of the task (without the `browsergym/` prefix)."""
        return f"{NAMESPACE}.{cls.task_id}"

    def __init__(self, seed: int | None = None, sandbox=None, app_urls: dict[str, str] | None = None,
                 control_token: str | None = None, start_pages: list[str] | None = None) -> None:
        super().__init__(seed)
        self.task: Task = get_task(self.task_id)
        self.viewport = dict(VIEWPORT)
        self.slow_mo = 0  # BrowserGym's default (1 s after every Playwright call) is for watching, not running
        self._sandbox, self._app_urls, self._control_token = sandbox, app_urls, control_token
        self.start_pages = list(start_pages or self.task.start_pages)
        self.world_id: str | None = None
        self.control: ControlClient | None = None
        self._scored: tuple | None = None  # (change seq, agent messages) the cached score was taken at
        self._score: Score | None = None
        # BrowserEnv.reset launches its browsers right after making the task: route them to our Chromium
        use_playwright()

    def setup(self, page) -> tuple[str, dict]:
        """Reset a fresh world, let the page's context into it (cookie) and out of the control API, and open
        the task's start pages; return the goal and info (task id, world id)."""
        app_urls, token = _deployment(self._sandbox, self._app_urls, self._control_token)
        urls = AppUrls(app_urls)
        starts = [urls.absolute(url) for url in self.start_pages]  # a bad start page fails before any world
        # unique among live worlds; the seed's draw keeps seeded episodes apart in logs
        self.world_id = f"bg-{secrets.token_hex(3)}-{self.random.randint(0, 2**31 - 1):08x}"
        self.control = ControlClient(app_urls, self.world_id, token=token)
        self.control.reset(self.task.scenario)
        self._scored, self._score = None, None
        context = page.context
        _keep_out_of_control(context, app_urls, self._sandbox)
        context.add_cookies([{"name": "mockworld", "value": self.world_id, "url": url} for url in app_urls.values()])
        for index, url in enumerate(starts):
            (page if index == 0 else context.new_page()).goto(url)
        if len(starts) > 1:  # BrowserEnv follows the page that last fired focus/load: the first tab is the one
            page.bring_to_front()
            page.evaluate("() => window.browsergym_page_activated && window.browsergym_page_activated()")
        return self.task.instruction.strip(), {"task_id": self.task.id, "world_id": self.world_id}

    def validate(self, page, chat_messages: list[dict]) -> tuple[float, bool, str, dict]:
        """Score the world with the task's checks: (reward, done, message to the user, info). Done when the
        agent messaged the user or reported infeasible, or when every check passes. The reward is 1.0 when done
        with every check passed, else 0: AgentLab reads the reward as success (partial credit would count a
        do-nothing run as a partial success), so the partial credit and every checkpoint are in info."""
        if self.control is None:
            raise RuntimeError("validate() before setup(): the task has no world yet")
        ended = agent_messages(chat_messages)
        score = self._current_score(ended, final_answer(chat_messages))
        done = bool(ended) or score.passed
        info = score.outcome() | {"task_id": self.task.id, "world_id": self.world_id}
        return (1.0 if done and score.passed else 0.0), done, "", info

    def _current_score(self, ended: list[dict], answer: str | None) -> Score:
        """The task's score, taken again only when the change log or the agent's messages moved (a step that
        changed nothing costs one change-log read, not every app's state)."""
        changes = self.control.changes(self._scored[0] if self._scored else 0)
        seq = changes[-1]["seq"] if changes else (self._scored[0] if self._scored else 0)
        key = (seq, tuple((m["role"], m["message"]) for m in ended))
        if self._score is None or key != self._scored:
            self._score = score_world(self.task, self.control, answer=answer)
            self._scored = key
        return self._score

    def teardown(self) -> None:
        """Delete the episode's world."""
        if self.control is not None:
            try:  # best effort: a world left behind costs disk, not correctness
                self.control.delete()
            except Exception:  # noqa: BLE001 - the deployment may be gone already
                pass
            self.control = None


def _keep_out_of_control(context, app_urls: dict[str, str], sandbox) -> None:
    """The agent's browser reaches the apps only: never their control API, nor the portal (it manages worlds)."""

    def refuse(route) -> None:
        route.abort("blockedbyclient")

    context.route(CONTROL_PATH, refuse)
    portal = sandbox.url("portal") if sandbox is not None and "portal" in sandbox.names else None
    if portal:
        context.route(re.compile("^" + re.escape(portal) + "(/|$)"), refuse)


_task_classes: dict[str, type[MockAppsBrowserTask]] = {}


def task_class(task_id: str) -> type[MockAppsBrowserTask]:
    """The BrowserGym task class of one of our tasks (an unknown id raises TaskError with a suggestion)."""
    task = get_task(task_id)
    if task.id not in _task_classes:
        name = "MockApps_" + re.sub(r"\W", "_", task.id)
        _task_classes[task.id] = type(name, (MockAppsBrowserTask,), {"task_id": task.id, "__module__": __name__})
    return _task_classes[task.id]


def register_browsergym_tasks() -> list[str]:
    """Register `browsergym/mockapps.<task id>` for every task through BrowserGym's `register_task`
    (idempotent; starts nothing); return the gym ids."""
    import gymnasium

    ids = []
    for task in all_tasks():
        name = gym_id(task.id)
        if name not in gymnasium.registry:
            register_task(f"{NAMESPACE}.{task.id}", task_class(task.id))
        ids.append(name)
    return ids


register_browsergym_tasks()
