"""The Sheets API v4 subset through google-api-python-client, exactly as an agent would use it."""

from __future__ import annotations

import json

import pytest
from google.auth.credentials import AnonymousCredentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError


@pytest.fixture
def client(sheets_url):
    service = build("sheets", "v4", static_discovery=True, credentials=AnonymousCredentials(),
                    client_options={"api_endpoint": sheets_url + "/"})
    return service.spreadsheets()


def _error(exc: HttpError) -> dict:
    return json.loads(exc.content)["error"]


def test_full_client_round_trip(client, world) -> None:
    created = client.create(body={"properties": {"title": "Q2 Close"},
                                  "sheets": [{"properties": {"title": "Data"}}]}).execute()
    sid = created["spreadsheetId"]
    assert created["properties"]["title"] == "Q2 Close"
    assert [s["properties"]["title"] for s in created["sheets"]] == ["Data"]

    # add a sheet whose name needs quoting
    reply = client.batchUpdate(spreadsheetId=sid, body={"requests": [
        {"addSheet": {"properties": {"title": "Jan 2026"}}}]}).execute()
    jan_id = reply["replies"][0]["addSheet"]["properties"]["sheetId"]
    assert reply["replies"][0]["addSheet"]["properties"]["title"] == "Jan 2026"

    # USER_ENTERED: numbers, currency text, dates and formulas are parsed and evaluated
    client.values().update(spreadsheetId=sid, range="'Jan 2026'!A1:B3", valueInputOption="USER_ENTERED",
                           body={"values": [["Item", "Amount"], ["Paper", "$1,200.50"], ["Toner", "300"]]}).execute()
    upd = client.values().update(
        spreadsheetId=sid, range="Data!A1:C2", valueInputOption="USER_ENTERED",
        body={"values": [["Total", "=SUM('Jan 2026'!B2:B3)", "=B1*2"], ["When", "2026-01-31", "=YEAR(B2)"]]},
    ).execute()
    assert upd["updatedRange"] == "Data!A1:C2" and upd["updatedCells"] == 6

    # RAW: text stays text, even when it looks like a formula or a number
    client.values().update(spreadsheetId=sid, range="Data!A4:C4", valueInputOption="RAW",
                           body={"values": [["=1+2", "0042", 7]]}).execute()

    def get(rng: str, render: str) -> list:
        return client.values().get(spreadsheetId=sid, range=rng, valueRenderOption=render).execute().get("values", [])

    assert get("Data!A1:C4", "UNFORMATTED_VALUE") == [
        ["Total", 1500.5, 3001], ["When", 46053, 2026], [], ["=1+2", "0042", 7]]
    assert get("Data!A1:C4", "FORMULA") == [
        ["Total", "=SUM('Jan 2026'!B2:B3)", "=B1*2"], ["When", 46053, "=YEAR(B2)"], [], ["=1+2", "0042", 7]]
    assert get("Data!A1:C4", "FORMATTED_VALUE") == [
        ["Total", "1500.5", "3001"], ["When", "2026-01-31", "2026"], [], ["=1+2", "0042", "7"]]
    assert get("'Jan 2026'!B2", "FORMATTED_VALUE") == [["$1,200.50"]]
    cols = client.values().get(spreadsheetId=sid, range="'Jan 2026'!A1:B3", majorDimension="COLUMNS").execute()
    assert cols["values"][0] == ["Item", "Paper", "Toner"]

    # append rows after the table
    app = client.values().append(spreadsheetId=sid, range="'Jan 2026'!A1:B1", valueInputOption="USER_ENTERED",
                                 body={"values": [["Ink", "99.5"], ["Pens", "=10*2"]]}).execute()
    assert app["tableRange"] == "'Jan 2026'!A1:B3"
    assert app["updates"]["updatedRange"] == "'Jan 2026'!A4:B5"
    assert get("'Jan 2026'!A4:B5", "UNFORMATTED_VALUE") == [["Ink", 99.5], ["Pens", 20]]

    # values.batchUpdate and batchGet: the SUM's precedents change, the dependants follow
    client.values().batchUpdate(spreadsheetId=sid, body={"valueInputOption": "USER_ENTERED", "data": [
        {"range": "'Jan 2026'!B3", "values": [["400"]]},
        {"range": "Data!E1", "values": [["=SUM('Jan 2026'!B2:B5)"]]},
    ]}).execute()
    batch = client.values().batchGet(spreadsheetId=sid, ranges=["Data!B1:C1", "Data!E1"],
                                     valueRenderOption="UNFORMATTED_VALUE").execute()
    assert [vr["values"] for vr in batch["valueRanges"]] == [[[1600.5, 3201]], [[1720]]]

    # insert a row above the data on 'Jan 2026': references on Data shift with it
    client.batchUpdate(spreadsheetId=sid, body={"requests": [{"insertDimension": {
        "range": {"sheetId": jan_id, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}}]}).execute()
    assert get("Data!B1", "FORMULA") == [["=SUM('Jan 2026'!B3:B4)"]]
    assert get("Data!E1", "FORMULA") == [["=SUM('Jan 2026'!B3:B6)"]]
    assert get("Data!B1", "UNFORMATTED_VALUE") == [[1600.5]]
    client.values().update(spreadsheetId=sid, range="'Jan 2026'!B2", valueInputOption="USER_ENTERED",
                           body={"values": [["1000"]]}).execute()  # the new row is outside B3:B4
    assert get("Data!B1", "UNFORMATTED_VALUE") == [[1600.5]]

    # batchUpdate: sort, formats, frozen header, rename; then read the spreadsheet with grid data
    client.batchUpdate(spreadsheetId=sid, body={"requests": [
        {"sortRange": {"range": {"sheetId": jan_id, "startRowIndex": 2, "endRowIndex": 6,
                                 "startColumnIndex": 0, "endColumnIndex": 2},
                       "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "DESCENDING"}]}},
        {"repeatCell": {"range": {"sheetId": jan_id, "startRowIndex": 0, "endRowIndex": 1},
                        "cell": {"userEnteredFormat": {"textFormat": {"bold": True},
                                                       "backgroundColor": {"red": 1, "green": 0.9, "blue": 0.6}}},
                        "fields": "userEnteredFormat(textFormat,backgroundColor)"}},
        {"repeatCell": {"range": {"sheetId": jan_id, "startRowIndex": 2, "endRowIndex": 6,
                                  "startColumnIndex": 1, "endColumnIndex": 2},
                        "cell": {"userEnteredFormat": {"numberFormat": {"type": "CURRENCY"}}},
                        "fields": "userEnteredFormat.numberFormat"}},
        {"updateSheetProperties": {"properties": {"sheetId": jan_id, "title": "January",
                                                  "gridProperties": {"frozenRowCount": 1}},
                                   "fields": "title,gridProperties.frozenRowCount"}},
    ]}).execute()
    assert get("January!A3:B6", "FORMATTED_VALUE") == [
        ["Paper", "$1,200.50"], ["Toner", "$400.00"], ["Ink", "$99.50"], ["Pens", "$20.00"]]
    assert get("Data!B1", "FORMULA") == [["=SUM(January!B3:B4)"]]  # the rename followed into formulas
    full = client.get(spreadsheetId=sid, includeGridData=True).execute()
    jan = next(s for s in full["sheets"] if s["properties"]["sheetId"] == jan_id)
    assert jan["properties"]["gridProperties"]["frozenRowCount"] == 1
    header = jan["data"][0]["rowData"][0]["values"][0]
    assert header["userEnteredFormat"]["textFormat"]["bold"] is True
    assert header["effectiveValue"] == {"stringValue": "Item"}
    data_sheet = next(s for s in full["sheets"] if s["properties"]["title"] == "Data")
    b1 = data_sheet["data"][0]["rowData"][0]["values"][1]
    assert b1["userEnteredValue"] == {"formulaValue": "=SUM(January!B3:B4)"}
    assert b1["effectiveValue"] == {"numberValue": 1600.5}

    # clear, and delete a sheet: formulas that pointed at it become #REF!
    client.values().clear(spreadsheetId=sid, range="Data!A4:C4", body={}).execute()
    assert get("Data!A4:C4", "FORMATTED_VALUE") == []
    client.batchUpdate(spreadsheetId=sid, body={"requests": [{"deleteSheet": {"sheetId": jan_id}}]}).execute()
    assert get("Data!B1", "FORMATTED_VALUE") == [["#REF!"]]

    ops = [c["op"] for c in world.changes(app="sheets")]
    for op in ("sheets.workbook.create", "sheets.batch_update", "sheets.cell.set", "sheets.rows.append",
               "sheets.range.clear"):
        assert op in ops


def test_errors_use_googles_error_body(client) -> None:
    with pytest.raises(HttpError) as exc:
        client.get(spreadsheetId="ss9999").execute()
    assert exc.value.resp.status == 404 and _error(exc.value)["status"] == "NOT_FOUND"

    with pytest.raises(HttpError) as exc:
        client.values().update(spreadsheetId="ss1001", range="Quote!A9", body={"values": [["x"]]}).execute()
    err = _error(exc.value)
    assert err["code"] == 400 and err["status"] == "INVALID_ARGUMENT" and "valueInputOption" in err["message"]

    with pytest.raises(HttpError) as exc:
        client.values().get(spreadsheetId="ss1001", range="No Such Sheet!A1").execute()
    assert "Unable to parse range" in _error(exc.value)["message"]

    # a batchUpdate with one bad request changes nothing
    before = client.get(spreadsheetId="ss1001").execute()
    with pytest.raises(HttpError) as exc:
        client.batchUpdate(spreadsheetId="ss1001", body={"requests": [
            {"addSheet": {"properties": {"title": "Scratch"}}},
            {"addSheet": {"properties": {"title": "Tiers"}}},
        ]}).execute()
    assert "already exists" in _error(exc.value)["message"]
    assert client.get(spreadsheetId="ss1001").execute()["sheets"] == before["sheets"]

    with pytest.raises(HttpError) as exc:
        client.batchUpdate(spreadsheetId="ss1001", body={"requests": [{"mergeCells": {}}]}).execute()
    assert "unsupported request" in _error(exc.value)["message"]


def test_malformed_formula_via_api_is_an_error_value_not_a_500(client) -> None:
    client.values().update(spreadsheetId="ss1001", range="Quote!J1:J3", valueInputOption="USER_ENTERED",
                           body={"values": [["=SUM(A1:A3"], ["=NOSUCH(1)"], ["=J3+1"]]}).execute()
    got = client.values().get(spreadsheetId="ss1001", range="Quote!J1:J3").execute()["values"]
    assert got == [["#ERROR!"], ["#NAME?"], ["#REF!"]]  # J3 refers to itself: circular
    full = client.get(spreadsheetId="ss1001", ranges=["Quote!J1:J3"], includeGridData=True).execute()
    [quote] = full["sheets"]  # only the sheets the ranges touch, only their cells
    assert quote["properties"]["title"] == "Quote"
    assert (quote["data"][0]["startRow"], quote["data"][0]["startColumn"]) == (0, 9)
    assert len(quote["data"][0]["rowData"]) == 3
    j1 = quote["data"][0]["rowData"][0]["values"][0]
    assert j1["effectiveValue"]["errorValue"]["type"] == "ERROR"
    assert "Expected" in j1["effectiveValue"]["errorValue"]["message"]


def test_seeded_workbooks_are_listed_with_real_formulas(client) -> None:
    recon = client.values().get(spreadsheetId="ss1003", range="Reconciliation!B2:B5",
                                valueRenderOption="FORMULA").execute()["values"]
    assert recon[0][0].startswith("=SUM('Open Bills'!G2:G")
    assert recon[2] == ["=B2-B3"]
    status = client.values().get(spreadsheetId="ss1003", range="Reconciliation!C4").execute()["values"]
    assert status == [["Reconciled"]]
