"""`devtools`: a Chrome DevTools Recorder recording (JSON) per trajectory, for the Recorder panel and
@puppeteer/replay.

The Recorder replays one browser tab by clicks, changes and keys: URLs become absolute on the configured
deployment (MOCKAPPS_HOST / MOCKAPPS_BASE_PORT), and what it has no step for (file uploads, drags, downloads,
opening tabs) is left out and counted.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from mock_apps.core.settings import APP_NAMES
from mock_apps.export.format import ExportFormat, Written
from mock_apps.export.source import ExportSource
from trajectories.model import Step, Target

BUTTONS = {"left": "primary", "middle": "auxiliary", "right": "secondary"}
LEFT_OUT = ("upload", "drag", "download", "tab_open", "tab_switch")


def deployment_urls(settings) -> dict[str, str]:
    """Each app's base URL on the configured deployment."""
    host = settings.host if settings.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    return {app: (settings.public_urls.get(app) or f"http://{host}:{settings.port(app)}").rstrip("/")
            for app in APP_NAMES}


def absolute(url: str, bases: dict[str, str]) -> str:
    """An app-relative URL ('mail:/x') on the deployment; other URLs unchanged."""
    app, sep, rest = url.partition(":")
    return bases[app] + rest if sep and app in bases and rest.startswith("/") else url


def _css_string(value: str) -> str:
    return json.dumps(value)


def selectors(target: Target) -> list[list[str]]:
    """The Recorder's selector alternatives for a target: ARIA first, then CSS (test id, id, recorded CSS), text."""
    found: list[str] = []
    if target.name:
        if target.role:
            found.append(f"aria/{target.name}[role={_css_string(target.role)}]")
        found.append(f"aria/{target.name}")
    for selector in target.selectors:
        if selector.kind == "testid":
            found.append(f"[data-testid={_css_string(selector.value)}]")
    if target.id:
        found.append(f"[id={_css_string(target.id)}]")
    for selector in target.selectors:
        if selector.kind == "css":
            found.append(selector.value)
        elif selector.kind == "text":
            found.append(f"text/{selector.value}")
    if not found:
        found.append(target.tag)
    return [[s] for s in dict.fromkeys(found)]


def _keys(key: str, target: str) -> list[dict]:
    """'Control+a' as key downs and ups in order (a bare '+' is a key too)."""
    if key == "+":
        parts = ["+"]
    elif key.endswith("++"):
        parts = [*key[:-2].split("+"), "+"]
    else:
        parts = key.split("+")
    downs = [{"type": "keyDown", "target": target, "key": p} for p in parts]
    ups = [{"type": "keyUp", "target": target, "key": p} for p in reversed(parts)]
    return downs + ups


def _target_step(step: Step, tab: str) -> list[dict]:
    target, args, kind = step.target, step.action.args, step.action.type
    found = selectors(target)
    if kind == "click" or kind in ("check", "uncheck"):
        box = target.box
        click = {"type": "doubleClick" if args.get("click_count") == 2 else "click", "target": tab,
                 "selectors": found, "offsetX": round(box.width / 2, 2) if box else 1,
                 "offsetY": round(box.height / 2, 2) if box else 1}
        if BUTTONS.get(args.get("button", "left"), "primary") != "primary":
            click["button"] = BUTTONS[args["button"]]
        return [click]
    if kind == "fill":
        return [{"type": "change", "target": tab, "selectors": found, "value": args.get("value", "")}]
    if kind == "select":
        return [{"type": "change", "target": tab, "selectors": found, "value": (args.get("values") or [""])[0]}]
    if kind == "press":
        return _keys(args["key"], tab)
    if kind == "submit":
        return _keys("Enter", tab)
    if kind in ("copy", "paste"):
        return _keys("Control+c" if kind == "copy" else "Control+v", tab)
    return []


def recording(source: ExportSource, bases: dict[str, str]) -> tuple[dict, Counter]:
    """The trajectory as a DevTools Recorder recording, and how many steps of each kind were left out."""
    viewport = source.meta.browser.viewport
    steps: list[dict] = [{"type": "setViewport", "width": viewport.get("width", 1400),
                          "height": viewport.get("height", 900), "deviceScaleFactor": 1, "isMobile": False,
                          "hasTouch": False, "isLandscape": False}]
    left_out: Counter = Counter()
    tabs: dict[str, str] = {}  # page id -> the Recorder's target ("main", else the URL the tab first showed)
    for step in source.steps:
        kind = step.action.type
        if step.page not in tabs:
            first = step.url_after if kind in ("navigate", "tab_open") else step.url_before
            tabs[step.page] = "main" if not tabs else absolute(first or "about:blank", bases)
        tab = tabs[step.page]
        if kind == "navigate":
            steps.append({"type": "navigate", "target": tab, "url": absolute(step.action.args["url"], bases)})
        elif kind == "tab_close":
            steps.append({"type": "close", "target": tab})
        elif kind in LEFT_OUT or step.target is None:
            if kind not in ("tab_open", "tab_switch"):  # the Recorder follows tabs by their target
                left_out[kind] += 1
        else:
            steps.extend(_target_step(step, tab))
    title = f"{source.meta.task or 'session'} {source.meta.id}" + (
        f" by {source.meta.trainer}" if source.meta.trainer else "")
    return {"title": title, "steps": steps}, left_out


def write(sources: list[ExportSource], path: Path, settings) -> Written:
    """Write one recording per trajectory into the folder."""
    bases = deployment_urls(settings)
    left_out: Counter = Counter()
    for source in sources:
        document, missing = recording(source, bases)
        left_out.update(missing)
        (path / f"{source.slug}.json").write_text(json.dumps(document, indent=2, ensure_ascii=False),
                                                  encoding="utf-8")
    notes = [f"devtools: left out {count} {kind} step(s) the Recorder has no step for"
             for kind, count in sorted(left_out.items())]
    return Written(len(sources), notes)


FORMAT = ExportFormat("devtools", "Chrome DevTools Recorder JSON, one recording per trajectory",
                      directory=True, write=write, item="recordings")
