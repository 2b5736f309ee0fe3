"""The task panel: a tab beside the apps with the task's instructions, the elapsed time, Submit and Give up.

It is served from inside the browser (Playwright routing), so it needs no server of its own, and its tab is
never recorded.
"""

from __future__ import annotations

import html
import json

PANEL_URL = "http://mockapps-recorder.invalid/panel"

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Task · {title}</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; margin: 0; padding: 24px 28px; color: #202124; max-width: 720px; }}
h1 {{ font-size: 20px; margin: 0 0 4px; }} .meta {{ color: #5f6368; margin-bottom: 16px; }}
.instruction {{ background: #f1f3f4; border-radius: 8px; padding: 14px 16px; white-space: pre-wrap; }}
.bar {{ display: flex; gap: 12px; align-items: center; margin-top: 20px; }}
button {{ font: inherit; padding: 8px 18px; border-radius: 6px; border: 1px solid #dadce0; background: #fff; cursor: pointer; }}
button.primary {{ background: #1a73e8; color: #fff; border-color: #1a73e8; }}
#result {{ margin-top: 20px; }} label {{ display: block; margin-top: 18px; font-weight: 600; }}
textarea {{ font: inherit; width: 100%; box-sizing: border-box; margin-top: 6px; padding: 8px; }}
.hint {{ color: #5f6368; font-size: 13px; }} .pass {{ color: #137333; }} .fail {{ color: #a50e0e; }}
</style></head><body>
<main><h1>{title}</h1><div class="meta">Task <code>{task_id}</code> · {apps} · {difficulty} ·
elapsed <span id="elapsed" role="timer">0:00</span></div>
<div class="instruction" data-testid="instruction">{instruction}</div>
{answer_field}
<div class="bar"><button class="primary" id="submit">Submit</button><button id="give-up">Give up</button></div>
<div id="result" role="status" aria-live="polite"></div></main>
<script>
const started = Date.now();
setInterval(() => {{ const s = Math.floor((Date.now() - started) / 1000);
  document.getElementById("elapsed").textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); }}, 1000);
function send(what) {{
  const field = document.getElementById("answer");
  const answer = field ? field.value : null;
  if (what === "submit" && field && !answer.trim()) {{
    document.getElementById("result").textContent = "Type your answer before you submit.";
    field.focus(); return;
  }}
  for (const b of document.querySelectorAll("button")) b.disabled = true;
  document.getElementById("result").textContent = what === "submit" ? "Checking your work…" : "Stopping…";
  const xhr = new XMLHttpRequest(); xhr.open("POST", "{url}/" + what, true);
  xhr.onload = () => {{ if (xhr.status >= 400) {{
    for (const b of document.querySelectorAll("button")) b.disabled = false;
    document.getElementById("result").textContent = xhr.responseText; }} }};
  xhr.send(JSON.stringify({{answer: answer}}));
}}
document.getElementById("submit").onclick = () => send("submit");
document.getElementById("give-up").onclick = () => {{ if (confirm("Give up this task?")) send("give-up"); }};
window.showResult = (r) => {{ const el = document.getElementById("result");
  el.innerHTML = ""; const h = document.createElement("p");
  h.className = r.passed ? "pass" : "fail"; h.textContent = r.headline; el.appendChild(h);
  const ul = document.createElement("ul");
  for (const line of r.lines) {{ const li = document.createElement("li"); li.textContent = line; ul.appendChild(li); }}
  el.appendChild(ul); }};
</script></body></html>"""


_ANSWER_FIELD = """<label for="answer">Your answer</label>
<textarea id="answer" rows="2" aria-describedby="answer-hint"></textarea>
<div class="hint" id="answer-hint">The value alone: an amount like $1,234.56, a date like 2026-03-11, a name or
reference, or several separated by commas.</div>"""


def _posted_answer(body: str | None) -> str | None:
    """The answer field of a Submit post (None when absent or unreadable)."""
    try:
        answer = json.loads(body or "{}").get("answer")
    except (ValueError, AttributeError):
        return None
    return answer if isinstance(answer, str) else None


class TaskPanel:
    """The panel tab of one recording; `choice` becomes "submit" or "give-up" when the trainer decides."""

    def __init__(self, context, task):
        self.context = context
        self.task = task
        self.choice: str | None = None
        self.answer: str | None = None  # the final answer typed on Submit, for tasks that ask a question
        context.route(f"{PANEL_URL}**", self._serve)
        self.page = context.new_page()
        self.page.goto(PANEL_URL)

    def _serve(self, route) -> None:
        path = route.request.url[len(PANEL_URL):]
        if route.request.method == "POST" and path in ("/submit", "/give-up"):
            answer = _posted_answer(route.request.post_data)
            if path == "/submit" and self.task is not None and self.task.needs_answer and not (answer or "").strip():
                route.fulfill(status=400, content_type="text/plain", body="Type your answer before you submit.")
                return
            self.answer = answer if self.task is not None and self.task.needs_answer else None
            self.choice = path[1:]
            route.fulfill(status=204)
            return
        task = self.task
        body = _PAGE.format(title=html.escape(task.title if task else "Free session"),
                            task_id=html.escape(task.id if task else "none"),
                            apps=html.escape(", ".join(task.apps) if task else "all apps"),
                            difficulty=html.escape(task.difficulty if task else "-"),
                            instruction=html.escape(task.instruction.strip() if task else
                                                    "Work in the apps as you like; Submit when you are done."),
                            answer_field=_ANSWER_FIELD if task and task.needs_answer else "", url=PANEL_URL)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)

    def show(self, passed: bool, headline: str, lines: list[str]) -> None:
        """Tell the trainer the outcome in the panel."""
        if not self.page.is_closed():
            self.page.evaluate("r => window.showResult(r)", json.loads(json.dumps(
                {"passed": passed, "headline": headline, "lines": lines})))
