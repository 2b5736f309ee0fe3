"""Attachments from the mailbox imported into Sheets in the browser: an XLSX as a new sheet of an existing
workbook, a CSV as a new workbook; the imported cells hold the file's values."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import requests
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build

pytestmark = pytest.mark.slow


def _attachment(world, query: str, suffix: str) -> tuple[str, bytes]:
    """The first attachment named *suffix on a message matching the Gmail query, through the Gmail API."""
    import base64
    gmail = build("gmail", "v1", static_discovery=True, credentials=Credentials("any-token"),
                  client_options={"api_endpoint": world.api_url("mail") + "/"}).users()
    found = gmail.messages().list(userId="me", q=query).execute()["messages"]
    for ref in found:
        message = gmail.messages().get(userId="me", id=ref["id"]).execute()
        parts = list(message["payload"].get("parts", []))
        while parts:
            part = parts.pop()
            parts.extend(part.get("parts", []))
            if part.get("filename", "").endswith(suffix):
                body = gmail.messages().attachments().get(
                    userId="me", messageId=ref["id"], id=part["body"]["attachmentId"]).execute()
                return part["filename"], base64.urlsafe_b64decode(body["data"])
    raise AssertionError(f"no {suffix} attachment on messages matching {query!r}")


def test_xlsx_attachment_becomes_a_sheet_and_csv_a_workbook(world, world_page, sheets_url) -> None:
    page = world_page
    name, data = _attachment(world, "Payroll summary", ".xlsx")
    source = openpyxl.load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
    expected = [[c for c in row] for row in source.iter_rows(values_only=True)]
    assert len(expected) >= 2

    # into an existing workbook, as a new tab
    page.goto(world.url("sheets") + "/")
    page.get_by_role("link", name="AP Reconciliation March 2026").click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    tabs_before = page.get_by_role("tablist").get_by_role("tab").all_inner_texts()
    page.get_by_label("Import file as new sheet").set_input_files(
        files=[{"name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": data}])
    with page.expect_navigation():
        page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    tabs = page.get_by_role("tablist").get_by_role("tab").all_inner_texts()
    assert tabs[:len(tabs_before)] == tabs_before and len(tabs) == len(tabs_before) + 1
    new_tab = tabs[-1]
    assert page.get_by_role("tab", name=new_tab).get_attribute("aria-selected") == "true"
    spreadsheet = page.locator("#sheet-page").get_attribute("data-spreadsheet")
    quoted = "'" + new_tab.replace("'", "''") + "'"
    got = requests.get(f"{sheets_url}/v4/spreadsheets/{spreadsheet}/values/{quoted}!A1:Z200",
                       params={"valueRenderOption": "UNFORMATTED_VALUE"}).json()["values"]
    width = len(expected[0])
    padded = [row + [""] * (width - len(row)) for row in got]
    assert padded == [["" if v is None else v for v in row] for row in expected]

    # a CSV statement into a new workbook from the list page
    name, data = _attachment(world, "statement", ".csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    page.goto(world.url("sheets") + "/")
    page.get_by_label("Import a CSV or XLSX file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    with page.expect_navigation():
        page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    assert page.locator("h1.doc-title").inner_text() == name.rsplit(".", 1)[0]
    assert page.get_by_role("gridcell", name="A1", exact=True).inner_text() == rows[0][0]
    last = f"A{len(rows)}"
    assert page.get_by_role("gridcell", name=last, exact=True).inner_text() == rows[-1][0]
    ops = [c["op"] for c in world.changes(app="sheets")]
    assert ops.count("sheets.workbook.import") == 2
