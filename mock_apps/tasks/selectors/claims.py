"""A medical practice's insurance remittances (ERAs): one EFT paying several claims, short by contractual
adjustments and a patient's coinsurance (mock_apps/scenarios/work.py)."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, require
from mock_apps.tasks.selectors.money import dollars, number, plain
from mock_apps.tasks.selectors.names import listing


def eras(facts: Facts) -> list[Instance]:
    """One instance per ERA: the EFT, its claims, the write-off off the payer and the patient's balance."""
    found = require(facts.work.eras if facts.work else (),
                    "work.eras (an insurance remittance paying several claims at once)")
    instances = []
    for era in found:
        payer = facts.customer(era.payer_key)
        owing = [c for c in era.claims if c.patient_cents]
        if len(owing) != 1:
            continue  # the template bills one patient
        patient = facts.customer(owing[0].patient_key)
        written_off = era.adjustment_cents + owing[0].patient_cents
        claims = [c.invoice_number for c in era.claims]
        instances.append(Instance(f"eft-{era.trace}", {
            "payer": payer.name, "trace": era.trace, "date": era.date.isoformat(), "paid": dollars(era.paid_cents),
            "paid_cents": era.paid_cents, "paid_number": number(era.paid_cents),
            "allowed_cents": sum(c.allowed_cents for c in era.claims),
            "rows": [[c.invoice_number, number(c.billed_cents), number(c.paid_cents), number(c.adjustment_cents),
                      number(c.patient_cents)] for c in era.claims],
            "paid_amounts": [number(c.paid_cents) for c in era.claims],
            "adjustment_amounts": [number(c.adjustment_cents) for c in era.claims],
            "patient_number": number(owing[0].patient_cents), "claims": claims, "closed": [*claims, f"CO45-{era.trace}"], "claims_text": listing(claims), "claim_count": len(claims),
            "credit_memo": f"CO45-{era.trace}", "credit_cents": written_off, "credit": dollars(written_off),
            "credit_plain": plain(written_off), "adjustments": dollars(era.adjustment_cents),
            "patient": patient.name, "patients": [patient.name], "patient_email": patient.email, "patient_claim": owing[0].invoice_number,
            "patient_cents": owing[0].patient_cents, "patient_amount": dollars(owing[0].patient_cents),
            "patient_plain": plain(owing[0].patient_cents)}))
    return require(instances, "work.eras with exactly one claim a patient owes coinsurance on")


def all_eras(facts: Facts) -> list[Instance]:
    """One instance of every ERA in the mailbox: all posted and all their patients billed."""
    each = [i.params for i in eras(facts)]
    return [Instance("all", {
        "eras": each, "era_count": len(each), "traces": [e["trace"] for e in each],
        "credit_memos": [e["credit_memo"] for e in each], "claims": [c for e in each for c in e["claims"]],
        "claim_count": sum(e["claim_count"] for e in each), "closed": [c for e in each for c in e["closed"]],
        "patient_totals": [e["patient_cents"] for e in each],
        "payers_text": listing([f"{e['payer']} (EFT {e['trace']}, {e['paid']})" for e in each]),
        "patients_text": listing([f"{e['patient']} ({e['patient_amount']})" for e in each])})]
