"""A law firm's client trust (IOLTA) work: what the trust ledger holds per client (summing to the trust
account's books balance), retainer checks mailed in and not yet deposited, and approved invoices a client
pays from its retainer (the earned fee moves from trust to operating)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from mock_apps.scenarios.facts import Facts
from mock_apps.scenarios.generator.work import untouched_open
from mock_apps.scenarios.work import EarnedFee, Retainer, TrustBalance, Work

TRUST_ACCOUNT = "Client Trust Account (IOLTA)"
FEES = 2  # approved invoices paid from trust
RETAINERS = 2  # retainer checks to deposit


def work(facts: Facts, rnd: random.Random) -> Work:
    """The trust ledger, the retainers to deposit and the earned fees to transfer of a law firm."""
    held = facts.account(TRUST_ACCOUNT).opening_balance_cents
    fees, clients = [], []
    for invoice in sorted(untouched_open(facts), key=lambda i: (rnd.random(), i.number)):
        if invoice.customer_key not in clients and invoice.total_cents <= held // (2 * FEES):
            fees.append(invoice)
            clients.append(invoice.customer_key)
        if len(fees) == FEES:
            break
    partner = facts.roles["sales_lead"]
    day = facts.now.date()
    earned = tuple(EarnedFee(i.number, i.customer_key, partner,
                             datetime.combine(day, time(9 + n, rnd.randint(0, 59)), facts.now.tzinfo))
                   for n, i in enumerate(fees))
    balances = [TrustBalance(i.customer_key, i.total_cents + rnd.randint(5, 40) * 50_000) for i in fees]
    others = [c.key for c in facts.customers if c.key not in clients]
    rnd.shuffle(others)
    depositors, holders = others[:RETAINERS], others[RETAINERS:RETAINERS + 4]
    left = held - sum(b.cents for b in balances)
    for n, key in enumerate(holders):
        cents = left if n == len(holders) - 1 else left * rnd.randint(15, 30) // 100 // 100 * 100
        balances.append(TrustBalance(key, cents))
        left -= cents
    retainers = tuple(
        Retainer(f"ret-{n + 1}", key, day - timedelta(days=1 + n), rnd.randint(5, 30) * 50_000,
                 f"CHK {rnd.randint(1000, 9999)}", f"Matter {rnd.randint(4000, 9999)}")
        for n, key in enumerate(depositors))
    return Work(trust_balances=tuple(balances), retainers=retainers, earned_fees=earned,
                ledger_error=mistyped(rnd.choice(balances[len(fees):])))


def mistyped(balance: TrustBalance) -> TrustBalance:
    """The balance with two adjacent different digits of its dollars swapped, as a hurried ledger entry has it."""
    digits = list(str(balance.cents // 100))
    i = next(i for i in range(len(digits) - 1) if digits[i] != digits[i + 1] and (i or digits[i + 1] != "0"))
    digits[i], digits[i + 1] = digits[i + 1], digits[i]
    return TrustBalance(balance.customer_key, int("".join(digits)) * 100 + balance.cents % 100)
