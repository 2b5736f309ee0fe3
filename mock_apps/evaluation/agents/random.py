"""The random agent: a baseline and a fuzzer. Every action is valid in the language and names an element of the
current observation suited to it (text fields are filled, selects get one of their options, links and buttons
are clicked); the apps must answer all of it without a server error."""

from __future__ import annotations

import random as _random

from mock_apps.evaluation.actions import action_text
from mock_apps.tasks.model import Task

CLICKABLE = {"button", "link", "menuitem", "tab", "checkbox", "radio", "gridcell", "switch", "treeitem",
             "columnheader", "rowheader"}
TYPEABLE = {"textbox", "searchbox", "spinbutton", "date"}
KEYS = ("Enter", "Tab", "Escape", "ArrowDown", "ArrowUp", "Backspace", "Delete", "Control+z", "a", "1")
WORDS = ("invoice", "Brightline", "1200.50", "2026-03-31", "March close", "", "-1", "0", "x" * 300,
         "<b>bold</b>", "'; DROP TABLE txn; --", "=SUM(A1:A3)", "=1/0", "Dana", "from:kara is:unread", "ünïcødé ✓",
         "9999999999999", "BL-20931", "#general", "@dana")


class RandomAgent:
    """Picks uniformly among plausible actions on the observed elements, reproducibly for a seed."""

    def __init__(self, seed: int = 0, steps_before_answer: int | None = None):
        self.seed = seed
        self.steps_before_answer = steps_before_answer  # None: never answers (the episode is truncated)
        self.rng = _random.Random(seed)
        self.taken = 0

    def reset(self, task: Task | None) -> None:
        """A new episode: the same seed gives the same choices on the same observations."""
        self.rng = _random.Random(self.seed)
        self.taken = 0

    def act(self, observation: dict) -> str:
        """One random valid action."""
        self.taken += 1
        if self.steps_before_answer is not None and self.taken > self.steps_before_answer:
            return action_text("send_msg_to_user", "done")
        elements = observation.get("elements") or {}
        visible = sorted((i, e) for i, e in elements.items() if e.get("visible") and e.get("role"))
        clickable = [i for i, e in visible if e["role"] in CLICKABLE]
        typeable = [i for i, e in visible if e["role"] in TYPEABLE and e.get("tag") in ("input", "textarea")]
        selects = [i for i, e in visible if e.get("tag") == "select"]
        tabs = len(observation.get("open_pages_urls") or ())
        choices = [("noop",), ("scroll",)]
        choices += [("click", i) for i in clickable] * 3
        choices += [("fill", i) for i in typeable] * 2
        choices += [("press", i) for i in typeable]
        choices += [("hover", i) for i in clickable[:20]]
        choices += [("select", i) for i in selects] * 2
        choices += [("go_back",), ("keyboard_press",)]
        if tabs < 4:
            choices.append(("new_tab",))
        if tabs > 1:
            choices += [("tab_close",), ("tab_focus",)]
        choice = self.rng.choice(choices)
        kind = choice[0]
        if kind == "click":
            return action_text("click", choice[1])
        if kind == "fill":
            return action_text("fill", choice[1], self.rng.choice(WORDS))
        if kind == "press":
            return action_text("press", choice[1], self.rng.choice(KEYS))
        if kind == "hover":
            return action_text("hover", choice[1])
        if kind == "select":
            options = self._options(observation, choice[1])
            return action_text("select_option", choice[1], self.rng.choice(options)) if options \
                else action_text("click", choice[1])
        if kind == "scroll":
            return action_text("scroll", 0, self.rng.choice((-600, 300, 600, 1200)))
        if kind == "keyboard_press":
            return action_text("keyboard_press", self.rng.choice(KEYS))
        if kind == "tab_focus":
            return action_text("tab_focus", self.rng.randrange(tabs))
        return action_text(kind)

    @staticmethod
    def _options(observation: dict, select_id: str) -> list[str]:
        """The option labels under a select in the axtree text (lines after it, one level deeper)."""
        lines = observation.get("axtree", "").splitlines()
        start = next((n for n, line in enumerate(lines) if line.lstrip().startswith(f"[{select_id}] ")), None)
        if start is None:
            return []
        depth = len(lines[start]) - len(lines[start].lstrip())
        options = []
        for line in lines[start + 1:]:
            if len(line) - len(line.lstrip()) <= depth:
                break
            body = line.strip().split("] ", 1)[-1]
            if body.startswith("option '"):
                options.append(body[len("option '"):].split("'", 1)[0])
        return options
