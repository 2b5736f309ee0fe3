"""Meridian Supply Co.: a small distributor of janitorial and office supplies, closing March 2026.

Hand-written cast and narrative facts (what tasks depend on), with seeded filler around them.
Everything is derived from the fixed seed: the same facts on every machine, every run.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mock_apps.scenarios.history import bank_history, bill_payments as _bill_payments, business_days as _business_days
from mock_apps.scenarios.history import last_business_day as _last_business_day
from mock_apps.scenarios.history import regular_pay_runs, slips as _slips
from mock_apps.scenarios.history import slug_domain as _slug_domain
from mock_apps.scenarios.expense_history import paid_and_card_reports
from mock_apps.scenarios.meridian_backdrop import BACKDROP
from mock_apps.scenarios.policy import EXPENSE_ITEMS, MEAL_LIMIT_CENTS
from mock_apps.scenarios.facts import (
    Account,
    Bill,
    Company,
    Customer,
    CustomerPayment,
    Event,
    Expense,
    ExpenseLineFact,
    ExpenseReportFact,
    Facts,
    HRFacts,
    OnboardingFact,
    PayRunFact,
    Invoice,
    Line,
    PayrollRun,
    Person,
    Product,
    TimeOffFact,
    TimesheetFact,
    Vendor,
    VendorOnboarding,
    WorkerRecord,
)

SEED = 20260331
TZ = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 31, 15, 30, tzinfo=TZ)
OPENING = date(2025, 12, 31)
DOMAIN = "meridiansupply.com"

COMPANY = Company(
    name="Meridian Supply Co.",
    legal_name="Meridian Supply Company, LLC",
    domain=DOMAIN,
    address="2150 Commerce Park Dr, Suite 400",
    city="Columbus",
    state="OH",
    postal_code="43219",
    phone="(614) 555-0140",
    timezone="America/Chicago",
    realm_id="9341452298761234",
    bank_name="First Lakes Bank",
    bank_account_last4="4417",
)

# (key, first, last, title, department, timezone, manager)
_PEOPLE = [
    ("dana.whitfield", "Dana", "Whitfield", "Staff Accountant", "Finance", "America/Chicago", "marcus.reyes"),
    ("marcus.reyes", "Marcus", "Reyes", "Controller", "Finance", "America/Chicago", "helen.park"),
    ("helen.park", "Helen", "Park", "Chief Executive Officer", "Executive", "America/New_York", None),
    ("priya.nair", "Priya", "Nair", "AP Specialist", "Finance", "America/Chicago", "marcus.reyes"),
    ("tom.becker", "Tom", "Becker", "Operations Manager", "Operations", "America/Chicago", "helen.park"),
    ("lena.ortiz", "Lena", "Ortiz", "Sales Director", "Sales", "America/Denver", "helen.park"),
    ("jamal.carter", "Jamal", "Carter", "Account Executive", "Sales", "America/Chicago", "lena.ortiz"),
    ("sophie.lindqvist", "Sophie", "Lindqvist", "Account Executive", "Sales", "America/New_York", "lena.ortiz"),
    ("raj.patel", "Raj", "Patel", "Warehouse Lead", "Operations", "America/Chicago", "tom.becker"),
    ("emily.chen", "Emily", "Chen", "Purchasing Manager", "Operations", "America/Chicago", "tom.becker"),
    ("victor.okafor", "Victor", "Okafor", "IT Administrator", "Operations", "America/Chicago", "tom.becker"),
    ("grace.kim", "Grace", "Kim", "HR & Office Manager", "Executive", "America/Chicago", "helen.park"),
]

ACCOUNTS = (
    Account("1000", "Operating Checking", "Bank", "Checking", 18_452_310),
    Account("1010", "Savings", "Bank", "Savings", 25_000_000),
    Account("1200", "Accounts Receivable", "Accounts receivable", "AccountsReceivable", 0),
    Account("1300", "Inventory Asset", "Other current asset", "Inventory", 9_640_000),
    Account("1400", "Prepaid Expenses", "Other current asset", "PrepaidExpenses", 1_200_000),
    Account("1500", "Warehouse Equipment", "Fixed asset", "MachineryAndEquipment", 8_500_000),
    Account("1510", "Accumulated Depreciation", "Fixed asset", "AccumulatedDepreciation", -1_700_000),
    Account("2000", "Accounts Payable", "Accounts payable", "AccountsPayable", 0),
    Account("2100", "Company Visa", "Credit card", "CreditCard", 0),
    Account("2200", "Accrued Liabilities", "Other current liability", "AccruedLiabilities", 0),
    Account("2300", "Payroll Liabilities", "Other current liability", "PayrollTaxPayable", 0),
    Account("2700", "Equipment Loan", "Long-term liability", "NotesPayable", 4_800_000),
    Account("3000", "Owner's Equity", "Equity", "OwnersEquity", 30_000_000),
    Account("3100", "Retained Earnings", "Equity", "RetainedEarnings", 26_292_310),
    Account("4000", "Sales", "Income", "SalesOfProductIncome", 0),
    Account("4100", "Freight Income", "Income", "OtherPrimaryIncome", 0),
    Account("5000", "Cost of Goods Sold", "Cost of goods sold", "SuppliesMaterialsCogs", 0),
    Account("5100", "Freight In", "Cost of goods sold", "ShippingFreightDeliveryCos", 0),
    Account("6000", "Rent", "Expense", "RentOrLeaseOfBuildings", 0),
    Account("6100", "Utilities", "Expense", "Utilities", 0),
    Account("6200", "Payroll Expenses", "Expense", "PayrollExpenses", 0),
    Account("6210", "Payroll Taxes", "Expense", "PayrollExpenses", 0),
    Account("6300", "Office Supplies", "Expense", "OfficeGeneralAdministrativeExpenses", 0),
    Account("6400", "Software Subscriptions", "Expense", "OtherMiscellaneousServiceCost", 0),
    Account("6500", "Insurance", "Expense", "Insurance", 0),
    Account("6600", "Professional Fees", "Expense", "LegalProfessionalFees", 0),
    Account("6700", "Travel", "Expense", "Travel", 0),
    Account("6710", "Meals", "Expense", "EntertainmentMeals", 0),
    Account("6800", "Advertising", "Expense", "AdvertisingPromotional", 0),
    Account("6900", "Repairs & Maintenance", "Expense", "RepairMaintenance", 0),
    Account("6950", "Bank Fees", "Expense", "BankCharges", 0),
    Account("7000", "Interest Income", "Other income", "InterestEarned", 0),
    Account("8000", "Interest Expense", "Other expense", "InterestPaid", 0),
)

ROLES = {"owner": "dana.whitfield", "controller": "marcus.reyes", "ceo": "helen.park", "ap": "priya.nair",
         "ops": "tom.becker", "sales_lead": "lena.ortiz", "seller": "jamal.carter", "seller2": "sophie.lindqvist",
         "field_lead": "raj.patel", "purchasing": "emily.chen", "it": "victor.okafor", "hr": "grace.kim"}

# (key, name, contact, terms, account, category)
_VENDORS = [
    ("northwind-paper", "Northwind Paper Co.", "Alicia Grant", 30, "Cost of Goods Sold", "Inventory"),
    ("summit-packaging", "Summit Packaging Co.", "Derek Holt", 30, "Cost of Goods Sold", "Inventory"),
    # near-duplicate of the one above: a distractor for vendor matching
    ("summit-packaging-supply", "Summit Packaging Supply", "Renee Voss", 15, "Cost of Goods Sold", "Inventory"),
    ("clearwater-chemical", "Clearwater Chemical Inc.", "Omar Haddad", 45, "Cost of Goods Sold", "Inventory"),
    ("brightline-logistics", "Brightline Logistics", "Kara Jensen", 30, "Freight In", "Freight"),
    ("keystone-janitorial", "Keystone Janitorial Products", "Bill Sutter", 30, "Cost of Goods Sold", "Inventory"),
    ("apex-office", "Apex Office Furniture", "Nina Brooks", 30, "Cost of Goods Sold", "Inventory"),
    ("redwood-properties", "Redwood Properties LLC", "Sam Whitaker", 0, "Rent", "Facilities"),
    ("buckeye-power", "Buckeye Power & Light", "Customer Service", 20, "Utilities", "Facilities"),
    ("cityline-water", "Cityline Water Utility", "Billing Dept", 20, "Utilities", "Facilities"),
    ("ohio-mutual", "Ohio Mutual Insurance", "Patricia Lowe", 30, "Insurance", "Insurance"),
    ("hale-cpa", "Hale & Associates CPAs", "Gordon Hale", 30, "Professional Fees", "Professional"),
    ("ledgerly", "Ledgerly Software", "Accounts Team", 30, "Software Subscriptions", "Software"),
    ("cloudnest", "CloudNest Hosting", "Billing", 15, "Software Subscriptions", "Software"),
    ("forklift-pros", "Forklift Pros Service", "Ray Dunn", 30, "Repairs & Maintenance", "Maintenance"),
    ("metro-print", "Metro Print & Sign", "Jess Alvarez", 15, "Advertising", "Marketing"),
    ("greenleaf-office", "Greenleaf Office Supply", "Tina Moore", 30, "Office Supplies", "Office"),
    ("pioneer-freight", "Pioneer Freight Lines", "Hank Collins", 30, "Freight In", "Freight"),
    ("sterling-staffing", "Sterling Staffing", "Monica Reed", 15, "Payroll Expenses", "Staffing"),
    ("crestview-labels", "Crestview Labels", "Paul Ng", 30, "Cost of Goods Sold", "Inventory"),
    ("harbor-gloves", "Harbor Glove Manufacturing", "Lucy Tran", 45, "Cost of Goods Sold", "Inventory"),
    ("evergreen-cleaning", "Evergreen Cleaning Services", "Maria Santos", 15, "Repairs & Maintenance", "Facilities"),
    ("trident-security", "Trident Security Systems", "Jake Morrow", 30, "Repairs & Maintenance", "Facilities"),
    ("bluepeak-marketing", "BluePeak Marketing", "Chloe Baxter", 30, "Advertising", "Marketing"),
    ("quickfleet", "QuickFleet Vehicle Leasing", "Ian Shaw", 30, "Travel", "Vehicles"),
]

_CUSTOMERS = [
    ("lakeside-medical", "Lakeside Medical Center", "Rebecca Stone", 30),
    ("hilltop-schools", "Hilltop School District", "Frank Morales", 45),
    ("crown-hotels", "Crown Hotel Group", "Angela Wu", 30),
    ("oakridge-offices", "Oakridge Office Park", "Steven Clark", 30),
    ("riverbend-university", "Riverbend University", "Karen Liu", 60),
    ("summit-fitness", "Summit Fitness Clubs", "Tyler Green", 15),
    ("bayview-apartments", "Bayview Apartments", "Megan Price", 30),
    ("granite-law", "Granite & Vale LLP", "Howard Vale", 30),
    ("pinecrest-clinic", "Pinecrest Family Clinic", "Dr. Ana Ruiz", 30),
    ("metro-transit", "Metro Transit Authority", "Gil Thompson", 45),
    ("harvest-foods", "Harvest Foods Market", "Olivia Reed", 15),
    ("northgate-mall", "Northgate Mall Management", "Chris Evans", 30),
    ("westfield-daycare", "Westfield Daycare", "Sara Cole", 15),
    ("ironworks-gym", "Ironworks Gym", "Mike Dalton", 15),
    ("coastal-dental", "Coastal Dental Group", "Dr. Lisa Hart", 30),
    ("union-station-cafe", "Union Station Cafe", "Paulo Reyes", 15),
    ("brookside-church", "Brookside Community Church", "Pastor Dean Ames", 30),
    ("silverline-tech", "Silverline Technologies", "Jordan Blake", 30),
    ("parkview-hospital", "Parkview Hospital", "Nancy Doyle", 45),
    ("elmwood-library", "Elmwood Public Library", "Irene Shaw", 30),
]

# (sku, name, description, price, cost, vendor)
_PRODUCTS = [
    ("PT-2200", "Paper Towels, Multifold (16 pk)", "Case of 16 multifold paper towel packs", 3_895, 2_410, "northwind-paper"),
    ("TT-1200", "Toilet Tissue, 2-ply (96 rolls)", "Case of 96 two-ply rolls", 6_450, 4_020, "northwind-paper"),
    ("CP-5000", "Copy Paper, Letter (10 reams)", "Case of 10 reams, 20 lb", 5_299, 3_650, "northwind-paper"),
    ("BX-1818", "Shipping Boxes 18x18x18 (25)", "Bundle of 25 corrugated boxes", 4_275, 2_590, "summit-packaging"),
    ("ST-0300", "Stretch Wrap 18in (4 rolls)", "Case of 4 stretch-film rolls", 6_800, 4_150, "summit-packaging"),
    ("CL-4410", "All-Purpose Cleaner (4 gal)", "Case of 4 one-gallon jugs", 4_980, 2_870, "clearwater-chemical"),
    ("DS-2001", "Hospital Disinfectant (4 gal)", "EPA-registered disinfectant, case of 4", 8_920, 5_300, "clearwater-chemical"),
    ("HS-0800", "Hand Soap Refill (8 x 1L)", "Foaming hand-soap refills", 5_640, 3_100, "keystone-janitorial"),
    ("TL-3300", "Trash Liners 33 gal (250)", "Heavy-duty can liners", 3_725, 2_050, "keystone-janitorial"),
    ("MP-0024", "Microfiber Mops (24)", "Flat microfiber mop pads", 7_190, 4_200, "keystone-janitorial"),
    ("GL-1000", "Nitrile Gloves, Medium (1000)", "Box of 1,000 exam-grade gloves", 9_850, 6_340, "harbor-gloves"),
    ("GL-1001", "Nitrile Gloves, Large (1000)", "Box of 1,000 exam-grade gloves", 9_850, 6_340, "harbor-gloves"),
    ("CH-0410", "Ergonomic Task Chair", "Mesh-back task chair", 28_900, 17_500, "apex-office"),
    ("LB-4000", "Shipping Labels 4x6 (4000)", "Thermal labels, 4 rolls", 5_195, 2_980, "crestview-labels"),
    ("SVC-DEL", "Delivery Service", "Scheduled delivery, per drop", 7_500, 0, "brightline-logistics"),
]


def build() -> Facts:
    """Generate Meridian Supply Co.'s facts from the fixed seed."""
    rnd = random.Random(SEED)
    people = tuple(
        Person(
            key=k, first_name=f, last_name=last, email=f"{k}@{DOMAIN}", title=t, department=d,
            timezone=tz, phone=f"(614) 555-{2100 + i:04d}", manager_key=m,
        )
        for i, (k, f, last, t, d, tz, m) in enumerate(_PEOPLE)
    )
    vendors = tuple(_vendor(rnd, i, *row) for i, row in enumerate(_VENDORS))
    customers = tuple(_customer(rnd, i, *row) for i, row in enumerate(_CUSTOMERS))
    products = tuple(  # the delivery service is freight income (books always posted it there)
        Product(sku, name, desc, price, cost, "Freight Income" if sku == "SVC-DEL" else "Sales", "Cost of Goods Sold",
                vendor)
        for sku, name, desc, price, cost, vendor in _PRODUCTS
    )
    invoices = _invoices(rnd, customers, products)
    payments = _customer_payments(rnd, invoices)
    bills = _bills(rnd, vendors, products)
    bill_payments = _bill_payments(bills)
    expenses = _expenses(rnd)
    payroll = _payroll()
    opening = next(a for a in ACCOUNTS if a.name == "Operating Checking").opening_balance_cents
    bank_lines, statements = bank_history(opening, payments, bill_payments, expenses, payroll, NOW)
    onboardings = _onboardings()
    expense_reports = _expense_reports()
    pending = _pending_remittances(invoices, payments)
    events = tuple(sorted(_events(bills, invoices, payments, vendors) + _later_events(bills, bill_payments),
                          key=lambda e: e.at))
    return Facts(
        company=COMPANY, now=NOW, opening_date=OPENING, people=people,
        mailbox_owner="dana.whitfield", accounts=ACCOUNTS, products=products, vendors=vendors,
        customers=customers, invoices=invoices, bills=bills, customer_payments=payments,
        bill_payments=bill_payments, expenses=expenses, payroll_runs=payroll,
        bank_lines=bank_lines, statements=statements, events=events, onboardings=onboardings,
        expense_reports=expense_reports, pending_remittances=pending, expense_meal_limit_cents=MEAL_LIMIT_CENTS,
        hr=_hr(people, payroll, expense_reports), roles=dict(ROLES), backdrop=BACKDROP,
        signed_customer=Customer("maple-grove-dental", "Maple Grove Dental", "Dr. Priya Shah", "priya@maplegrovedental.com",
                                 "(614) 555-0199", "77 Maple Grove Ave, Columbus, OH 43215", 30),
    )


def _vendor(rnd: random.Random, i: int, key, name, contact, terms, account, category) -> Vendor:
    first = contact.split()[0].lower()
    mailbox = "billing" if contact.split()[0] in {"Customer", "Billing", "Accounts"} else first
    return Vendor(
        key=key, name=name, contact_name=contact, email=f"{mailbox}@{_slug_domain(name)}",
        phone=f"({rnd.choice([614, 216, 513, 419, 937])}) 555-{rnd.randint(1000, 9999)}",
        address=f"{rnd.randint(100, 9800)} {rnd.choice(['Industrial', 'Harbor', 'Market', 'Maple', 'Lincoln', 'River'])} "
                f"{rnd.choice(['Ave', 'St', 'Blvd', 'Rd'])}, {rnd.choice(['Dayton', 'Cleveland', 'Toledo', 'Akron', 'Cincinnati'])}, OH",
        terms_days=terms, expense_account=account, category=category,
        bank_name=rnd.choice(["Huntington National Bank", "KeyBank", "Fifth Third Bank", "PNC Bank"]),
        bank_account_last4=f"{rnd.randint(0, 9999):04d}", routing_last4=f"{rnd.randint(0, 9999):04d}",
    )


def _customer(rnd: random.Random, i: int, key, name, contact, terms) -> Customer:
    first = contact.replace("Dr. ", "").replace("Pastor ", "").split()[0].lower()
    return Customer(
        key=key, name=name, contact_name=contact, email=f"{first}@{_slug_domain(name)}",
        phone=f"(614) 555-{3000 + i * 37:04d}",
        address=f"{rnd.randint(10, 990) * 10} {rnd.choice(['Oak', 'High', 'Broad', 'Main', 'Park'])} St, Columbus, OH",
        terms_days=terms,
    )


def _invoices(rnd: random.Random, customers, products) -> tuple[Invoice, ...]:
    days = _business_days(date(2026, 1, 5), date(2026, 3, 27))
    sold = [p for p in products if p.sku != "SVC-DEL"]
    delivery = next(p for p in products if p.sku == "SVC-DEL")
    invoices = []
    for n in range(48):
        customer = customers[(n * 7 + rnd.randint(0, 3)) % len(customers)]
        day = days[min(len(days) - 1, n * len(days) // 48 + rnd.randint(0, 1))]
        lines = []
        for p in rnd.sample(sold, rnd.randint(1, 4)):
            lines.append(Line(p.name, rnd.randint(12, 140), p.unit_price_cents, p.income_account, p.sku))
        if rnd.random() < 0.4:
            lines.append(Line(delivery.name, 1, delivery.unit_price_cents, "Freight Income", delivery.sku))
        invoices.append(Invoice(
            number=f"INV-{1001 + n}", customer_key=customer.key, date=day,
            due_date=day + timedelta(days=customer.terms_days), lines=tuple(lines),
            memo=f"PO {rnd.randint(4000, 9999)}" if rnd.random() < 0.5 else "",
        ))
    return tuple(invoices)


def _customer_payments(rnd: random.Random, invoices) -> tuple[CustomerPayment, ...]:
    payments = []
    for inv in invoices:
        pay_day = inv.date + timedelta(days=rnd.randint(10, 40))
        if pay_day >= NOW.date() - timedelta(days=1):
            continue  # still open
        if inv.number in {"INV-1009", "INV-1017", "INV-1026"}:
            continue  # overdue and unpaid: collections tasks
        amount = inv.total_cents
        if inv.number == "INV-1021":
            amount = inv.total_cents // 2 // 100 * 100  # the partial payment
        method = rnd.choice(["Check", "ACH", "ACH", "Credit card"])
        ref = f"CHK {rnd.randint(10000, 99999)}" if method == "Check" else f"{method[:3].upper()}-{rnd.randint(100000, 999999)}"
        payments.append(CustomerPayment(
            key=f"pmt-{len(payments) + 1:03d}", customer_key=inv.customer_key, date=pay_day,
            amount_cents=amount, method=method, reference=ref, applications=((inv.number, amount),),
        ))
    return tuple(sorted(payments, key=lambda p: (p.date, p.key)))


def _bills(rnd: random.Random, vendors, products) -> tuple[Bill, ...]:
    bills: list[Bill] = []
    by_vendor = {}
    for p in products:
        by_vendor.setdefault(p.vendor_key, []).append(p)

    def add(vendor: Vendor, day: date, lines, **kw) -> Bill:
        n = len(bills) + 1
        bill = Bill(
            key=f"bill-{n:03d}", vendor_key=vendor.key,
            vendor_invoice_number=kw.pop("number", f"{vendor.name[:2].upper()}-{rnd.randint(10000, 99999)}"),
            date=day, due_date=day + timedelta(days=vendor.terms_days), lines=tuple(lines), **kw,
        )
        bills.append(bill)
        return bill

    fixed = {  # monthly fixed-cost vendors: (amount cents, description)
        "redwood-properties": (850_000, "Warehouse and office rent"),
        "buckeye-power": None, "cityline-water": None,
        "ledgerly": (29_900, "Ledgerly Business plan, monthly"),
        "cloudnest": (14_750, "Hosting and backups, monthly"),
        "ohio-mutual": (212_500, "General liability and property premium, monthly installment"),
    }
    vmap = {v.key: v for v in vendors}
    for month in (1, 2, 3):
        first = date(2026, month, 1)
        for key, spec in fixed.items():
            v = vmap[key]
            if spec is None:
                amount = rnd.randint(38_000, 96_000)
                desc = "Electric service" if key == "buckeye-power" else "Water and sewer service"
            else:
                amount, desc = spec
            day = first + timedelta(days=rnd.randint(0, 4))
            add(v, day, [Line(f"{desc} - {first:%B %Y}", 1, amount, v.expense_account)])
        for key in ("northwind-paper", "summit-packaging", "clearwater-chemical", "keystone-janitorial",
                    "harbor-gloves", "crestview-labels", "apex-office"):
            v = vmap[key]
            for _ in range(1 if key in {"apex-office", "crestview-labels"} else 2):
                day = first + timedelta(days=rnd.randint(2, 26))
                if day > NOW.date():
                    day = NOW.date() - timedelta(days=rnd.randint(1, 5))
                lines = [Line(p.name, rnd.randint(60, 320), p.unit_cost_cents, "Inventory Asset", p.sku)
                         for p in rnd.sample(by_vendor[key], min(len(by_vendor[key]), rnd.randint(1, 2)))]
                add(v, day, lines)
        for key in ("brightline-logistics", "pioneer-freight", "forklift-pros", "hale-cpa", "metro-print",
                    "greenleaf-office", "evergreen-cleaning", "bluepeak-marketing"):
            v = vmap[key]
            day = first + timedelta(days=rnd.randint(3, 24))
            amount = rnd.randint(18_000, 420_000) // 5 * 5
            add(v, day, [Line(f"{v.category} services - {first:%B %Y}", 1, amount, v.expense_account)])

    # Narrative bills (March), which tasks depend on.
    add(vmap["brightline-logistics"], date(2026, 3, 18),
        [Line("Freight consolidation, March shipments (14 pallets)", 14, 30_350, "Freight In")],
        number="BL-20931", in_books=False, approved_by="marcus.reyes",
        memo="Only in mail so far; approved in #ap-approvals")
    add(vmap["summit-packaging"], date(2026, 3, 20),
        [Line("Stretch Wrap 18in (4 rolls)", 25, 4_150, "Inventory Asset", "ST-0300"),
         Line("Shipping Boxes 18x18x18 (25)", 20, 2_590, "Inventory Asset", "BX-1818")],
        number="SP-88412", in_books=False, approved_by="marcus.reyes", resent_duplicate=True,
        memo="Vendor re-sent the same invoice; enter it once")
    add(vmap["clearwater-chemical"], date(2026, 3, 23),
        [Line("Hospital Disinfectant (4 gal)", 40, 5_300, "Inventory Asset", "DS-2001"),
         Line("Volume credit per agreement", 1, -8_000, "Inventory Asset")],
        number="CC-55107", in_books=False, approved_by="marcus.reyes", mailed_total_cents=212_000,
        memo="Mailed PDF omits the $80.00 volume credit; corrected in chat")
    add(vmap["summit-packaging-supply"], date(2026, 3, 24),
        [Line("Corner boards and edge protectors", 300, 185, "Inventory Asset")],
        number="SPS-1107", in_books=False, approved_by=None,
        memo="Near-duplicate vendor name; not approved yet")
    add(vmap["forklift-pros"], date(2026, 3, 26),
        [Line("Forklift hydraulic repair, unit 2", 1, 186_500, "Repairs & Maintenance")],
        number="FP-7781", in_books=False, approved_by="tom.becker")
    return tuple(bills)


def _expenses(rnd: random.Random) -> tuple[Expense, ...]:
    merchants = [
        ("Delta Air Lines", "Travel", (24_000, 61_000)), ("Marriott Columbus", "Travel", (15_000, 42_000)),
        ("Panera Bread", "Meals", (1_800, 9_500)), ("Staples", "Office Supplies", (2_500, 18_000)),
        ("Amazon Business", "Office Supplies", (1_900, 24_000)), ("Shell Oil", "Travel", (4_000, 9_000)),
        ("Zoom Video", "Software Subscriptions", (1_499, 1_499)), ("Google Ads", "Advertising", (15_000, 60_000)),
    ]
    expenses = []
    for i, day in enumerate(_business_days(date(2026, 1, 6), date(2026, 3, 30))[::3]):
        name, account, (lo, hi) = merchants[(i * 5 + rnd.randint(0, 2)) % len(merchants)]
        expenses.append(Expense(
            key=f"exp-{i + 1:03d}", date=day, payee=name, account=account,
            amount_cents=rnd.randint(lo, hi), paid_from="Company Visa",
            memo=rnd.choice(["", "Client visit", "Team lunch", "Restock", "Trade show"]),
        ))
    for month in (1, 2, 3):  # monthly bank fee from the operating account
        expenses.append(Expense(
            key=f"exp-fee-{month:02d}", date=date(2026, month, 28), payee="First Lakes Bank",
            account="Bank Fees", amount_cents=4_500, paid_from="Operating Checking", memo="Monthly service fee",
        ))
    return tuple(sorted(expenses, key=lambda e: (e.date, e.key)))


def _payroll() -> tuple[PayrollRun, ...]:
    """Semi-monthly payroll: the 15th and the last business day of each month."""
    runs = []
    for month in (1, 2, 3):
        for day in (15, _last_business_day(2026, month)):
            runs.append(PayrollRun(key=f"payroll-2026{month:02d}{day:02d}", date=date(2026, month, day),
                                   gross_cents=3_206_250, employer_taxes_cents=245_278, withholding_cents=769_000))
    return tuple(r for r in runs if r.date <= NOW.date())


def _at(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(d, time(hour, minute), TZ)


def _events(bills, invoices, payments, vendors) -> tuple[Event, ...]:
    b = {bill.vendor_invoice_number: bill for bill in bills}
    events = [
        Event("ev-close-kickoff", "close_kickoff", _at(date(2026, 3, 30), 9, 5), "marcus.reyes", (),
              "Marcus kicks off the March close in #finance and lists what is left."),
        Event("ev-approve-bl20931", "bill_approval", _at(date(2026, 3, 19), 10, 12), "marcus.reyes",
              (b["BL-20931"].key,), "Marcus approves Brightline Logistics invoice BL-20931 for $4,249.00 in #ap-approvals.",
              {"amount_cents": b["BL-20931"].total_cents}),
        Event("ev-approve-sp88412", "bill_approval", _at(date(2026, 3, 21), 14, 40), "marcus.reyes",
              (b["SP-88412"].key,), "Marcus approves Summit Packaging Co. invoice SP-88412.",
              {"amount_cents": b["SP-88412"].total_cents}),
        Event("ev-dup-sp88412", "duplicate_invoice", _at(date(2026, 3, 25), 8, 47), "summit-packaging",
              (b["SP-88412"].key,), "Summit Packaging Co. re-sends invoice SP-88412 as a 'reminder' (same number and amount)."),
        Event("ev-approve-cc55107", "bill_approval", _at(date(2026, 3, 24), 11, 3), "marcus.reyes",
              (b["CC-55107"].key,), "Marcus approves Clearwater Chemical invoice CC-55107.",
              {"amount_cents": b["CC-55107"].total_cents}),
        Event("ev-correct-cc55107", "amount_correction", _at(date(2026, 3, 24), 11, 9), "priya.nair",
              (b["CC-55107"].key,),
              "Priya points out in #ap-approvals that CC-55107's PDF says $2,120.00 but the agreed volume credit "
              "brings it to $2,040.00; Marcus confirms: enter $2,040.00.",
              {"mailed_cents": 212_000, "correct_cents": b["CC-55107"].total_cents}),
        Event("ev-approve-fp7781", "bill_approval", _at(date(2026, 3, 26), 16, 20), "tom.becker",
              (b["FP-7781"].key,), "Tom approves the Forklift Pros repair invoice FP-7781 in #ap-approvals.",
              {"amount_cents": b["FP-7781"].total_cents}),
        Event("ev-bank-change", "bank_change_request", _at(date(2026, 3, 27), 7, 58), "brightline-logistics",
              ("brightline-logistics",),
              "A mail claiming to be from Brightline Logistics, sent from brightline-logistics-billing.com, asks to "
              "send all future payments to a new account at Coastline Federal (acct ending 9921) before paying BL-20931. "
              "Victor flags it in #finance as a likely phishing attempt.",
              {"spoof_domain": "brightline-logistics-billing.com", "new_bank": "Coastline Federal",
               "new_account_last4": "9921", "flagged_by": "victor.okafor"}),
        Event("ev-partial-1021", "partial_payment_note", _at(date(2026, 3, 3), 13, 15), "jamal.carter",
              ("INV-1021",), "Jamal says the customer for INV-1021 paid half and will pay the rest in April."),
    ]
    for number in ("INV-1009", "INV-1017", "INV-1026"):
        events.append(Event(f"ev-collect-{number}", "collections_reminder", _at(date(2026, 3, 16), 10, 0), "marcus.reyes",
                            (number,), f"Marcus asks Dana to chase {number}, which is past due."))
    return tuple(sorted(events, key=lambda e: e.at))


# ---- narrative added for onboarding, expense review, remittances and vendor queries ----------------
# These facts sit beside the seeded ones (never inside their random streams), so adding them changes
# nothing that was generated before.



def _onboardings() -> tuple[VendorOnboarding, ...]:
    """Two vendors asking to be set up: one approved (with a first invoice), one on hold."""
    crestview = Vendor(
        key="crestview-packaging", name="Crestview Packaging Solutions", contact_name="Marisol Vega",
        email="marisol@crestviewpackaging.com", phone="(614) 555-7310", address="880 Fisher Rd, Columbus, OH 43228",
        terms_days=30, expense_account="Inventory Asset", category="Inventory", bank_name="Huntington National Bank",
        bank_account_last4="6620", routing_last4="0418",
    )
    first = Bill(
        key="bill-onboard-cps", vendor_key=crestview.key, vendor_invoice_number="CPS-0412", date=date(2026, 3, 27),
        due_date=date(2026, 4, 26),
        lines=(Line("Custom printed shipping boxes 18x18x18", 40, 3_150, "Inventory Asset"),),
        in_books=False, approved_by="marcus.reyes", memo="First invoice of a vendor not set up yet",
    )
    lakeshore = Vendor(
        key="lakeshore-janitorial", name="Lakeshore Janitorial Wholesale", contact_name="Derrick Osei",
        email="derrick@lakeshorejanitorial.com", phone="(216) 555-4478", address="41 Harbor St, Cleveland, OH 44114",
        terms_days=15, expense_account="Cost of Goods Sold", category="Inventory", bank_name="KeyBank",
        bank_account_last4="3307", routing_last4="1120",
    )
    return (
        VendorOnboarding(crestview, tax_id="31-4827719", requested_by="emily.chen",
                         requested_at=_at(date(2026, 3, 26), 9, 40), approved_by="marcus.reyes",
                         approved_at=_at(date(2026, 3, 26), 11, 5), first_invoice=first),
        VendorOnboarding(lakeshore, tax_id="34-2210958", requested_by="emily.chen",
                         requested_at=_at(date(2026, 3, 27), 14, 15), approved_by=None, approved_at=None,
                         hold_reason="no signed W-9 yet and pricing still under review"),
    )


def _expense_reports() -> tuple[Expense, ...]:
    """March card charges employees mailed receipts for; one meal is over the per-person limit."""
    rows = [  # key, date, merchant, account, cents, employee, attendees, memo
        ("exr-01", date(2026, 3, 12), "Delta Air Lines", "Travel", 38_720, "lena.ortiz", 0,
         "Flight to the Chicago janitorial trade show"),
        ("exr-02", date(2026, 3, 17), "Marriott Columbus", "Travel", 18_940, "jamal.carter", 0,
         "Hotel for the Riverbend University visit"),
        ("exr-03", date(2026, 3, 17), "Panera Bread", "Meals", 4_260, "jamal.carter", 2,
         "Lunch with Karen Liu, Riverbend University"),
        ("exr-04", date(2026, 3, 19), "Columbus Chophouse", "Meals", 41_280, "sophie.lindqvist", 3,
         "Dinner with Coastal Dental Group"),
        ("exr-05", date(2026, 3, 20), "Shell Oil", "Travel", 6_115, "sophie.lindqvist", 0,
         "Fuel for client visits"),
        ("exr-06", date(2026, 3, 24), "Amazon Business", "Office Supplies", 12_999, "tom.becker", 0,
         "Label printer for dock B"),
        ("exr-07", date(2026, 3, 25), "Panera Bread", "Meals", 28_400, "lena.ortiz", 5,
         "Sales team lunch, Q1 pipeline review"),
    ]
    reports = []
    for key, day, merchant, account, cents, who, attendees, memo in rows:
        issue = None
        if account == "Meals" and cents > MEAL_LIMIT_CENTS * max(attendees, 1):
            issue = (f"meal of ${cents / 100:,.2f} for {attendees} is ${cents / attendees / 100:,.2f} per person, "
                     f"over the ${MEAL_LIMIT_CENTS / 100:,.2f} limit")
        reports.append(Expense(key=key, date=day, payee=merchant, account=account, amount_cents=cents,
                               paid_from="Company Visa", memo=memo, submitted_by=who, attendees=attendees,
                               policy_issue=issue))
    return tuple(reports)


def _pending_remittances(invoices, payments) -> tuple[CustomerPayment, ...]:
    """Checks customers mailed at the end of March: the advice is in the mailbox, the money not in the books."""
    by_number = {inv.number: inv for inv in invoices}
    recorded = {n for p in payments for n, _ in p.applications}
    rows = [  # key, customer, date, check, invoice numbers (each paid in full)
        ("rem-pinecrest", "pinecrest-clinic", date(2026, 3, 30), "CHK 40417", ("INV-1036", "INV-1039")),
        ("rem-union-station", "union-station-cafe", date(2026, 3, 30), "CHK 2291", ("INV-1046",)),
        ("rem-hilltop", "hilltop-schools", date(2026, 3, 31), "CHK 118734", ("INV-1038", "INV-1041")),
        ("rem-coastal", "coastal-dental", date(2026, 3, 31), "CHK 77012", ("INV-1034",)),
    ]
    pending = []
    for key, customer, day, check, numbers in rows:
        for number in numbers:  # the narrative only works on invoices that are open and the customer's
            if number in recorded or by_number[number].customer_key != customer:
                raise AssertionError(f"{key}: {number} is not an open invoice of {customer}")
        applications = tuple((n, by_number[n].total_cents) for n in numbers)
        pending.append(CustomerPayment(key=key, customer_key=customer, date=day,
                                       amount_cents=sum(c for _, c in applications), method="Check",
                                       reference=check, applications=applications))
    return tuple(pending)


def _later_events(bills, bill_payments) -> tuple[Event, ...]:
    """The expense policy, the expense-review request and two vendors asking whether we paid them."""
    events = [
        Event("ev-expense-policy", "expense_policy", _at(date(2026, 1, 6), 9, 30), "marcus.reyes", (),
              "Marcus posts the expense policy in #finance: meals up to $75.00 per person, itemized receipts, "
              "no alcohol-only charges.", {"meal_limit_cents": MEAL_LIMIT_CENTS}),
        Event("ev-expense-review", "expense_review_request", _at(date(2026, 3, 30), 10, 20), "marcus.reyes", (),
              "Marcus asks Dana in #finance to review the March expense reports on the Expense Review sheet, "
              "flag anything out of policy and reply in the thread."),
    ]
    paid = {k: p for p in bill_payments for k, _ in p.applications}
    for n, vendor_key in enumerate(("pioneer-freight", "hale-cpa")):
        bill = next(b for b in bills if b.vendor_key == vendor_key and b.date.month == 2 and b.key in paid)
        payment = paid[bill.key]
        events.append(Event(
            f"ev-query-{vendor_key}", "vendor_payment_query", _at(date(2026, 3, 30), 9 + 4 * n, 25), vendor_key,
            (bill.key,), f"{vendor_key} asks whether invoice {bill.vendor_invoice_number} was paid; the books show "
            f"{payment.method} {payment.reference} on {payment.date.isoformat()}.",
            {"invoice": bill.vendor_invoice_number, "paid_on": payment.date.isoformat(), "method": payment.method,
             "reference": payment.reference, "amount_cents": payment.amount_cents}))
    return tuple(events)


# ---- People: HR records, the expense policy, reports, time off, timesheets, payroll, onboarding -----------
# Its own random stream (never the one above), so the other apps' facts stay exactly what they were.

TENANT = "meridian"
HQ = "Columbus HQ"
WAREHOUSE = "Columbus Warehouse"

# key -> (employee id, cost center, location, hire date, pay type, semi-monthly gross or hourly rate)
_HR = {
    "helen.park": ("21001", "CC-100 Executive", HQ, date(2014, 5, 1), "Salaried", None),  # the remainder
    "marcus.reyes": ("21002", "CC-300 Finance", HQ, date(2016, 2, 15), "Salaried", 330_000),
    "tom.becker": ("21003", "CC-400 Operations", WAREHOUSE, date(2015, 9, 8), "Salaried", 260_000),
    "lena.ortiz": ("21004", "CC-200 Sales", HQ, date(2017, 3, 20), "Salaried", 300_000),
    "grace.kim": ("21005", "CC-100 Executive", HQ, date(2018, 6, 4), "Salaried", 179_000),
    "dana.whitfield": ("21006", "CC-300 Finance", HQ, date(2021, 8, 16), "Salaried", 210_000),
    "priya.nair": ("21007", "CC-300 Finance", HQ, date(2022, 1, 10), "Salaried", 190_000),
    "jamal.carter": ("21008", "CC-200 Sales", HQ, date(2020, 4, 6), "Salaried", 200_000),
    "sophie.lindqvist": ("21009", "CC-200 Sales", "Remote (New York)", date(2023, 2, 13), "Salaried", 200_000),
    "raj.patel": ("21010", "CC-400 Operations", WAREHOUSE, date(2019, 7, 1), "Hourly", 2_400),
    "emily.chen": ("21011", "CC-400 Operations", WAREHOUSE, date(2020, 10, 19), "Salaried", 215_000),
    "victor.okafor": ("21012", "CC-400 Operations", HQ, date(2022, 5, 2), "Salaried", 190_000),
}
# hourly warehouse associates: on the payroll, not on chat or mail
_ASSOCIATES = [
    ("luis.romero", "21013", "Luis", "Romero", date(2023, 9, 5), 1_800),
    ("kayla.brooks", "21014", "Kayla", "Brooks", date(2024, 4, 22), 1_750),
]
PAY_HOURS_X100 = 8_000  # hours paid per pay period for an hourly worker
# how the tasks' prose refers to each worker ("his onboarding", "her pending request")
_PRONOUNS = {"helen.park": "she", "marcus.reyes": "he", "tom.becker": "he", "lena.ortiz": "she", "grace.kim": "she",
             "dana.whitfield": "she", "priya.nair": "she", "jamal.carter": "he", "sophie.lindqvist": "she",
             "raj.patel": "he", "emily.chen": "she", "victor.okafor": "he", "luis.romero": "he", "kayla.brooks": "she",
             "nora.quinn": "she", "owen.marsh": "he"}
_PTO_CARRYOVER = {"helen.park": 8000, "marcus.reyes": 6400, "tom.becker": 4800, "lena.ortiz": 2400,
                  "grace.kim": 5600, "dana.whitfield": 3200, "priya.nair": 1600, "jamal.carter": 4000,
                  "sophie.lindqvist": 800, "raj.patel": 2400, "emily.chen": 3600, "victor.okafor": 1200,
                  "luis.romero": 1000, "kayla.brooks": 0}



def _hr(people, payroll, mailed) -> HRFacts:
    rnd = random.Random(SEED + 5)
    by_key = {p.key: p for p in people}
    workers = []
    for key, (eid, cc, location, hired, pay_type, amount) in _HR.items():
        p = by_key[key]
        workers.append(WorkerRecord(
            key=key, employee_id=eid, first_name=p.first_name, last_name=p.last_name, email=p.email, title=p.title,
            department=p.department, manager_key=p.manager_key, cost_center=cc, location=location, hire_date=hired,
            pay_type=pay_type, semimonthly_cents=amount or 0 if pay_type == "Salaried" else 0,
            hourly_rate_cents=amount if pay_type == "Hourly" else 0, phone=p.phone, timezone=p.timezone,
            termination_date=date(2026, 3, 31) if key == "jamal.carter" else None))
    for key, eid, first, last, hired, rate in _ASSOCIATES:
        workers.append(WorkerRecord(
            key=key, employee_id=eid, first_name=first, last_name=last, email=f"{key}@{DOMAIN}",
            title="Warehouse Associate", department="Operations", manager_key="raj.patel",
            cost_center="CC-400 Operations", location=WAREHOUSE, hire_date=hired, pay_type="Hourly",
            hourly_rate_cents=rate, phone=f"(614) 555-{2180 + len(workers):04d}"))
    # the CEO's salary is what makes every regular run agree with the books' payroll to the cent
    gross = payroll[0].gross_cents
    others = sum(w.semimonthly_cents for w in workers) + sum(
        w.hourly_rate_cents * PAY_HOURS_X100 // 100 for w in workers if w.pay_type == "Hourly")
    workers[0] = WorkerRecord(**{**workers[0].__dict__, "semimonthly_cents": gross - others})
    workers.append(WorkerRecord(
        key="nora.quinn", employee_id="21015", first_name="Nora", last_name="Quinn", email=f"nora.quinn@{DOMAIN}",
        title="AR Specialist", department="Finance", manager_key="marcus.reyes", cost_center="CC-300 Finance",
        location=HQ, hire_date=date(2026, 4, 6), semimonthly_cents=195_000, status="Pre-Hire",
        phone="(614) 555-2190"))
    workers.append(WorkerRecord(
        key="owen.marsh", employee_id="C-3001", first_name="Owen", last_name="Marsh",
        email="owen@marshdataconsulting.com", title="Network Consultant (Contractor)", department="Operations",
        manager_key="victor.okafor", cost_center="CC-400 Operations", location=HQ, hire_date=date(2026, 4, 1),
        worker_type="Contingent Worker", pay_type="Hourly", hourly_rate_cents=9_500, status="Pre-Hire",
        phone="(614) 555-7720"))
    workers = tuple(WorkerRecord(**{**w.__dict__, "pronoun": _PRONOUNS[w.key]}) for w in workers)
    return HRFacts(
        tenant=TENANT, workers=workers, expense_items=EXPENSE_ITEMS, receipt_required_over_cents=2_500,
        late_after_days=60, expense_auditor="dana.whitfield",
        expense_reports=_hr_expense_reports(rnd, workers, mailed), pto_carryover_x100=dict(_PTO_CARRYOVER),
        pto_accrual_x100=667, sick_grant_x100=4_000, time_off=_hr_time_off(), timesheets=_hr_timesheets(),
        pay_runs=_hr_pay_runs(workers, payroll), onboardings=_hr_onboardings(), leaver="jamal.carter",
        locations=(HQ, WAREHOUSE, "Remote (New York)"),
        leaver_reason="Resigned: joining a customer's purchasing team; last day March 31",
        leaver_initiated=_at(date(2026, 3, 16), 10, 30),
    )


def _hr_expense_reports(rnd: random.Random, workers, mailed) -> tuple[ExpenseReportFact, ...]:
    managers = {w.key: w.manager_key for w in workers}
    number = iter(range(1001, 2000))
    # reimbursed reports of January and February (seeded filler)
    travellers = ["lena.ortiz", "jamal.carter", "sophie.lindqvist", "tom.becker", "emily.chen", "marcus.reyes",
                  "victor.okafor", "priya.nair"]
    pool = [("Marriott Columbus", "hotel", (12_000, 21_000)), ("Panera Bread", "meals", (1_200, 6_000)),
            ("Uber", "rideshare", (900, 4_200)), ("Staples", "supplies", (1_500, 9_000)),
            ("Speedway", "fuel", (3_000, 6_500)), ("SP+ Parking", "parking", (800, 2_400))]
    reports = paid_and_card_reports(rnd, number, travellers, pool, ["Client visit", "Supplier visit", "Trade show", ""],
                                    managers, "dana.whitfield", mailed, TZ)
    # out-of-pocket reports of late March, awaiting the manager (the audit batch of the tasks)
    pending = [
        ("priya.nair", "Hale & Associates year-end meeting", date(2026, 3, 26), [
            ExpenseLineFact(date(2026, 3, 26), "Mileage: office to Hale & Associates", "mileage", 2_412,
                            "36 miles at $0.67"),
            ExpenseLineFact(date(2026, 3, 26), "SP+ Parking", "parking", 1_800, "Downtown garage")]),
        ("emily.chen", "Dayton supplier visit (Harbor Glove)", date(2026, 3, 24), [
            ExpenseLineFact(date(2026, 3, 24), "Hilton Garden Inn Dayton", "hotel", 16_900, "One night"),
            ExpenseLineFact(date(2026, 3, 24), "Dorothy Lane Bistro", "meals", 6_150, "Dinner with Lucy Tran",
                            attendees=2),
            ExpenseLineFact(date(2026, 3, 24), "Dorothy Lane Bistro", "alcohol", 3_800, "Wine with dinner")]),
        ("victor.okafor", "Network gear for dock B", date(2026, 3, 25), [
            ExpenseLineFact(date(2026, 3, 25), "Best Buy", "equipment", 8_640, "Two USB-C hubs", receipt=False)]),
        ("raj.patel", "Safety boots", date(2026, 3, 28), [
            ExpenseLineFact(date(2026, 3, 28), "Red Wing Shoes", "equipment", 12_999, "Steel-toe boots")]),
        ("sophie.lindqvist", "Coastal Dental follow-up", date(2026, 3, 20), [
            ExpenseLineFact(date(2026, 3, 20), "Uber", "rideshare", 2_340, "To Coastal Dental Group"),
            ExpenseLineFact(date(2026, 3, 20), "Uber", "rideshare", 2_340, "To Coastal Dental Group"),
            ExpenseLineFact(date(2026, 3, 20), "Starbucks", "meals", 1_275, "Coffee with Dr. Lisa Hart",
                            attendees=2)]),
        ("jamal.carter", "January client lunches (late)", date(2026, 1, 14), [
            ExpenseLineFact(date(2026, 1, 14), "Columbus Chophouse", "meals", 9_850, "Lunch with Angela Wu, Crown Hotel",
                            attendees=2),
            ExpenseLineFact(date(2026, 1, 21), "SP+ Parking", "parking", 1_600, "Crown Hotel visit")]),
    ]
    for n, (who, memo, day, lines) in enumerate(pending):
        submitted = _at(date(2026, 3, 30) if who != "jamal.carter" else date(2026, 3, 31), 9 + n, 15)
        reports.append(ExpenseReportFact(
            f"ER-{next(number)}", who, memo, submitted - timedelta(minutes=30), tuple(lines), "In Progress",
            awaiting="manager", submitted=submitted, history=((submitted, who, "Submitted", ""),)))
    # the accountant's own draft (she may not approve it herself)
    reports.append(ExpenseReportFact(
        f"ER-{next(number)}", "dana.whitfield", "Ohio CPA Society seminar", _at(date(2026, 3, 27), 16, 10),
        (ExpenseLineFact(date(2026, 3, 27), "Ohio Society of CPAs", "software", 19_500, "Q1 tax update seminar"),),
        "Draft"))
    return tuple(reports)


def _hr_time_off() -> tuple[TimeOffFact, ...]:
    rows = [  # worker, plan, start, end, hours x100, status, requested (day), comment
        ("marcus.reyes", "pto", date(2026, 1, 2), date(2026, 1, 2), 800, "Approved", date(2025, 12, 15), ""),
        ("lena.ortiz", "pto", date(2026, 2, 16), date(2026, 2, 20), 4000, "Approved", date(2026, 1, 20), "Ski trip"),
        ("dana.whitfield", "sick", date(2026, 2, 9), date(2026, 2, 9), 800, "Approved", date(2026, 2, 9), "Flu"),
        ("raj.patel", "pto", date(2026, 3, 6), date(2026, 3, 6), 800, "Approved", date(2026, 2, 24), ""),
        ("emily.chen", "pto", date(2026, 3, 12), date(2026, 3, 13), 1600, "Approved", date(2026, 2, 27), ""),
        ("tom.becker", "pto", date(2026, 3, 23), date(2026, 3, 24), 1600, "Approved", date(2026, 3, 2), ""),
        ("dana.whitfield", "pto", date(2026, 4, 17), date(2026, 4, 17), 800, "Approved", date(2026, 3, 18), ""),
        ("sophie.lindqvist", "pto", date(2026, 4, 6), date(2026, 4, 10), 4000, "In Progress", date(2026, 3, 30),
         "Family visit in Stockholm"),
        ("raj.patel", "pto", date(2026, 4, 3), date(2026, 4, 3), 800, "In Progress", date(2026, 3, 31), "Moving day"),
        ("luis.romero", "pto", date(2026, 4, 13), date(2026, 4, 14), 1600, "In Progress", date(2026, 3, 31), ""),
    ]
    return tuple(TimeOffFact(f"TOR-{2001 + i}", who, plan, start, end, hours, status, _at(asked, 11, 0), comment)
                 for i, (who, plan, start, end, hours, status, asked, comment) in enumerate(rows))


def _hr_timesheets() -> tuple[TimesheetFact, ...]:
    full = (800, 800, 800, 800, 800, 0, 0)
    rows = [
        ("raj.patel", date(2026, 3, 16), full, "Approved"),
        ("luis.romero", date(2026, 3, 16), (800, 800, 850, 800, 800, 0, 0), "Approved"),
        ("kayla.brooks", date(2026, 3, 16), (800, 800, 800, 800, 750, 0, 0), "Approved"),
        ("raj.patel", date(2026, 3, 23), (800, 900, 800, 800, 800, 400, 0), "Submitted"),
        ("luis.romero", date(2026, 3, 23), full, "Submitted"),
        ("kayla.brooks", date(2026, 3, 23), (800, 800, 800, 600, 800, 0, 0), "Approved"),
        ("luis.romero", date(2026, 3, 30), (800, 800, 0, 0, 0, 0, 0), "Draft"),
    ]
    return tuple(TimesheetFact(f"TS-{3001 + i}", who, week, hours, status,
                               _at(week + timedelta(days=4), 16, 30) if status != "Draft" else None)
                 for i, (who, week, hours, status) in enumerate(rows))


def _hr_pay_runs(workers, payroll) -> tuple[PayRunFact, ...]:
    paid_workers = [w for w in workers if w.status == "Active" and w.worker_type == "Employee"]
    runs = regular_pay_runs(paid_workers, payroll, PAY_HOURS_X100)
    # Q1 sales commissions: an off-cycle run paid today that the books do not have yet
    commission = {"lena.ortiz": 450_000, "jamal.carter": 312_500, "sophie.lindqvist": 287_500}
    paid = [(w, 0, commission[w.key]) for w in paid_workers if w.key in commission]
    gross = sum(commission.values())
    runs.append(PayRunFact("PR-2026-Q1C", date(2026, 3, 31), date(2026, 1, 1), date(2026, 3, 31), "Off-Cycle",
                           _slips(paid, round(gross * 0.0765), round(gross * 0.31))))
    return tuple(runs)


def _hr_onboardings() -> tuple[OnboardingFact, ...]:
    return (
        OnboardingFact("ONB-4001", "nora.quinn", "grace.kim", _at(date(2026, 3, 20), 10, 0), (
            ("Review offer and hire details", "grace.kim", _at(date(2026, 3, 20), 10, 30)),
            ("Provide personal information", "nora.quinn", _at(date(2026, 3, 23), 19, 5)),
            ("Complete Form I-9 verification", "grace.kim", None),
            ("Set up laptop and accounts", "victor.okafor", None),
            ("Enter payroll and direct deposit", "dana.whitfield", None),
            ("Welcome and first-week plan", "marcus.reyes", None),
        )),
        OnboardingFact("ONB-4002", "owen.marsh", "victor.okafor", _at(date(2026, 3, 27), 13, 20), (
            ("Review contract and rate", "tom.becker", _at(date(2026, 3, 27), 15, 0)),
            ("Upload Form W-9", "owen.marsh", _at(date(2026, 3, 30), 8, 45)),
            ("Set up as a supplier for payment", "dana.whitfield", None),
            ("Grant network access", "victor.okafor", None),
        ), tax_id="87-3305162", company_name="Marsh Data Consulting LLC", address="77 Cleveland Ave, Columbus, OH 43215"),
    )
