"""The OpenAPI 3 document of the Sheets API v4 subset this app implements."""

from __future__ import annotations

from typing import Any


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _op(summary: str, op_id: str, params: list[dict], response: str, body: str | None = None) -> dict:
    out: dict[str, Any] = {"summary": summary, "operationId": op_id, "parameters": params,
                           "responses": {"200": {"description": "OK", **_json(_ref(response))},
                                         "default": {"description": "Google error body", **_json(_ref("Error"))}}}
    if body:
        out["requestBody"] = {"required": True, **_json(_ref(body))}
    return out


def _q(name: str, enum: list[str] | None = None, required: bool = False, array: bool = False) -> dict:
    schema: dict[str, Any] = {"type": "string"}
    if enum:
        schema["enum"] = enum
    if array:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": "query", "required": required, "schema": schema}


_SID = {"name": "spreadsheetId", "in": "path", "required": True, "schema": {"type": "string"}}
_RANGE = {"name": "range", "in": "path", "required": True, "schema": {"type": "string"},
          "description": "A1 notation, e.g. 'Jan 2026'!A1:D20 (URL-encoded)"}
_RENDER = _q("valueRenderOption", ["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"])
_INPUT = _q("valueInputOption", ["RAW", "USER_ENTERED"], required=True)
_MAJOR = _q("majorDimension", ["ROWS", "COLUMNS"])


def document() -> dict:
    """The OpenAPI document."""
    value = {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Sheets (mock) - Google Sheets API v4 subset", "version": "v4",
                 "description": "Wire-compatible with google-api-python-client's build('sheets', 'v4'). "
                                "Prefix paths with /w/<world> to address a world."},
        "paths": {
            "/v4/spreadsheets": {"post": _op("Create a spreadsheet", "spreadsheets.create", [], "Spreadsheet",
                                             "Spreadsheet")},
            "/v4/spreadsheets/{spreadsheetId}": {"get": _op(
                "Get a spreadsheet", "spreadsheets.get", [_SID, _q("includeGridData"), _q("ranges", array=True)],
                "Spreadsheet")},
            "/v4/spreadsheets/{spreadsheetId}:batchUpdate": {"post": _op(
                "Apply structural requests atomically: addSheet, deleteSheet, updateSheetProperties, "
                "insertDimension, deleteDimension, sortRange, repeatCell, updateDimensionProperties, "
                "updateSpreadsheetProperties", "spreadsheets.batchUpdate", [_SID], "BatchUpdateResponse",
                "BatchUpdateRequest")},
            "/v4/spreadsheets/{spreadsheetId}/values/{range}": {
                "get": _op("Read a range", "spreadsheets.values.get", [_SID, _RANGE, _RENDER, _MAJOR], "ValueRange"),
                "put": _op("Write a range", "spreadsheets.values.update",
                           [_SID, _RANGE, _INPUT, _q("includeValuesInResponse"), _q("responseValueRenderOption")],
                           "UpdateValuesResponse", "ValueRange")},
            "/v4/spreadsheets/{spreadsheetId}/values/{range}:append": {"post": _op(
                "Append rows after the table in a range", "spreadsheets.values.append",
                [_SID, _RANGE, _INPUT, _q("insertDataOption", ["OVERWRITE", "INSERT_ROWS"])],
                "AppendValuesResponse", "ValueRange")},
            "/v4/spreadsheets/{spreadsheetId}/values/{range}:clear": {"post": _op(
                "Clear a range's values", "spreadsheets.values.clear", [_SID, _RANGE], "ClearValuesResponse")},
            "/v4/spreadsheets/{spreadsheetId}/values:batchGet": {"get": _op(
                "Read several ranges", "spreadsheets.values.batchGet",
                [_SID, _q("ranges", array=True), _RENDER, _MAJOR], "BatchGetValuesResponse")},
            "/v4/spreadsheets/{spreadsheetId}/values:batchUpdate": {"post": _op(
                "Write several ranges atomically", "spreadsheets.values.batchUpdate", [_SID],
                "BatchUpdateValuesResponse", "BatchUpdateValuesRequest")},
            "/v4/spreadsheets/{spreadsheetId}/values:batchClear": {"post": _op(
                "Clear several ranges atomically", "spreadsheets.values.batchClear", [_SID],
                "BatchClearValuesResponse", "BatchClearValuesRequest")},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "code": {"type": "integer"}, "message": {"type": "string"},
                "status": {"type": "string", "example": "INVALID_ARGUMENT"}}}}},
            "SheetProperties": {"type": "object", "properties": {
                "sheetId": {"type": "integer"}, "title": {"type": "string"}, "index": {"type": "integer"},
                "sheetType": {"type": "string", "enum": ["GRID"]},
                "gridProperties": {"type": "object", "properties": {
                    "rowCount": {"type": "integer"}, "columnCount": {"type": "integer"},
                    "frozenRowCount": {"type": "integer"}, "frozenColumnCount": {"type": "integer"}}}}},
            "Spreadsheet": {"type": "object", "properties": {
                "spreadsheetId": {"type": "string"}, "spreadsheetUrl": {"type": "string"},
                "properties": {"type": "object", "properties": {"title": {"type": "string"},
                                                                "locale": {"type": "string"},
                                                                "timeZone": {"type": "string"}}},
                "sheets": {"type": "array", "items": {"type": "object", "properties": {
                    "properties": _ref("SheetProperties"),
                    "data": {"type": "array", "items": {"type": "object"}}}}}}},
            "ValueRange": {"type": "object", "properties": {
                "range": {"type": "string"}, "majorDimension": {"type": "string", "enum": ["ROWS", "COLUMNS"]},
                "values": {"type": "array", "items": {"type": "array", "items": value}}}},
            "UpdateValuesResponse": {"type": "object", "properties": {
                "spreadsheetId": {"type": "string"}, "updatedRange": {"type": "string"},
                "updatedRows": {"type": "integer"}, "updatedColumns": {"type": "integer"},
                "updatedCells": {"type": "integer"}, "updatedData": _ref("ValueRange")}},
            "AppendValuesResponse": {"type": "object", "properties": {
                "spreadsheetId": {"type": "string"}, "tableRange": {"type": "string"},
                "updates": _ref("UpdateValuesResponse")}},
            "ClearValuesResponse": {"type": "object", "properties": {
                "spreadsheetId": {"type": "string"}, "clearedRange": {"type": "string"}}},
            "BatchGetValuesResponse": {"type": "object", "properties": {
                "spreadsheetId": {"type": "string"}, "valueRanges": {"type": "array", "items": _ref("ValueRange")}}},
            "BatchUpdateValuesRequest": {"type": "object", "required": ["valueInputOption", "data"], "properties": {
                "valueInputOption": {"type": "string", "enum": ["RAW", "USER_ENTERED"]},
                "data": {"type": "array", "items": _ref("ValueRange")}}},
            "BatchUpdateValuesResponse": {"type": "object", "properties": {
                "spreadsheetId": {"type": "string"}, "totalUpdatedRows": {"type": "integer"},
                "totalUpdatedColumns": {"type": "integer"}, "totalUpdatedCells": {"type": "integer"},
                "totalUpdatedSheets": {"type": "integer"},
                "responses": {"type": "array", "items": _ref("UpdateValuesResponse")}}},
            "BatchClearValuesRequest": {"type": "object", "properties": {
                "ranges": {"type": "array", "items": {"type": "string"}}}},
            "BatchClearValuesResponse": {"type": "object", "properties": {
                "spreadsheetId": {"type": "string"}, "clearedRanges": {"type": "array", "items": {"type": "string"}}}},
            "BatchUpdateRequest": {"type": "object", "required": ["requests"], "properties": {
                "requests": {"type": "array", "items": {"type": "object", "description":
                             "Exactly one of addSheet, deleteSheet, updateSheetProperties, insertDimension, "
                             "deleteDimension, sortRange, repeatCell, updateDimensionProperties, "
                             "updateSpreadsheetProperties"}},
                "includeSpreadsheetInResponse": {"type": "boolean"}}},
            "BatchUpdateResponse": {"type": "object", "properties": {
                "spreadsheetId": {"type": "string"}, "replies": {"type": "array", "items": {"type": "object"}},
                "updatedSpreadsheet": _ref("Spreadsheet")}},
        }},
    }
