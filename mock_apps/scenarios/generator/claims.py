"""A medical practice's insurance remittances: visits billed as claims (an invoice to the patient's payer
each), and ERAs (835s) whose one EFT pays several of a payer's claims at once, each short of what was billed
by the contract's adjustment, one also by the patient's coinsurance, which the practice bills the patient."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from mock_apps.scenarios.facts import Facts, Invoice, Line
from mock_apps.scenarios.work import ClaimLine, Era, Work

ERAS = 2  # payers that remitted
CLAIMS = 3  # claims per remittance
VISITS = "Patient Service Revenue"


def extend(facts: Facts, rnd: random.Random, kinds: dict[str, str]) -> Facts:
    """The practice with its new claims among the invoices and the ERAs that pay them."""
    payers = [c for c in facts.customers if kinds.get(c.key) == "payer"]
    patients = [c for c in facts.customers if kinds.get(c.key) == "person"]
    visits = [p for p in facts.products if p.income_account == VISITS]
    number = 1001 + len(facts.invoices)  # the claims continue the invoice numbers (books' next number agrees)
    claims, eras = [], []
    for n, payer in enumerate(rnd.sample(payers, ERAS)):
        lines = []
        paid_on = facts.now.date() - timedelta(days=1 + n)
        for k, patient in enumerate(rnd.sample(patients, CLAIMS)):
            seen = paid_on - timedelta(days=rnd.randint(9, 24))
            picked = rnd.sample(visits, rnd.randint(1, 2))
            invoice = Invoice(f"INV-{number}", payer.key, seen, seen + timedelta(days=payer.terms_days),
                              tuple(Line(p.name, 1, p.unit_price_cents, p.income_account, p.sku) for p in picked),
                              memo=f"Claim for {patient.name}, date of service {seen:%m/%d/%Y}")
            number += 1
            claims.append(invoice)
            allowed = invoice.total_cents * rnd.randint(58, 86) // 100
            patient_cents = allowed * 20 // 100 if k == 0 else 0  # the first claim's patient owes coinsurance
            lines.append(ClaimLine(invoice.number, patient.key, invoice.total_cents, allowed - patient_cents,
                                   invoice.total_cents - allowed, patient_cents))
        eras.append(Era(f"era-{n + 1}", payer.key, f"{rnd.randint(1, 9)}{rnd.randint(10**8, 10**9 - 1)}", paid_on,
                        tuple(lines)))
    invoices = tuple(sorted(facts.invoices + tuple(claims), key=lambda i: int(i.number.split("-")[1])))
    return replace(facts, invoices=invoices, work=Work(eras=tuple(eras)))
