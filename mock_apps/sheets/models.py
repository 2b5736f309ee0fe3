"""Sheets' tables: workbooks, sheets, sparse cells (input, computed value, format, style), revisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


class SheetsModel(SQLModel, registry=registry()):
    """Base of the app's tables (own metadata, so table names never collide with other apps)."""


class Workbook(SheetsModel, table=True):
    """A spreadsheet file."""

    __tablename__ = "workbook"
    __table_args__ = (UniqueConstraint("spreadsheet_id"), {"info": {"state_exclude": ["calc_token"]}})

    id: int | None = Field(default=None, primary_key=True)
    spreadsheet_id: str = Field(index=True)  # the API's spreadsheetId, e.g. "ss1001"
    title: str
    locale: str = "en_US"
    time_zone: str = "America/Chicago"
    created_at: datetime
    updated_at: datetime
    next_sheet_id: int = 1  # next Google-style sheetId (the first sheet is 0)
    undo_seq: int = 0  # revisions with seq <= undo_seq are applied; above are redo-able
    # Changes whenever content changes, on every path (hash chain): keys this process's engine cache.
    calc_token: str = ""


class Sheet(SheetsModel, table=True):
    """One tab of a workbook."""

    __tablename__ = "sheet"
    __table_args__ = (UniqueConstraint("workbook_id", "sheet_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workbook_id: int = Field(foreign_key="workbook.id", index=True)
    sheet_id: int  # Google's sheetId (gid)
    title: str
    position: int  # 0-based tab order
    row_count: int = 1000
    column_count: int = 26
    frozen_rows: int = 0
    frozen_cols: int = 0
    col_widths: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))  # {"2": 180}
    filter_spec: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # JSON or ""


class Cell(SheetsModel, table=True):
    """A non-empty cell: what was typed, what it computes to, and how it looks."""

    __tablename__ = "cell"
    __table_args__ = (UniqueConstraint("sheet_pk", "row", "col"), Index("ix_cell_sheet_row", "sheet_pk", "row"))

    id: int | None = Field(default=None, primary_key=True)
    sheet_pk: int = Field(foreign_key="sheet.id")
    row: int  # 1-based
    col: int  # 1-based
    input: str = ""  # raw entry; formulas start with "="
    kind: str = "empty"  # number | text | bool | error | empty
    num: float | None = None
    text: str | None = None  # text value, or the error code for errors
    note: str | None = None  # an error's explanation (e.g. "Circular dependency detected.")
    number_format: str | None = None
    bold: bool = False
    fill: str | None = None  # background colour, "#rrggbb"


class Revision(SheetsModel, table=True):
    """One undoable change of a workbook: the cells (and sheet properties) before and after."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("workbook_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    workbook_id: int = Field(foreign_key="workbook.id", index=True)
    seq: int
    op: str
    at: datetime
    structural: bool = False  # rows/columns moved: the engine is rebuilt on undo/redo
    # JSON: {"cells": [[sheet_pk, row, col, before|null, after|null]], "sheets": [[sheet_pk, before|null, after|null]]}
    payload: str = Field(sa_column=Column(Text, nullable=False))
