"""Demonstrations of vendor onboarding: the approval in Chat, the vendor's mailed details, the vendor in Books."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo
from mock_apps.tasks.demos.pages import download_attachment, enter_bill, open_channel, open_mail, switch_to
from mock_apps.tasks.model import Task

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


def read_approvals_and_details(page, vendor: str) -> None:
    """The requests and the controller's answers in #ap-approvals, then the vendor's mail with its details."""
    open_channel(page, "ap-approvals")
    switch_to(page, "mail")
    open_mail(page, vendor, "New vendor setup")


def vendor_fields(p: dict) -> dict[str, str]:
    """The vendor form's fields from an onboarding template's parameters (as the vendor's setup mail gives them)."""
    return {"Display name": p["vendor"], "Company name": p["vendor"], "Contact person": p["contact"],
            "Email": p["email"], "Phone": p["phone"], "Address": p["address"], "Terms (days)": str(p["terms"])}


@demo("onboard-vendor")
def onboard_vendor(page, task: Task) -> None:
    """Set up the approved vendor only (the other one is on hold)."""
    p = task.params
    read_approvals_and_details(page, p["vendor"])
    switch_to(page, "books")
    add_vendor(page, vendor_fields(p), p["account_option"])


@demo("onboard-vendor-and-enter-first-bill")
def onboard_and_enter_first_bill(page, task: Task) -> None:
    """Set up the vendor, then enter its first invoice from the mailbox with the PDF."""
    p = task.params
    switch_to(page, "chat")
    read_approvals_and_details(page, p["vendor"])
    switch_to(page, "books")
    add_vendor(page, vendor_fields(p), p["account_option"])
    switch_to(page, "mail")
    open_mail(page, p["invoice"], p["invoice"])
    pdf = download_attachment(page)
    switch_to(page, "books")
    enter_bill(page, vendor=p["vendor"], date=p["date"], invoice=p["invoice"], account=p["bill_account"],
               amount=f"{p['total_cents'] / 100:.2f}", pdf=pdf)


@demo("reply-vendor-on-hold")
def reply_vendor_on_hold(page, task: Task) -> None:
    """The vendor's setup mail, the controller's hold in #ap-approvals, then a reply in the vendor's conversation."""
    p = task.params
    open_mail(page, p["vendor"], "New vendor setup")
    switch_to(page, "chat")
    open_channel(page, "ap-approvals")
    switch_to(page, "mail")
    open_mail(page, p["vendor"], "New vendor setup")
    page.get_by_test_id("reply").first.click()
    page.wait_for_load_state()
    page.get_by_test_id("compose-body").fill(
        f"Hi {p['first']}, your vendor setup is on hold until we receive your signed W-9; we will set you up as "
        f"soon as it arrives.\n\nBest regards,\n{company_of(task)['owner_name']}")
    page.get_by_test_id("send").click()
    page.wait_for_load_state()
