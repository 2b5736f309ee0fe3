"""Reports through python-quickbooks have the row groups of QuickBooks' published sample responses (Intuit's
API Explorer samples: BalanceSheet, ProfitAndLoss, AgedPayables, CustomerBalance), so code that reads totals
by group finds them."""

from __future__ import annotations

import pytest


def _sections(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row.get("type") == "Section"]


def _find(rows: list[dict], group: str) -> dict | None:
    """The first row with a group, searched depth-first."""
    for row in rows:
        if row.get("group") == group:
            return row
        found = _find((row.get("Rows") or {}).get("Row") or [], group)
        if found is not None:
            return found
    return None


def _money(row: dict) -> float:
    return float(row["Summary"]["ColData"][1]["value"])


def test_balance_sheet_groups_are_total_assets_and_total_liabilities_and_equity(qb):
    report = qb.get_report("BalanceSheet", {"end_date": "2026-03-31"})
    top = report["Rows"]["Row"]
    # the published sample's two top-level sections, each with Header, Rows and a Summary
    assert [row["group"] for row in top] == ["TotalAssets", "TotalLiabilitiesAndEquity"]
    assert all({"Header", "Rows", "Summary", "type"} <= set(row) for row in top)
    assets, liabilities_and_equity = top
    assert _money(assets) == _money(liabilities_and_equity) > 0
    inner = [row["group"] for row in _sections(liabilities_and_equity["Rows"]["Row"])]
    assert inner == ["Liabilities", "Equity"]
    equity = _find(top, "Equity")
    net_income = _find(equity["Rows"]["Row"], "NetIncome")
    assert net_income["type"] == "Data" and net_income["ColData"][0]["value"] == "Net Income"
    assert _money(_find(top, "Liabilities")) + _money(equity) == pytest.approx(_money(liabilities_and_equity))


def test_profit_and_loss_groups_are_quickbooks_names(qb):
    report = qb.get_report("ProfitAndLoss", {"start_date": "2026-01-01", "end_date": "2026-03-31"})
    groups = [row["group"] for row in report["Rows"]["Row"]]
    assert groups == ["Income", "COGS", "GrossProfit", "Expenses", "NetOperatingIncome", "OtherIncome",
                      "OtherExpenses", "NetOtherIncome", "NetIncome"]
    top = report["Rows"]["Row"]
    gross = _money(_find(top, "Income")) - _money(_find(top, "COGS"))
    assert _money(_find(top, "GrossProfit")) == pytest.approx(gross)


@pytest.mark.parametrize("name", ["TrialBalance", "AgedPayables", "AgedReceivables", "CustomerBalance",
                                  "VendorBalance", "AgedPayableDetail", "AgedReceivableDetail"])
def test_report_grand_totals_are_in_the_grand_total_group(qb, name):
    report = qb.get_report(name, {"report_date": "2026-03-31"})
    last = report["Rows"]["Row"][-1]
    assert last["group"] == "GrandTotal" and last["type"] == "Section"
    assert last["Summary"]["ColData"][0]["value"] == "TOTAL"


def test_aging_columns_are_titled_as_quickbooks_titles_them(qb):
    report = qb.get_report("AgedPayables", {"report_date": "2026-03-31"})
    assert [c["ColTitle"] for c in report["Columns"]["Column"]] == [
        "", "Current", "1 - 30", "31 - 60", "61 - 90", "91 and over", "Total"]
    assert [c["ColType"] for c in report["Columns"]["Column"]][1:] == ["Money"] * 6


def test_report_headers_carry_quickbooks_options(qb):
    sheet = qb.get_report("BalanceSheet", {"end_date": "2026-03-31"})["Header"]
    assert sheet["ReportName"] == "BalanceSheet" and sheet["SummarizeColumnsBy"] == "Total"
    assert sheet["EndPeriod"] == "2026-03-31" and sheet["ReportBasis"] == "Accrual"
    assert [o["Name"] for o in sheet["Option"]] == ["NoReportData"]
    by_month = qb.get_report("ProfitAndLoss", {"start_date": "2026-01-01", "end_date": "2026-03-31",
                                               "summarize_column_by": "Month"})["Header"]
    assert by_month["SummarizeColumnsBy"] == "Month" and by_month["StartPeriod"] == "2026-01-01"
    aging = qb.get_report("AgedPayables", {"report_date": "2026-03-31"})["Header"]
    assert {"Name": "report_date", "Value": "2026-03-31"} in aging["Option"]
    assert {"Name": "NoReportData", "Value": "false"} in aging["Option"]
    assert "SummarizeColumnsBy" not in aging
