"""`mockapps record` and `mockapps replay`."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES, Settings


def _app_urls(args) -> dict[str, str]:
    settings = Settings()
    if args.base_port is not None:
        settings = replace(settings, base_port=args.base_port)
    return {app: f"http://127.0.0.1:{settings.port(app)}" for app in APP_NAMES}


def cmd_record(args) -> int:
    """Record a session in a fresh world until Submit, Give up, or the last window closes."""
    from playwright.sync_api import sync_playwright

    from mock_apps.core import browser
    from recorder.panel import TaskPanel
    from recorder.session import begin, resume

    task = None
    if args.task:
        from mock_apps.tasks import get_task

        task = get_task(args.task)  # an unknown task fails here, before anything starts
    urls = _app_urls(args)
    # by default into the first folder the portal lists ($MOCKAPPS_TRAJECTORIES, else ./recordings)
    out = Path(args.out) if args.out else Settings().trajectory_dirs[0] / time.strftime('%Y%m%d-%H%M%S')
    world_id = args.world or f"rec-{int(time.time())}"
    start_pages = tuple(args.start or (task.start_pages if task else ["mail:/"]))
    extra = (f"--remote-debugging-port={args.cdp_port}",) if args.cdp_port else ()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**browser.launch_args(headless=args.headless, extra_args=extra))
        context = chromium.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        panel = TaskPanel(context, task)
        if args.resume:
            out = Path(args.resume)
            recorder = resume(context, out, urls, shots=not args.no_shots, ignore_pages=(panel.page,))
            world_id = recorder.meta.world
        else:
            recorder = begin(context, out, urls, world_id, scenario=args.scenario or (task.scenario if task else None),
                             task=task.id if task else None, trainer=args.trainer, start_pages=start_pages,
                             shots=not args.no_shots, ignore_pages=(panel.page,))
        print(f"recording into {out} (world {world_id}); Submit or Give up in the task panel, or close the "
              "browser, to finish", flush=True)
        status = _record_until_done(context, panel, recorder)
        working = any(not p.is_closed() for p in context.pages if p is not panel.page)
        meta = recorder.stop(status, observe=working)
        if task is not None and status == "complete":
            meta = _score(recorder, task, panel)
        if not args.headless and not panel.page.is_closed():
            panel.page.wait_for_event("close", timeout=0)  # the trainer reads the result, then closes the tab
    outcome = f", {meta.outcome} (score {meta.score:.2f})" if meta.outcome else ""
    print(f"{meta.status}{outcome}: {len(recorder.steps)} steps in {out}")
    return 0


def _record_until_done(context, panel, recorder) -> str:
    """Keep the recorder ticking until the trainer decides; the status the trajectory ends with."""
    try:
        while panel.choice is None:
            working = [p for p in context.pages if p is not panel.page and not p.is_closed()]
            if not working:
                return "complete"  # the trainer closed the apps' windows
            recorder.tick()
            try:
                working[0].wait_for_timeout(100)
            except Exception:
                if any(not p.is_closed() for p in context.pages if p is not panel.page):
                    raise  # not a window closing under the wait
    except KeyboardInterrupt:
        return "abandoned"
    except Exception:  # the browser went away under us
        return "incomplete"
    return "complete" if panel.choice == "submit" else "abandoned"


def _score(recorder, task, panel):
    """Score the recording, store the outcome, and tell the trainer in the panel."""
    from recorder.session import score_recording

    recorder.meta.final_answer = panel.answer
    meta, result = score_recording(recorder, task)
    headline = (f"Passed: all {len(result.checkpoints)} checks." if result.passed else
                f"Not yet: score {result.score:.0%}.") + f" Saved in {recorder.folder.path}."
    panel.show(result.passed, headline, [f"{'✓' if c.passed else '✗'} {c.name}" + (f": {c.reason}" if c.reason else "")
                                         for c in result.checkpoints])
    return meta


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
    record.add_argument("--no-shots", action="store_true", help="no screenshots")
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
