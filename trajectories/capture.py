"""Capture: reported user actions become trajectory steps, each closed against the world's change log.

One piece of logic for both ways of recording. The Playwright recorder (recorder/session.py) feeds it the
capture script's reports from inside a browser it drives; the apps (mock_apps/core/recordings.py) feed it the same
script's reports sent over HTTP by any browser with an active recording. An action closes the step before it: the
change-log entries since the last collection are that step's, exactly, because an action's report reaches the
owner before anything the page does about it (from inside the browser: synchronously; over HTTP: the apps hold
the page's own requests until the report before them is taken). Typing into one field coalesces into one fill and a double click replaces its single
click. The builder's whole state is plain data (`to_dict`), so a server can keep it on disk between requests.

A served page whose own request changed the world (opening a chat channel marks it read) has those entries
reserved for its tab (`reserve`, from the app before the page reaches the browser) until the page reports itself
(its navigate event names the reservation): another tab's action in between does not take them. Two tabs loading
at once (the portal opens a task's start pages together) so keep each page's changes on its own step.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from trajectories.model import Action, ChangeEntry, Step, Target

CAPTURE_JS = Path(__file__).with_name("capture.js").read_text()
# a new document this soon (seconds) after an action in its tab is that action's doing, not a step of its own
NAVIGATION_GRACE_SECONDS = 3.0
# a page that has not reported itself this long after its request reserved changes never will (closed at once,
# script blocked): its changes go to the step pending then, as if there had been no reservation
RESERVATION_SECONDS = 10.0


def drain(pages, timeout_ms: float = 5000) -> None:
    """Wait (at most `timeout_ms` per frame) until the capture script in each frame of these Playwright pages has
    delivered every report it holds: what a program driving a recording browser does before it finishes the
    recording. A closed page holds nothing."""
    for page in pages:
        for frame in page.frames:
            try:
                frame.evaluate(DRAIN_JS, timeout_ms)
            except Exception:  # noqa: BLE001 - closed or navigating away: its reports went with its unload
                continue


DRAIN_JS = """ms => Promise.race([(window.__mockappsCapture && window.__mockappsCapture.drained)
    ? window.__mockappsCapture.drained() : true, new Promise(resolve => setTimeout(resolve, ms))])"""


class StepBuilder:
    """The steps of one recording: the pending (newest) step, the closed ones not yet written, and per-tab facts.

    `changes(after)` returns the world's change-log entries after a sequence number; `clock()` the world's
    simulated time (ISO 8601); `urls` converts absolute URLs to app-relative ones (trajectories.app_url.AppUrls);
    `live_url(page)` is a tab's current URL where the owner can see it (a driven browser), else None.
    """

    def __init__(self, changes: Callable[[int], list[dict]], clock: Callable[[], str], urls,
                 live_url: Callable[[str], str | None] = lambda page: None, state: dict | None = None):
        self.changes = changes
        self.clock = clock
        self.urls = urls
        self.live_url = live_url
        state = state or {}
        self.next_index: int = state.get("next_index", 0)
        self.last_seq: int = state.get("last_seq", 0)
        self.pending: Step | None = Step.model_validate(state["pending"]) if state.get("pending") else None
        self.pending_page: str | None = state.get("pending_page")
        self.pending_since: float = state.get("pending_since", 0.0)
        self.observed: bool = state.get("observed", False)  # the pending step's picture was taken (a driven browser)
        # the pending step's changes were collected once it was at rest: later ones belong to what follows it
        self.at_rest: bool = state.get("at_rest", False)
        self.last_page: str | None = state.get("last_page")
        self.last_action_at: dict[str, float] = dict(state.get("last_action_at", {}))
        self.known_urls: dict[str, str] = dict(state.get("known_urls", {}))  # each tab's URL as last seen
        # page loads' own changes, held for the page to claim: token -> {"seqs": [...], "at": seconds}
        self.reserved: dict[str, dict] = {k: dict(v) for k, v in state.get("reserved", {}).items()}
        self.taken: list[int] = list(state.get("taken", []))  # seqs past last_seq already on a step (claimed early)
        self.closed: list[Step] = []  # closed steps the owner has not written yet

    def to_dict(self) -> dict:
        """The builder's state as JSON-able data (closed steps must have been taken by the owner)."""
        return {"next_index": self.next_index, "last_seq": self.last_seq,
                "pending": self.pending.model_dump(mode="json") if self.pending else None,
                "pending_page": self.pending_page, "pending_since": self.pending_since, "observed": self.observed,
                "at_rest": self.at_rest,
                "last_page": self.last_page, "last_action_at": self.last_action_at, "known_urls": self.known_urls,
                "reserved": self.reserved, "taken": self.taken}

    # -- reports ------------------------------------------------------------------------------

    def record(self, page: str, event: dict, now: float) -> None:
        """One report of the capture script from a tab (`now`: seconds on the owner's clock)."""
        if self.reserved:
            self.expire(now)
        kind = event["type"]
        if kind == "navigate":
            self.navigation(page, event, now)
            return
        self.last_action_at[page] = now
        args = dict(event.get("args") or {})
        target = Target.model_validate(event["target"]) if event.get("target") else None
        url = event.get("url") or self.live_url(page) or self.known_urls.get(page, "about:blank")
        pending = self.pending
        same = (pending is not None and target is not None and pending.target is not None
                and pending.page == page and pending.target.selectors == target.selectors)
        if same and kind == "fill" and pending.action.type == "fill":
            pending.action.args["value"] = args["value"]  # typing coalesces into one fill
            return
        if same and kind == "click" and pending.action.type == "click" and args.get("click_count", 1) > 1:
            pending.action.args["click_count"] = args["click_count"]  # a double click replaces its click
            return
        self.switch_to(page, url, now)
        self.open(page, Action(type=kind, args=args), target, url, now)

    def navigation(self, page: str, event: dict, now: float) -> None:
        """A new document in a tab: a step of its own unless an action in this tab led to it a moment ago."""
        url = event["args"]["url"]
        load = event["args"].get("load") or ""  # names what this document's own request changed, if anything
        since = now - self.last_action_at.get(page, float("-inf"))
        if since < NAVIGATION_GRACE_SECONDS:
            # the action's own page load: its request has been answered, so its changes are in the log now
            if self.pending is not None and self.pending.page == page:
                self.collect()
                self.at_rest = True
            self.claim(load)
            self.known_urls[page] = url
            return
        self.last_action_at[page] = now
        # The server handled this document's request before the page could report it. When the pending step
        # was already at rest, whatever changed since is the navigation's doing, not that step's.
        if not self.at_rest:
            self.collect()
        before = self.known_urls.get(page, "about:blank")
        self.switch_to(page, before, now, collect=False)
        self.open(page, Action(type="navigate", args={"url": self.urls.relative(url),
                                                      "via": event["args"].get("via")}),
                  None, before, now, collect=False)
        self.claim(load)
        self.known_urls[page] = url

    def switch_to(self, page: str, url: str, now: float, collect: bool = True) -> None:
        """An action in another tab than the last one: the switch is a step of its own."""
        if self.last_page is not None and page != self.last_page:
            self.open(page, Action(type="tab_switch"), None, url, now, collect=collect)
        self.last_page = page

    def opened_tab(self, page: str, opener: str | None, url: str, now: float) -> None:
        """A new tab: the pending click in its opener opened it (a popup), else it is a step of its own."""
        if opener is not None and self.pending is not None and self.pending.page == opener:
            self.pending.action.args["opens"] = page
        else:
            # a step at rest before the tab appeared keeps its changes; the new tab's first document may have
            # changed something already, and that is its navigation's doing, not the blank tab's
            self.open(page, Action(type="tab_open", args={"opener": opener}), None, url, now, collect=not self.at_rest)
            self.at_rest = True
        self.last_page = page

    def settled(self) -> None:
        """The pending step's page is at rest: its changes are collected, later ones belong to what follows."""
        self.collect()
        self.at_rest = True

    # -- steps --------------------------------------------------------------------------------

    def open(self, page: str, action: Action, target: Target | None, url: str, now: float,
             collect: bool = True) -> Step:
        """Close the pending step (its changes are final now) and make this action the pending one."""
        self.close_pending(next_url=url, next_page=page, collect=collect)
        self.pending = Step(index=self.next_index, sim_time=self.clock(), wall_time=datetime.now(timezone.utc),
                            app=self.urls.app_of(url), page=page, url_before=self.urls.relative(url),
                            action=action, target=target)
        self.next_index += 1
        self.known_urls[page] = url
        self.pending_page = page
        self.pending_since = now
        self.observed = self.at_rest = False
        return self.pending

    def collect(self) -> None:
        """Add the change-log entries written since the last collection to the pending step, less those reserved
        for a page that has not reported itself yet."""
        if self.pending is None:
            return
        entries = self.changes(self.last_seq)
        if entries:
            self.last_seq = entries[-1]["seq"]
            held = {seq for r in self.reserved.values() for seq in r["seqs"]} | set(self.taken)
            self.pending.changes.extend(ChangeEntry.model_validate(e) for e in entries if e["seq"] not in held)
        self.taken = [seq for seq in self.taken if seq > self.last_seq]

    def reserve(self, token: str, seqs: list[int], now: float) -> None:
        """Hold change-log entries a page's own request wrote for that page's navigate report (naming `token`)."""
        held = self.reserved.setdefault(token, {"seqs": [], "at": now})
        held["seqs"] = sorted(set(held["seqs"]) | {int(s) for s in seqs})

    def claim(self, token: str) -> None:
        """A page reported itself: what its request changed (held since) goes to the pending step."""
        held = self.reserved.pop(token, None) if token else None
        if held is not None:
            self.take(held["seqs"])

    def expire(self, now: float) -> None:
        """Reservations whose page did not report itself in time go to the pending step."""
        for token, held in list(self.reserved.items()):
            if now - held["at"] > RESERVATION_SECONDS and self.pending is not None:
                del self.reserved[token]
                self.take(held["seqs"])

    def release_all(self) -> None:
        """Let every reservation go to the pending step (the recording ends: no page will claim them now)."""
        for token in list(self.reserved):
            self.take(self.reserved.pop(token)["seqs"])

    def take(self, seqs: list[int]) -> None:
        """Put these change-log entries on the pending step now, whatever their place in the log."""
        if self.pending is None or not seqs:
            return
        wanted = set(seqs)
        entries = [e for e in self.changes(min(wanted) - 1) if e["seq"] in wanted]
        self.pending.changes.extend(ChangeEntry.model_validate(e) for e in entries)
        self.pending.changes.sort(key=lambda entry: entry.seq)
        self.taken = sorted(set(self.taken) | {e["seq"] for e in entries if e["seq"] > self.last_seq})

    def close_pending(self, next_url: str | None = None, next_page: str | None = None, collect: bool = True) -> None:
        """Close the pending step: collect its changes, note the URL it left its tab at, queue it for writing."""
        step = self.pending
        if step is None:
            return
        if collect:
            self.collect()
        if next_page is not None and next_page == self.pending_page and next_url:
            step.url_after = self.urls.relative(next_url)
        else:
            current = self.live_url(self.pending_page) or self.known_urls.get(self.pending_page)
            if current:
                step.url_after = self.urls.relative(current)
                self.known_urls[self.pending_page] = current
        self.closed.append(step)
        self.pending = None

    def take_closed(self) -> list[Step]:
        """The closed steps, in order, handed to the owner to write (and forgotten here)."""
        closed, self.closed = self.closed, []
        return closed
