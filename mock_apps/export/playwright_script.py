"""`playwright`: a Python Playwright test script per trajectory that reproduces it against a running sandbox.

Each script resets a world to the trajectory's scenario and start clock over the control API, sets the world
cookie, performs every step with the recorded selectors (resolved and clicked exactly as replay does: the first
selector matching one visible element), waits after each step for the operations the recording caused, and
finally compares every app's state with the recorded one. It needs only Playwright: the selector resolution, the
click and the state comparison are replay's own functions, copied into the script when it is written.
"""

from __future__ import annotations

import inspect
import re
import shutil
from pathlib import Path

from mock_apps.core.browser import LAUNCH_FLAGS
from mock_apps.core.settings import APP_NAMES, PORT_OFFSETS
from mock_apps.export.format import ExportFormat, Written
from mock_apps.export.source import ExportSource
from recorder import replay
from trajectories.model import Step, Target
from trajectories.store import FILES

HEADER = '''#!/usr/bin/env python3
"""Reproduces trajectory {id}: {what}, {count} steps, recorded by {trainer} in scenario {scenario}.

Exported by `mockapps export --format playwright`. Needs Python 3.10+, Playwright and a running mockapps sandbox:

    pytest {file}
    python {file} [--world ID] [--headed] [--app-url mail=http://127.0.0.1:8001 ...]

Where the apps are: MOCKAPPS_APP_URLS ("mail=http://127.0.0.1:8001,chat=...") or --app-url, else MOCKAPPS_HOST
and MOCKAPPS_BASE_PORT (default 127.0.0.1 and 8000: mail on 8001 ... books on 8004). MOCKAPPS_WORLD (or --world)
is the world to reset and use (default: a new one); MOCKAPPS_CONTROL_TOKEN authorizes the control API;
MOCKAPPS_CHROMIUM is the browser to launch (default: Playwright's Chromium); HEADED=1 shows it.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections import namedtuple
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
RECORDED_STATE = HERE / {state_file!r}
TRAJECTORY_ID = {id!r}
SCENARIO = {scenario!r}
START_CLOCK = {start_clock!r}
VIEWPORT = {viewport!r}
APPS = {apps!r}
PORT_OFFSETS = {port_offsets!r}
LAUNCH_FLAGS = {launch_flags!r}
FIND_TIMEOUT_S = {find_timeout!r}
CHANGES_TIMEOUT_S = {changes_timeout!r}
PASTE_JS = {paste_js!r}

Selector = namedtuple("Selector", "kind value name")
Target = namedtuple("Target", "tag selectors")


class Divergence(AssertionError):
    """The page or the apps did not do what the recording did."""


'''

RUNTIME = '''

def app_urls(explicit: dict | None = None) -> dict:
    """Each app's base URL: explicit ones, else MOCKAPPS_APP_URLS, else MOCKAPPS_HOST and MOCKAPPS_BASE_PORT."""
    if explicit:
        return {app: url.rstrip("/") for app, url in explicit.items()}
    configured = os.environ.get("MOCKAPPS_APP_URLS")
    if configured:
        pairs = (item.split("=", 1) for item in configured.split(",") if item.strip())
        return {app.strip(): url.strip().rstrip("/") for app, url in pairs}
    host = os.environ.get("MOCKAPPS_HOST", "127.0.0.1")
    base = int(os.environ.get("MOCKAPPS_BASE_PORT", "8000"))
    return {app: f"http://{host}:{base + PORT_OFFSETS[app]}" for app in APPS}


def absolute(urls: dict, relative: str) -> str:
    """'mail:/search?q=x' on this deployment."""
    app, sep, rest = relative.partition(":")
    return urls[app] + rest if sep and app in urls and rest.startswith("/") else relative


class Control:
    """The control API of one world (reset, clock, change log, state)."""

    def __init__(self, urls: dict, world: str):
        self.urls, self.world = urls, world
        self.token = os.environ.get("MOCKAPPS_CONTROL_TOKEN")

    def call(self, method: str, path: str, body: dict | None = None, app: str | None = None) -> dict:
        """One control call; its JSON answer."""
        base = self.urls[app or next(a for a in APPS if a in self.urls)]
        request = urllib.request.Request(f"{base}/_control/worlds/{self.world}{path}", method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise SystemExit(f"control API {method} {path}: {error.code} {error.read()[:300]!r}") from None
        except urllib.error.URLError as error:
            raise SystemExit(f"cannot reach {base}: is `mockapps serve` running there? ({error.reason})") from None

    def changes(self, after: int) -> list:
        """Change-log entries after a sequence number."""
        return self.call("GET", f"/changes?after={after}")["changes"]

    def states(self) -> dict:
        """Every app's normalized state."""
        return {app: self.call("GET", "/state", app=app) for app in APPS if app in self.urls}

    def expect(self, after: int, step: int, ops: list) -> int:
        """Wait (briefly) for the operations the step caused when recorded; the newest sequence number."""
        deadline = time.monotonic() + CHANGES_TIMEOUT_S
        entries = self.changes(after)
        while len(entries) < len(ops) and time.monotonic() < deadline:
            time.sleep(0.05)
            entries = self.changes(after)
        done = [f"{e['app']}:{e['op']}" for e in entries]
        if done != ops:
            raise Divergence(f"step {step}: recorded {ops or 'no change'}, the apps did {done or 'nothing'}")
        return entries[-1]["seq"] if entries else after


def page_for(tabs: dict, context, page_id: str):
    """The tab a step happened in (opened now if the recording's tab is not open)."""
    page = tabs.get(page_id)
    if page is None or page.is_closed():
        page = tabs[page_id] = context.new_page()
    return page


def upload(name: str, mime: str, sha256: str) -> dict:
    """A file the trajectory uploaded, from the files/ folder beside this script."""
    return {"name": name, "mimeType": mime, "buffer": (FILES / sha256).read_bytes()}


def recorded_differences(states: dict) -> list:
    """The apps whose final state differs from the recorded one."""
    if not RECORDED_STATE.exists():
        return []  # exported without a recorded final state: only the steps' operations were checked
    opener = gzip.open if RECORDED_STATE.suffix == ".gz" else open
    with opener(RECORDED_STATE, "rt", encoding="utf-8") as handle:
        return state_differences(json.load(handle), states)


def run(urls: dict | None = None, world: str | None = None, headless: bool = True) -> dict:
    """Reset a world, perform every recorded step in Chromium, and return every app's final state."""
    urls = app_urls(urls)
    world = world or os.environ.get("MOCKAPPS_WORLD") or f"export-{int(time.time() * 1000) % 10**9}"
    control = Control(urls, world)
    control.call("POST", "/reset", {"scenario": SCENARIO})
    control.call("PUT", "/clock", {"now": START_CLOCK})
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("MOCKAPPS_CHROMIUM") or None,
                                             headless=headless, args=LAUNCH_FLAGS)
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        context.add_cookies([{"name": "mockworld", "value": world, "url": url} for url in urls.values()])
        tabs: dict = {}
        seq = 0
        try:
            perform(context, tabs, control, urls, seq)
        finally:
            context.close()
            browser.close()
    return control.states()

'''

FOOTER = '''

def {test_name}():
    """The recorded steps reproduce the recorded final state."""
    states = run(headless=not os.environ.get("HEADED"))
    assert recorded_differences(states) == [], "final state differs from the recording"


def main(argv: list | None = None) -> int:
    """Command line: run, compare, print the outcome; exit 0 when reproduced."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", help="world to reset and use (default: MOCKAPPS_WORLD, else a new one)")
    parser.add_argument("--headed", action="store_true", help="show the browser")
    parser.add_argument("--app-url", action="append", default=[], metavar="APP=URL", help="an app's base URL")
    args = parser.parse_args(argv)
    explicit = dict(item.split("=", 1) for item in args.app_url) or None
    try:
        states = run(explicit, args.world, headless=not (args.headed or os.environ.get("HEADED")))
    except Divergence as error:
        print(f"NOT REPRODUCED: {{error}}")
        return 1
    different = recorded_differences(states)
    print("REPRODUCED" if not different else "NOT REPRODUCED: final state differs in " + ", ".join(different))
    return 0 if not different else 1


if __name__ == "__main__":
    sys.exit(main())
'''


def _target(target: Target) -> str:
    selectors = ", ".join(f"Selector({s.kind!r}, {s.value!r}, {s.name!r})" for s in target.selectors)
    return f"Target({target.tag!r}, [{selectors}])"


def _describe(step: Step) -> str:
    target = step.target
    said = (target.name or target.label or target.text or target.tag) if target else ""
    where = f" in {step.app}" if step.app else ""
    return f"step {step.index}{where}: {step.action.type}" + (f" {said[:60]!r}" if said else "")


def _step_lines(step: Step) -> list[str]:
    """The Python lines performing one step (indented for `perform`)."""
    kind, args, page = step.action.type, step.action.args, repr(step.page)
    lines = [f"# {_describe(step)}".replace("\n", " ")]
    if kind == "navigate":
        lines.append(f"page_for(tabs, context, {page}).goto(absolute(urls, {args['url']!r}))")
    elif kind == "tab_open":
        lines.append(f"tabs[{page}] = context.new_page()")
    elif kind == "tab_switch":
        lines.append(f"page_for(tabs, context, {page}).bring_to_front()")
    elif kind == "tab_close":
        lines.append(f"tabs.pop({page}).close()")
    elif kind in ("download", "copy"):
        lines.append("pass  # nothing to do: " + ("the page downloaded by itself" if kind == "download"
                                                  else "the copied text comes back with the paste"))
    elif step.target is None:
        lines.append(f"raise Divergence('step {step.index}: a {kind} step without a target cannot be performed')")
    elif step.target.tag == "body" and kind == "press":
        lines.append(f"page_for(tabs, context, {page}).keyboard.press({args['key']!r})")
    else:
        lines.append(f"page = page_for(tabs, context, {page})")
        lines.append(f"locator, _ = find(page, {_target(step.target)})")
        lines.append(_target_action(step))
    ops = [f"{entry.app}:{entry.op}" for entry in step.changes]
    lines.append(f"seq = control.expect(seq, {step.index}, {ops!r})")
    return lines


def _target_action(step: Step) -> str:
    kind, args = step.action.type, step.action.args
    if kind == "click":
        return f"click_as_recorded(page, context, tabs, locator, {dict(args)!r})"
    if kind == "fill":
        return f"locator.fill({args['value']!r})"
    if kind == "press":
        return f"locator.press({args['key']!r})"
    if kind == "submit":
        return "locator.press('Enter')"
    if kind == "select":
        return f"locator.select_option({list(args['values'])!r})"
    if kind in ("check", "uncheck"):
        return f"locator.set_checked({kind == 'check'})"
    if kind == "paste":
        return f"locator.evaluate(PASTE_JS, {args.get('text', '')!r})"
    if kind == "drag":
        return f"locator.drag_to(find(page, {_target(Target.model_validate(args['to']))})[0])"
    if kind == "upload":
        files = ", ".join(f"upload({f['name']!r}, {(f.get('mime') or 'application/octet-stream')!r}, "
                          f"{f['sha256']!r})" for f in args["files"])
        return f"locator.set_input_files([{files}])"
    raise ValueError(f"no Playwright form for a {kind!r} step")


def script_name(source: ExportSource) -> str:
    """The script's file name: test_<task>_<id>.py (pytest collects it)."""
    return "test_" + re.sub(r"\W", "_", source.slug) + ".py"


def script(source: ExportSource) -> str:
    """The whole Python test script for one trajectory."""
    name = script_name(source)
    meta = source.meta
    header = HEADER.format(
        id=meta.id, what=f"task {meta.task}" if meta.task else "a free session", count=len(source.steps),
        trainer=meta.trainer or "someone", scenario=meta.scenario, file=name,
        state_file=name[:-3] + ".state.json.gz", start_clock=meta.start_clock, viewport=dict(meta.browser.viewport),
        apps=tuple(APP_NAMES), port_offsets={app: PORT_OFFSETS[app] for app in APP_NAMES},
        launch_flags=list(LAUNCH_FLAGS), find_timeout=replay.FIND_TIMEOUT_S,
        changes_timeout=replay.CHANGES_TIMEOUT_S, paste_js=replay.PASTE_JS)
    # replay's own selector resolution, click and state comparison, so the script does what replay does
    shared = "\n\n".join(inspect.getsource(function) for function in
                         (replay.locate, replay.find, replay.click_as_recorded, replay.state_differences))
    body = ["def perform(context, tabs: dict, control: Control, urls: dict, seq: int) -> int:",
            '    """Every recorded step, in order."""']
    for step in source.steps:
        body.extend("    " + line for line in _step_lines(step))
    body.append("    return seq")
    test_name = "test_reproduces_" + re.sub(r"\W", "_", meta.id)
    return header + shared + RUNTIME + "\n" + "\n".join(body) + "\n" + FOOTER.format(test_name=test_name)


def write(sources: list[ExportSource], path: Path, settings) -> Written:
    """Write a script per trajectory, its recorded final state, and the files its uploads need."""
    notes = []
    for source in sources:
        name = script_name(source)
        (path / name).write_text(script(source), encoding="utf-8")
        state = source.existing(source.meta.final_state)
        if state is None:
            notes.append(f"playwright: {source.path} has no final state; {name} cannot compare one")
        else:
            shutil.copyfile(state, path / (name[:-3] + ".state.json.gz"))
        for step in source.steps:
            for file in step.action.args.get("files", []) if step.action.type == "upload" else []:
                found = source.existing(f"{FILES}/{file['sha256']}")
                if found is None:
                    notes.append(f"playwright: {source.path}: upload {file['name']!r} missing from files/")
                    continue
                (path / FILES).mkdir(exist_ok=True)
                shutil.copyfile(found, path / FILES / file["sha256"])
    return Written(len(sources), notes)


FORMAT = ExportFormat("playwright", "a Python Playwright test script per trajectory that reproduces it",
                      directory=True, write=write, item="scripts")
