"""An agency's project time: what its people logged on a client's project in the last two weeks of the
quarter, which the producer sends to be invoiced (one line per service at the service's rate)."""

from __future__ import annotations

import random
from datetime import date, datetime, time

from mock_apps.scenarios.facts import Facts
from mock_apps.scenarios.history import business_days
from mock_apps.scenarios.work import ProjectTime, TimeEntry, Work

PROJECTS = 2
KINDS = ("spring campaign", "website refresh", "brand refresh", "product launch", "trade show")
# who logs which service (the agency's roles and the hourly services they sell)
LOGGERS = (("field_lead", "HRS-DES"), ("sales_lead", "HRS-STR"), ("seller2", "HRS-COP"), ("seller", "HRS-STR"),
           ("ops", "HRS-DEV"))
NOTES = {"HRS-DES": ("layouts", "art direction", "revisions after review", "asset production"),
         "HRS-STR": ("kickoff workshop", "campaign brief", "channel plan", "client review"),
         "HRS-COP": ("headlines and body copy", "script draft", "copy revisions"),
         "HRS-DEV": ("landing page build", "QA and fixes", "analytics setup")}


def work(facts: Facts, rnd: random.Random) -> Work:
    """The unbilled time of PROJECTS client projects (distinct clients, companies only)."""
    skus = {p.sku for p in facts.products}
    loggers = [(facts.roles[role], sku) for role, sku in LOGGERS if role in facts.roles and sku in skus]
    days = business_days(date(2026, 3, 16), date(2026, 3, 27))
    clients = rnd.sample([c for c in facts.customers if " " in c.name and not c.name.endswith("Board")], PROJECTS)
    projects = []
    for n, client in enumerate(clients):
        team = rnd.sample(loggers, 3)
        entries = []
        for day in sorted(rnd.sample(days, 5)):
            for person, sku in rnd.sample(team, rnd.randint(1, 2)):
                entries.append(TimeEntry(person, day, sku, rnd.randint(4, 24) * 25, rnd.choice(NOTES[sku])))
        at = datetime.combine(facts.now.date(), time(8 + 2 * n, rnd.randint(0, 59)), facts.now.tzinfo)
        projects.append(ProjectTime(f"prj-{n + 1}", client.key, f"{client.name.split()[0]} {rnd.choice(KINDS)}",
                                    tuple(entries), facts.roles["purchasing"], at))
    return Work(projects=tuple(projects))
