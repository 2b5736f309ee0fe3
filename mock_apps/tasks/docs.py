"""docs/TASKS.md: how templates and proving work, every template, and every meridian task with its checks."""

from __future__ import annotations

from mock_apps.tasks.registry import all_tasks, templates

TEMPLATES = """\
## Templates and instances

Every file of `mock_apps/tasks/library` is a template. A template with `select: <module>.<function>` names a
selector in `mock_apps/tasks/selectors`: a function that takes a scenario's facts (`mock_apps/scenarios/facts.py`)
and returns the instances it supports, each keyed by the fact it chose (a bill, a remittance, a vendor) with
its parameters filled from the facts (names, amounts formatted as the template needs, dates, chat thread ids).
Every instance is also filled with the company's own parameters (`selectors/company.py`: today, the
accountant whose seat the apps show, the controller, the bank account, the close workbooks, the mail domain).
A checkpoint written `- each: <param>` is repeated once per element of that list parameter, the element's keys
being parameters of its copy (`- each: <param>` with `do: [...]` repeats several checkpoints together): one per
past-due invoice or per bill of a list, however many a company has, none when the list is empty.

- On `meridian` an instance keeps the id its golden trajectory was recorded under (the file's `meridian:`
  map, fact key -> id), and the selector must choose exactly those facts.
- On a generated company (`<industry>-<seed>`, e.g. `law-7`) an instance's id is
  `<template>.<scenario>.<fact key>`, e.g. `record-remittance.law-7.chk-40417`, and its `scenario` is that
  company. `mockapps tasks show` and the evaluation harness take these ids as they take meridian's.
- A template whose facts a scenario lacks is skipped there, naming the fact (`skipped law-trust-day on
  agency-1: needs work.retainers (a client's retainer check mailed in, not yet deposited to trust)`). Every
  file of the library has a selector; a file with hand-written `instances:`, or a single task, would exist on
  meridian only.
- In a template's lists, an item `{each: <param>, ...}` is repeated once per element of that list parameter,
  each element a dict of parameters of its own (`{each: <param>, do: [...]}` repeats several items together):
  an instance has a check per report, timesheet or invoice its facts hold (`people-send-back-flagged-reports`,
  `collections-chase-overdue-from-aging`).

Commands:

    mockapps tasks list [--scenario S --seed N] [--template T]      # instance ids, their templates, skipped ones
    mockapps tasks instantiate --scenario law --seed 7 --out DIR     # every instance as DIR/<id>.yaml
    mockapps tasks prove [--scenario S --seed N] [--sample K] [--workers N]

`S` is `meridian` (the default) or an industry (`wholesale`, `law`, `medical`, `agency`); `--scenario` and
`--seed` repeat, and every industry named is taken with every seed named. Bad input (an unknown industry or
template, a seed that is not a number) is one line and exit 2.

## Proving

`mockapps tasks prove` runs each instance's reference demonstration (`mock_apps/tasks/demos`, a Playwright
function reading the task's parameters and its company's facts) in headless Chromium on a fresh world of the
instance's scenario, scores it (it must pass every check, score 1.0), then resets the world and scores it
untouched (it must fail). It prints a line per instance (`proved`, or `FAILED` with the first failing check or
where the demonstration stopped), the templates skipped with the fact they lack, and totals; it exits 1 when
any instance failed. `--sample K` proves a deterministic sample (the same K instances every time, ranked by
a hash of their ids, so a template added to the library moves a sample only by the instances it adds);
`--workers N` runs N processes, each with its own sandbox (the apps on ephemeral ports over a private data
directory) and its own Chromium. CI proves a sample on meridian and on one company of each industry
(tests/tasks/test_prove.py); `bench/prove.py` prints instances proved per minute on 2 workers.

The full proof, every instance of 12 generated companies (three of each industry; `--seed 4 --seed 5` make it
20 companies and about 1,340 instances):

    mockapps tasks prove --scenario wholesale --scenario law --scenario medical --scenario agency \\
        --seed 1 --seed 2 --seed 3 --workers 2

Figures (2026-12-06, commit dd8cf5b, this 2-core machine; load average 4.6 at the start and 6-10 during the run,
the proof's own two Chromiums and apps): **803 instances of all 59 templates on 12 companies proved, 0 failed,
in 39.1 minutes: 20.5 instances proved per minute on 2 workers** (500 in 60 minutes needs 8.4); the same
proof at 68d1d60, before the generator's addresses and contact names changed, from load 0: 37.3 minutes.
Per company: wholesale 56 each, law 70-71, medical 67, agency 73-75. 199 template/company pairs were skipped, each naming
the fact it lacks: the industry templates on other industries (a trust retainer on an agency), and a few whose
facts a company happens not to have (no past-due bill under $1,000 on agency-3). Meridian has 59 instances of
37 templates, proved by their golden trajectories.

The industries' own work (`bench/demo_steps.py --seed 1`, which records the first instance of each template
that exists on one industry only and counts its user actions: clicks, fills, key presses, selections, not
opening a tab or loading a URL): 22 templates, all passing their checks. Six touch all four of Mail, Chat,
Sheets and Books: law-trust-day (175 actions), medical-era-bill-patient (82), law-trust-earned-fee-notice (75),
agency-bill-time-and-send (64), law-trust-retainer-receipt (61), law-trust-three-way-check (55). Eight are hard
with 40+ actions: those six, medical-post-all-eras (70) and agency-bill-both-projects (48). The longest medium
ones are medical-era-to-sheet (87) and agency-time-summary-to-sheet (60).

Building a generated company (`bench/scenarios.py`, same day and commit, load 2.7 falling): facts in 0.02-0.06 s
and every app's template database in 2.2-2.8 s (target under 10 s; meridian's 4.2 s); whole-world reset of a
generated world in process p50 2.0-2.4 ms, p95 3.2-3.7 ms (target p50 under 10 ms; meridian's 2.8 ms).

"""


def docs() -> str:
    """A Markdown page: templates and proving, then every meridian task with its instruction, apps and checks."""
    lines = ["# Tasks", "", "Generated by `mockapps tasks docs`.", "", TEMPLATES.rstrip("\n"), "",
             "| template | instances chosen by | meridian instances |", "| --- | --- | --- |"]
    meridian = all_tasks()
    for template in templates():
        ids = [t.id for t in meridian if t.template == template.name or (template.single and t.id == template.body.get("id"))]
        chosen = f"`{template.select}`" if template.select else "hand-written (meridian only)"
        lines.append(f"| {template.name} | {chosen} | {len(ids)} |")
    lines += ["", "## The meridian tasks", "",
              "A checkpoint marked *final answer* compares the answer given at the end (the task panel's answer "
              "field, an agent's `send_msg_to_user`, `mockapps tasks check --answer`) as a typed value: money in "
              "cents, a number exactly, a date, a string after whitespace normalisation, or a set of strings "
              "separated by commas. The answer is the value alone.", ""]
    for task in meridian:
        lines += [f"### {task.id}", "", f"**{task.title}** — {task.difficulty}; apps: {', '.join(task.apps)}; "
                  f"starts at {', '.join(task.start_pages)}" + (f"; template {task.template}" if task.template else ""),
                  "", task.instruction.strip(), "", "Checks:", ""]
        lines += [f"- ({c.weight:g}) {c.name}" + (f" (final answer: a {c.answer.type})" if c.answer else "")
                  for c in task.checks] + [""]
    return "\n".join(lines)
