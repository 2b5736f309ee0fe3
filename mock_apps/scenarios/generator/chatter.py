"""A generated company's backdrop: its channels (the same names in every company, members by role), and
the announcements, chatter, direct messages, internal mail and newsletters in its own people's names."""

from __future__ import annotations

from mock_apps.scenarios.backdrop import Backdrop, Channel, Incident
from mock_apps.scenarios.generator.industry import Industry

_INTERNAL = (  # role, subject, body ({day}: a later weekday)
    ("hr", "Office closed {day}", "Reminder: the office is closed {day} for building maintenance. Remote work as usual."),
    ("it", "Scheduled maintenance: VPN", "The VPN will be down {day} from 7 to 8 PM for upgrades."),
    ("it", "Password expiry reminder", "Your network password expires in 7 days. Please change it before {day}."),
    ("ceo", "All-hands {day}", "Join us {day} at 3 PM in the big conference room for the quarterly update."),
    ("purchasing", "Purchase log updated", "I updated the purchase log through {day}. Shout if you see anything missing."),
    ("sales_lead", "Pipeline review", "Quick pipeline review {day}; finance is welcome to join for the forecast."),
    ("controller", "Expense reports due", "Please submit expense reports for the month by {day}."),
    ("hr", "Benefits enrollment window", "Open enrollment closes {day}. Forms are on the shared drive."),
    ("controller", "Accrual review", "Can we go over the accrual schedule {day}? 20 minutes should do."),
    ("ap", "Vendor W-9s", "I am collecting updated W-9s; I will have the list to you by {day}."),
)


def backdrop(industry: Industry, people, roles: dict, statement_request: str) -> Backdrop:
    """The company's backdrop, every text in its own people's names; `statement_request` is the customer who
    asks (through a seller) for a statement of account."""
    first = {role: next(p.first_name for p in people if p.key == key) for role, key in roles.items()}
    r = roles

    def members(*names: str) -> tuple[str, ...]:
        return tuple(r[n] for n in names)

    channels = (
        Channel("general", "public", "Company news and announcements", "Company-wide announcements and work-based matters",
                None, True),
        Channel("finance", "public", "March close: target Apr 3 · bill approvals go to #ap-approvals",
                "Accounting, close, bank and cash questions", members("owner", "controller", "ap", "ceo", "it", "ops")),
        Channel("ap-approvals", "public", "Post vendor invoices for approval: vendor, invoice #, amount",
                "Approvals of vendor invoices before they are entered and paid",
                members("owner", "controller", "ap", "ops", "purchasing")),
        Channel("sales", "public", industry.sales_topic, "Deals, invoices sent and customer news",
                members("sales_lead", "seller", "seller2", "ceo", "owner", "controller")),
        Channel("operations", "public", industry.ops_topic, "Day-to-day operations, deliveries and equipment",
                members("ops", "field_lead", "purchasing", "it", "ap")),
        Channel("random", "public", "Non-work banter and water-cooler talk", "A place for everything else", None),
        Channel("leadership", "private", "Q2 planning", "Leadership team",
                members("ceo", "controller", "sales_lead", "ops", "hr")),
        Channel("payroll-hr", "private", "Payroll runs the 15th and the last business day", "Payroll and HR questions",
                members("hr", "controller", "owner")),
    )
    owner = r["owner"]
    direct = (
        (r["controller"], ((r["controller"], "Can you send me the AR aging when you get a chance?"),
                           (owner, "Sent, it's in your inbox."),
                           (r["controller"], "Let's sync on accruals tomorrow at 2."), (owner, "Works for me."))),
        (r["ap"], ((r["ap"], "Do you have the W-9 for the new vendor?"), (owner, "Not yet, I'll ask for it."),
                   (r["ap"], "I'm out Friday afternoon, back Monday."), (owner, "Thanks for the heads up!"))),
        (r["ops"], ((r["ops"], "Do we have budget left for new equipment this quarter?"),
                    (owner, f"Let me check with {first['controller']} and get back to you."))),
        (r["it"], ((r["it"], "Your laptop is due for an update; can I grab it at lunch?"),
                   (owner, "Sure, it's on my desk."))),
    )
    text, file_name, file_title, resolution = industry.incident
    return Backdrop(
        channels=channels, chat_admins=(r["ceo"], r["it"]),
        statuses=((r["it"], "Patching servers", ":lock:"), (r["ceo"], "In meetings until 2pm", ":calendar:")),
        announcements=tuple((r[role], line.format(**first)) for role, line in industry.announcements),
        chatter=tuple(line.format(**first) for line in industry.chatter),
        direct_messages=direct, receiving_place=industry.receiving_place,
        receivers=(r["field_lead"], r["field_lead"], r["purchasing"]),
        incident=Incident(r["field_lead"], text, file_name, file_title, resolution),
        statement_request=statement_request,
        internal_mail=tuple((r[role], subject, body) for role, subject, body in _INTERNAL),
        newsletters=industry.newsletters,
    )
