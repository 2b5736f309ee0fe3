"""An agency's project time to bill: the hours its people logged on a client's project, invoiced one line per
service at the service's rate (mock_apps/scenarios/work.py)."""

from __future__ import annotations

from datetime import timedelta

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact, require, slug
from mock_apps.tasks.selectors.money import dollars, number, plain


def unbilled_time(facts: Facts) -> list[Instance]:
    """One instance per project whose time the producer sent to be invoiced."""
    found = require(facts.work.projects if facts.work else (),
                    "work.projects (a project's unbilled time sent to be invoiced)")
    products = {p.sku: p for p in facts.products}
    instances = []
    for project in found:
        client = facts.customer(project.customer_key)
        producer = facts.person(project.requested_by)
        hours = project.hours_by_sku()
        lines = [{"item": products[sku].name, "hours": f"{x100 / 100:g}", "rate": f"{products[sku].unit_price_cents / 100:.2f}"}
                 for sku, x100 in hours.items()]
        total = sum(x100 * products[sku].unit_price_cents // 100 for sku, x100 in hours.items())
        instances.append(Instance(slug(project.project), {
            "client": client.name, "email": client.email, "producer_email": producer.email,
            "producer_first": producer.first_name, "next_invoice": f"INV-{1001 + len(facts.invoices)}", "contact": client.contact_name,
            "contact_first": client.contact_name.split()[0], "project": project.project, "producer": producer.name, "lines": lines,
            "line_count": len(lines), "quantities": [x100 * 10 for x100 in hours.values()],
            "rates": [products[sku].unit_price_cents for sku in hours], "total_cents": total, "total": dollars(total),
            "total_plain": plain(total), "total_number": number(total),
            "hours_total": f"{sum(hours.values()) / 100:g}",
            "amounts": [number(x100 * products[sku].unit_price_cents // 100) for sku, x100 in hours.items()],
            "hours": [float(line["hours"]) for line in lines],
            "services": ", ".join(f"{line['item']} {line['hours']} h" for line in lines)}))
    return instances


def all_unbilled(facts: Facts) -> list[Instance]:
    """One instance of two projects' unbilled time: both invoiced and both clients mailed."""
    each = [i.params for i in unbilled_time(facts)]
    if len(each) != 2:
        raise MissingFact(f"work.projects: two projects with unbilled time (the company has {len(each)})")
    first, second = each
    return [Instance("both", {
        "projects": each, "totals": [p["total_cents"] for p in each],
        **{f"first_{k}": v for k, v in first.items() if isinstance(v, (str, int, float))},
        **{f"second_{k}": v for k, v in second.items() if isinstance(v, (str, int, float))}})]


def retainers_due(facts: Facts) -> list[Instance]:
    """One instance per client billed the monthly retainer this month: next month's retainer to invoice."""
    retainer = next((p for p in facts.products if p.sku == "RET-MON"), None)
    month = (facts.now.month, facts.now.year)
    billed = [i for i in facts.invoices if (i.date.month, i.date.year) == month
              and any(line.sku == "RET-MON" for line in i.lines)]
    found = require(billed if retainer else [], "a monthly retainer (RET-MON) billed to a client this month")
    next_month = f"{(facts.now.replace(day=1) + timedelta(days=32)):%B}"
    instances = {}
    for invoice in found:
        client = facts.customer(invoice.customer_key)
        instances[client.key] = Instance(slug(client.name), {
            "client": client.name, "item": retainer.name, "rate": f"{retainer.unit_price_cents / 100:.2f}",
            "total_cents": retainer.unit_price_cents, "amount": dollars(retainer.unit_price_cents),
            "last_invoice": invoice.number, "month": f"{facts.now:%B}", "next_month": next_month})
    return list(instances.values())
