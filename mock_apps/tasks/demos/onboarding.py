"""Demonstrations of vendor onboarding: the approval in Chat, the vendor's mailed details, the vendor in Books."""

from __future__ import annotations

from mock_apps.tasks.demos import demo
from mock_apps.tasks.demos.pages import download_attachment, enter_bill, open_channel, open_mail, switch_to
from mock_apps.tasks.model import Task

CRESTVIEW = {  # as Crestview's "New vendor setup" mail gives them
    "Display name": "Crestview Packaging Solutions", "Company name": "Crestview Packaging Solutions",
    "Contact person": "Marisol Vega", "Email": "marisol@crestviewpackaging.com", "Phone": "(614) 555-7310",
    "Address": "880 Fisher Rd, Columbus, OH 43228", "Terms (days)": "30",
}


def add_vendor(page, fields: dict[str, str], default_account: str) -> None:
    """Books' "+ New" > Vendor, every field filled, saved."""
    page.get_by_role("button", name="+ New").click()
    page.get_by_role("menuitem", name="Vendor", exact=True).click()
    page.wait_for_load_state()
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Default expense category").select_option(label=default_account)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()


def read_approvals_and_details(page) -> None:
    """The requests and Marcus's answers in #ap-approvals, then the vendor's mail with its details."""
    open_channel(page, "ap-approvals")
    switch_to(page, "mail")
    open_mail(page, "Crestview Packaging Solutions", "New vendor setup")


@demo("onboard-vendor")
def onboard_vendor(page, task: Task) -> None:
    """Set up the approved vendor only (Lakeshore is on hold)."""
    read_approvals_and_details(page)
    switch_to(page, "books")
    add_vendor(page, CRESTVIEW, "1300 Inventory Asset")


@demo("onboard-vendor-and-enter-first-bill")
def onboard_and_enter_first_bill(page, task: Task) -> None:
    """Set up the vendor, then enter its first invoice from the mailbox with the PDF."""
    switch_to(page, "chat")
    read_approvals_and_details(page)
    switch_to(page, "books")
    add_vendor(page, CRESTVIEW, "1300 Inventory Asset")
    switch_to(page, "mail")
    open_mail(page, "CPS-0412", "CPS-0412")
    pdf = download_attachment(page)
    switch_to(page, "books")
    enter_bill(page, vendor="Crestview Packaging Solutions", date="2026-03-27", invoice="CPS-0412",
               account="Inventory Asset", amount="1260.00", pdf=pdf)


@demo("reply-lakeshore-setup-on-hold")
def reply_vendor_on_hold(page, task: Task) -> None:
    """Lakeshore's setup mail, Marcus's hold in #ap-approvals, then a reply in the vendor's conversation."""
    open_mail(page, "Lakeshore Janitorial Wholesale", "New vendor setup")
    switch_to(page, "chat")
    open_channel(page, "ap-approvals")
    switch_to(page, "mail")
    open_mail(page, "Lakeshore Janitorial Wholesale", "New vendor setup")
    page.get_by_test_id("reply").first.click()
    page.wait_for_load_state()
    page.get_by_test_id("compose-body").fill(
        "Hi Derrick, your vendor setup is on hold until we receive your signed W-9; we will set you up as soon "
        "as it arrives.\n\nBest regards,\nDana Whitfield")
    page.get_by_test_id("send").click()
    page.wait_for_load_state()
