"""`mockapps record` and `mockapps replay`."""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES, Settings
from trajectories.model import Trajectory
from trajectories.store import TrajectoryDir


def _app_urls(args) -> dict[str, str]:
    settings = Settings()
    if args.base_port is not None:
        settings = replace(settings, base_port=args.base_port)
    return {app: f"http://127.0.0.1:{settings.port(app)}" for app in APP_NAMES}


def cmd_record(args) -> int:
    """Record a session in a fresh world until Submit, Give up, or the last window closes.

    The browser records the way any trainer's browser does: the apps serve it the capture script (it carries the
    recording cookie) and close each step on the server. This command opens the window, the task panel and the
    start pages, ends the recording, and proves it by a headless replay that adds each step's screenshot."""
    from playwright.sync_api import sync_playwright

    from mock_apps.core import browser
    from mock_apps.core.control_client import ControlClient
    from mock_apps.core.recordings import RECORDING_COOKIE
    from recorder.panel import TaskPanel
    from trajectories.capture import drain
    from trajectories.app_url import AppUrls

    task = None
    if args.task:
        from mock_apps.tasks import get_task

        task = get_task(args.task)  # an unknown task fails here, before anything starts
    urls = _app_urls(args)
    token = Settings().control_token
    if args.resume:
        out, world_id, recording, start_pages = _resumable(Path(args.resume), urls, token)
        task = task or _task_of(out)
    else:
        from mock_apps.scenarios import get_scenario

        # by default into the first folder the portal lists ($MOCKAPPS_TRAJECTORIES, else ./recordings)
        out = Path(args.out) if args.out else Settings().trajectory_dirs[0] / time.strftime('%Y%m%d-%H%M%S')
        world_id = args.world or f"rec-{int(time.time())}"
        start_pages = list(args.start or (task.start_pages if task else ["mail:/"]))
        scenario = get_scenario(args.scenario or (task.scenario if task else None)).name
        control = ControlClient(urls, world_id, token=token)
        control.reset(scenario)
        recording = control.start_recording(str(out.resolve()), task=task.id if task else None,
                                            trainer=args.trainer, start_pages=start_pages)
    control = ControlClient(urls, world_id, token=token)
    app_urls = AppUrls(urls)
    extra = (f"--remote-debugging-port={args.cdp_port}",) if args.cdp_port else ()
    # the browser's own (default) context, on a fresh profile: what a client attached over CDP opens shares its
    # cookies, so its tabs record too (a second, incognito-like context would be invisible to such a client)
    with tempfile.TemporaryDirectory(prefix="mockapps-record-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, **browser.launch_args(headless=args.headless, extra_args=extra),
            viewport={"width": 1400, "height": 900}, accept_downloads=True)
        context.add_cookies([{"name": name, "value": value, "url": url} for url in urls.values()
                             for name, value in (("mockworld", world_id), (RECORDING_COOKIE, recording["cookie"]))])
        blank = list(context.pages)
        panel = TaskPanel(context, task)
        for i, url in enumerate(start_pages):
            (blank[i] if i < len(blank) else context.new_page()).goto(app_urls.absolute(url))
        print(f"recording into {out} (world {world_id}); Submit or Give up in the task panel, or close the "
              "browser, to finish", flush=True)
        status = _record_until_done(context, panel)
        if status == "incomplete":
            print(f"incomplete: the browser went away; `mockapps record --resume {out}` goes on", flush=True)
            return 1
        if status != "abandoned":
            drain(context.pages)  # the last actions' reports, if still on their way, are the last steps
        meta = Trajectory.model_validate(control.finish_recording(recording["id"], status=status,
                                                                  answer=panel.answer))
        if task is not None and status == "complete":
            _show_score(panel, meta, out)
        if status == "complete" and not args.no_shots:
            proof = _prove(playwright, app_urls, urls, token, out)
            print(proof, flush=True)
        if not args.headless and not panel.page.is_closed():
            panel.page.wait_for_event("close", timeout=0)  # the trainer reads the result, then closes the tab
    steps = len(TrajectoryDir(out).load_steps())
    outcome = f", {meta.outcome} (score {meta.score:.2f})" if meta.outcome else ""
    print(f"{meta.status}{outcome}: {steps} steps in {out}")
    return 0


def _resumable(out: Path, urls: dict[str, str], token: str | None) -> tuple[Path, str, dict, list[str]]:
    """An unfinished served recording to take up again: its folder, world, recording and the page to reopen."""
    from mock_apps.core.control_client import ControlClient
    from trajectories.store import load

    meta, steps = load(out)
    if meta.status != "incomplete":
        raise MockAppsError(f"{out} is {meta.status}; only an incomplete trajectory can be resumed")
    if not meta.recording:
        raise MockAppsError(f"{out} was not recorded through the apps (it names no recording); it cannot be resumed")
    recording = ControlClient(urls, meta.world, token=token).recording(meta.recording)
    if recording["status"] != "recording":
        raise MockAppsError(f"the recording of {out} is {recording['status']}; it cannot be resumed")
    last = next((s.url_after or s.url_before for s in reversed(steps)
                 if (s.url_after or s.url_before).split(":", 1)[0] in urls),
                meta.start_pages[0] if meta.start_pages else "mail:/")
    return out, meta.world, recording, [last]


def _task_of(out: Path):
    from mock_apps.tasks import get_task
    from trajectories.store import TrajectoryDir

    task_id = TrajectoryDir(out).load_meta().task
    return get_task(task_id) if task_id else None


def _record_until_done(context, panel) -> str:
    """Wait for the trainer to decide; the status the trajectory ends with ("incomplete": the browser is gone).
    Ctrl+C (the portal's Stop sends SIGINT) ends it as abandoned: noted by a handler and acted on between waits,
    never raised inside Playwright, whose connection a KeyboardInterrupt can leave unable to close the browser."""
    import signal
    import threading

    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        while panel.choice is None and not stop.is_set():
            working = [p for p in context.pages if p is not panel.page and not p.is_closed()]
            if not working:
                return "complete"  # the trainer closed the apps' windows
            try:
                working[0].wait_for_timeout(100)
            except Exception:
                if any(not p.is_closed() for p in context.pages if p is not panel.page):
                    raise  # not a window closing under the wait
    except Exception:  # the browser went away under us
        return "incomplete"
    finally:
        signal.signal(signal.SIGINT, previous)
    if stop.is_set():
        return "abandoned"
    return "complete" if panel.choice == "submit" else "abandoned"


def _show_score(panel, meta, out: Path) -> None:
    """Tell the trainer the task checks' outcome in the panel."""
    passed = meta.outcome == "passed"
    headline = (f"Passed: all {len(meta.checks)} checks." if passed else
                f"Not yet: score {meta.score:.0%}.") + f" Saved in {out}."
    panel.show(passed, headline, [f"{'✓' if c.passed else '✗'} {c.name}" + (f": {c.reason}" if c.reason else "")
                                  for c in meta.checks])


def _prove(playwright, app_urls, urls: dict[str, str], token: str | None, out: Path) -> str:
    """Replay the recording headless in a fresh world; its screenshots become the steps' observations."""
    from mock_apps.core import browser
    from mock_apps.core.control_client import ControlClient
    from recorder.replay import Replayer

    chromium = browser.launch(playwright, headless=True)
    try:
        world = f"proof-{int(time.time() * 1000) % 10**9}"
        report = Replayer(chromium, app_urls, ControlClient(urls, world, token=token), out, observe=True).run()
        ControlClient(urls, world, token=token).delete()
    finally:
        chromium.close()
    first = report.first_divergence()
    return ("proof replay: reproduced every step" if report.reproduced else
            f"proof replay: did NOT reproduce (step {first.index}: {first.reason})" if first else
            f"proof replay: final state differs ({', '.join(report.state_differences)})")


def cmd_replay(args) -> int:
    """Replay a trajectory in a fresh world; exit 0 only when it reproduced the recording."""
    from playwright.sync_api import sync_playwright

    from mock_apps.core import browser
    from mock_apps.core.control_client import ControlClient
    from trajectories.app_url import AppUrls
    from recorder.replay import Replayer
    from trajectories.store import load

    meta, _ = load(args.dir)  # precise errors before anything starts
    from mock_apps.scenarios import get_scenario

    get_scenario(meta.scenario)
    urls = _app_urls(args)
    world_id = args.world or f"replay-{int(time.time() * 1000) % 10**9}"
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright, headless=not args.headed)
        report = Replayer(chromium, AppUrls(urls), ControlClient(urls, world_id), args.dir, speed=args.speed).run()
        chromium.close()
    print(report.summary())
    checks_ok = True
    result_dict = None
    if meta.task and report.reproduced:
        from mock_apps.tasks import get_task
        from mock_apps.tasks.checks import score_world

        result = score_world(get_task(meta.task), ControlClient(urls, world_id), answer=meta.final_answer)
        checks_ok = result.passed or meta.outcome != "passed"
        result_dict = {"passed": result.passed, "score": result.score, "reasons": result.reasons()}
        print(f"task checks: {'passed' if result.passed else 'failed'} (score {result.score:.2f})"
              + "".join(f"\n  {r}" for r in result.reasons()))
    if args.report:
        Path(args.report).write_text(json.dumps({**report.to_dict(), "checks": result_dict}, indent=2, default=str))
    return 0 if report.reproduced and checks_ok else 1


def register(subparsers) -> None:
    """Add `record` and `replay` to the mockapps command line."""
    record = subparsers.add_parser("record", help="record a session in a real browser as a trajectory")
    record.add_argument("task", nargs="?", help="task id (omit for a free session with no checks)")
    record.add_argument("--out", help="trajectory directory to create (default trajectories/<time>)")
    record.add_argument("--resume", metavar="DIR", help="continue an incomplete trajectory in its own world")
    record.add_argument("--trainer", help="who is recording")
    record.add_argument("--world", help="world to record in (default: a new one); it is reset first")
    record.add_argument("--scenario", help="scenario (default: the task's, else meridian)")
    record.add_argument("--start", action="append", metavar="APP:/PATH", help="start page(s), e.g. mail:/")
    record.add_argument("--headless", action="store_true", help="no visible window (automation via --cdp-port)")
    record.add_argument("--cdp-port", type=int, help="expose the browser over the Chrome DevTools Protocol")
    record.add_argument("--no-shots", action="store_true", help="no proof replay, so no screenshots")
    record.add_argument("--base-port", type=int, help="where `mockapps serve` runs (default 8000)")
    record.set_defaults(func=cmd_record)

    replay = subparsers.add_parser("replay", help="replay a trajectory and prove it reproduces")
    replay.add_argument("dir", help="trajectory directory")
    replay.add_argument("--headed", action="store_true", help="show the browser")
    replay.add_argument("--speed", choices=("max", "recorded"), default="max")
    replay.add_argument("--report", help="write the JSON report here")
    replay.add_argument("--world", help="world to replay in (default: a new one)")
    replay.add_argument("--base-port", type=int, help="where `mockapps serve` runs (default 8000)")
    replay.set_defaults(func=cmd_replay)


__all__ = ["register", "MockAppsError"]
