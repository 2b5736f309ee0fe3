"""An industry's own work beyond the common books: a law firm's client trust (IOLTA) ledger and retainers, a
medical practice's insurance remittances (ERAs) paying several claims at once, an agency's project time to bill.

They sit in one optional field of Facts (`work`), so meridian and every company's other facts are unchanged.
Money is integer cents; hours are hundredths.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class TrustBalance:
    """What the trust ledger holds for one client (the client trust account's balances sum to its books balance)."""

    customer_key: str
    cents: int


@dataclass(frozen=True)
class Retainer:
    """A client's retainer check mailed in and not yet deposited to the trust account."""

    key: str
    customer_key: str
    date: date
    amount_cents: int
    reference: str  # the check number, "CHK 5521"
    matter: str


@dataclass(frozen=True)
class EarnedFee:
    """An approved invoice a client pays from the retainer the firm holds in trust for it."""

    invoice_number: str
    customer_key: str
    approved_by: str  # person key (a partner)
    approved_at: datetime


@dataclass(frozen=True)
class ClaimLine:
    """One claim (an invoice to the payer) on a remittance: billed, paid, the contractual write-off, the patient's share."""

    invoice_number: str
    patient_key: str  # the customer (a patient) the visit was for
    billed_cents: int
    paid_cents: int
    adjustment_cents: int  # CO-45: above the payer's allowed amount, written off
    patient_cents: int  # PR: coinsurance or deductible, billed to the patient

    @property
    def allowed_cents(self) -> int:
        """What the payer's contract allows: what it paid plus the patient's share."""
        return self.paid_cents + self.patient_cents


@dataclass(frozen=True)
class Era:
    """An electronic remittance advice (835): one EFT from a payer paying several claims, some short."""

    key: str
    payer_key: str
    trace: str  # the EFT trace number, the payment's reference
    date: date
    claims: tuple[ClaimLine, ...]

    @property
    def paid_cents(self) -> int:
        """The EFT's amount."""
        return sum(c.paid_cents for c in self.claims)

    @property
    def adjustment_cents(self) -> int:
        """The contractual adjustments of all its claims."""
        return sum(c.adjustment_cents for c in self.claims)


@dataclass(frozen=True)
class TimeEntry:
    """Hours one person logged on a project on a day, as a service the agency sells (a product's sku)."""

    person_key: str
    date: date
    sku: str
    hours_x100: int
    note: str


@dataclass(frozen=True)
class ProjectTime:
    """A project's unbilled time the producer sent to be invoiced to its client."""

    key: str
    customer_key: str
    project: str
    entries: tuple[TimeEntry, ...]
    requested_by: str  # person key
    requested_at: datetime

    def hours_by_sku(self) -> dict[str, int]:
        """Hours (hundredths) per service, in the order the services first appear."""
        totals: dict[str, int] = {}
        for entry in self.entries:
            totals[entry.sku] = totals.get(entry.sku, 0) + entry.hours_x100
        return totals


@dataclass(frozen=True)
class Work:
    """The industry's own work of one company (each part empty where the industry has none)."""

    trust_balances: tuple[TrustBalance, ...] = ()
    retainers: tuple[Retainer, ...] = ()
    earned_fees: tuple[EarnedFee, ...] = ()
    ledger_error: TrustBalance | None = None  # a client's balance as the trust ledger sheet shows it (mistyped)
    eras: tuple[Era, ...] = ()
    projects: tuple[ProjectTime, ...] = ()

    def trust_cents(self, customer_key: str) -> int:
        """What the trust ledger holds for a client."""
        return sum(b.cents for b in self.trust_balances if b.customer_key == customer_key)
