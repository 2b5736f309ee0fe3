"""The report that closes an industry task done in Books: a mail out, rows on a log sheet of the close
workbook, and a word to the controller in their direct message."""

from __future__ import annotations

from mock_apps.tasks.demos.pages import add_sheet, open_sheet, post_in_channel, send_mail, switch_to, type_row

COLUMNS = "ABCDEFGH"


def report(page, company: dict, *, mails: list[tuple[str, str, str]], sheet: str, header: list[str],
           rows: list[list[str]], told: str) -> None:
    """Send each (to, subject, body) mail, log the rows under a header on a new sheet, and tell the controller."""
    switch_to(page, "mail")
    for to, subject, body in mails:
        send_mail(page, to=to, subject=subject, body=f"{body}\n\nBest regards,\n{company['owner_name']}")
    log_sheet(page, company["close_workbook"], sheet, header, rows)
    switch_to(page, "chat")
    post_in_channel(page, f"dm-{company['controller_key']}", told)


def log_sheet(page, workbook: str, sheet: str, header: list[str], rows: list[list[str]]) -> None:
    """Add a sheet to a workbook and type a header row and the rows under it."""
    switch_to(page, "sheets")
    open_sheet(page, workbook)
    add_sheet(page, sheet)
    for n, values in enumerate([header, *rows], start=1):
        type_row(page, n, dict(zip(COLUMNS, values)))
