"""A medical practice's insurance remittances (ERAs): one EFT paying several claims, short by contractual
adjustments and a patient's coinsurance (mock_apps/scenarios/work.py)."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, require
from mock_apps.tasks.selectors.money import dollars, plain
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
            "paid_cents": era.paid_cents, "claims": claims, "closed": [*claims, f"CO45-{era.trace}"], "claims_text": listing(claims), "claim_count": len(claims),
            "credit_memo": f"CO45-{era.trace}", "credit_cents": written_off, "credit": dollars(written_off),
            "credit_plain": plain(written_off), "adjustments": dollars(era.adjustment_cents),
            "patient": patient.name, "patient_email": patient.email, "patient_claim": owing[0].invoice_number,
            "patient_cents": owing[0].patient_cents, "patient_amount": dollars(owing[0].patient_cents),
            "patient_plain": plain(owing[0].patient_cents)}))
    return require(instances, "work.eras with exactly one claim a patient owes coinsurance on")
