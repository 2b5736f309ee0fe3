"""python-quickbooks, pointed at the mock's base URL with any token, does real bookkeeping work."""

from __future__ import annotations

import pytest
from quickbooks.exceptions import (AuthorizationException, ObjectNotFoundException, QuickbooksException,
                                   ValidationException)
from quickbooks.objects.base import LinkedTxn, Ref
from quickbooks.objects.bill import Bill
from quickbooks.objects.billpayment import BillPayment, BillPaymentLine, CheckPayment
from quickbooks.objects.customer import Customer
from quickbooks.objects.detailline import (AccountBasedExpenseLine, AccountBasedExpenseLineDetail, SalesItemLine,
                                           SalesItemLineDetail)
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item
from quickbooks.objects.account import Account
from quickbooks.objects.payment import Payment, PaymentLine
from quickbooks.objects.vendor import Vendor


def _ref(obj) -> Ref:
    ref = Ref()
    ref.value = obj.Id
    ref.name = getattr(obj, "DisplayName", None) or getattr(obj, "Name", "")
    return ref


def _report_value(report: dict, label: str) -> float:
    def walk(rows):
        for row in rows:
            for part in ("ColData",):
                if part in row and row[part][0]["value"] == label:
                    return float(row[part][1]["value"])
            if "Summary" in row and row["Summary"]["ColData"][0]["value"] == label:
                return float(row["Summary"]["ColData"][1]["value"])
            if "Rows" in row:
                found = walk(row["Rows"]["Row"])
                if found is not None:
                    return found
        return None
    return walk(report["Rows"]["Row"])


def test_customers_and_vendors_create_and_query(qb):
    customer = Customer()
    customer.DisplayName = "Test Harbor Cafe"
    customer.CompanyName = "Test Harbor Cafe LLC"
    customer = customer.save(qb=qb)
    assert customer.Id and customer.SyncToken == "0"
    vendor = Vendor()
    vendor.DisplayName = "Test Mop Supplier"
    vendor.save(qb=qb)
    found = Customer.filter(DisplayName="Test Harbor Cafe", qb=qb)
    assert [c.Id for c in found] == [customer.Id]
    assert Customer.get(customer.Id, qb=qb).CompanyName == "Test Harbor Cafe LLC"
    assert [v.DisplayName for v in Vendor.where("DisplayName LIKE 'Test Mop%'", qb=qb)] == ["Test Mop Supplier"]
    assert Vendor.count(qb=qb) >= 26
    dup = Customer()
    dup.DisplayName = "Test Harbor Cafe"
    with pytest.raises(QuickbooksException) as err:
        dup.save(qb=qb)
    assert err.value.error_code == 6240


def test_invoice_payment_bill_and_bill_payment_move_the_reports(qb):
    customer = Customer.filter(DisplayName="Lakeside Medical Center", qb=qb)[0]
    item = Item.filter(Sku="GL-1000", qb=qb)[0]
    sales_before = _report_value(qb.get_report("ProfitAndLoss", {"start_date": "2026-01-01", "end_date": "2026-03-31"}),
                                 "Total Income")

    invoice = Invoice()
    invoice.CustomerRef = _ref(customer)
    invoice.TxnDate = "2026-03-31"
    line = SalesItemLine()
    line.Amount = 197.00
    line.SalesItemLineDetail = SalesItemLineDetail()
    line.SalesItemLineDetail.ItemRef = _ref(item)
    line.SalesItemLineDetail.Qty = 2
    line.SalesItemLineDetail.UnitPrice = 98.50
    invoice.Line = [line]
    invoice = invoice.save(qb=qb)
    assert invoice.TotalAmt == 197.0 and invoice.Balance == 197.0
    assert invoice.DocNumber.startswith("INV-") and invoice.DueDate == "2026-04-30"

    payment = Payment()
    payment.CustomerRef = _ref(customer)
    payment.TotalAmt = 120.00
    pline = PaymentLine()
    pline.Amount = 120.00
    link = LinkedTxn()
    link.TxnId, link.TxnType = invoice.Id, "Invoice"
    pline.LinkedTxn = [link]
    payment.Line = [pline]
    payment = payment.save(qb=qb)
    assert payment.TotalAmt == 120.0
    assert Invoice.get(invoice.Id, qb=qb).Balance == 77.0

    vendor = Vendor.filter(DisplayName="Greenleaf Office Supply", qb=qb)[0]
    office = Account.filter(Name="Office Supplies", qb=qb)[0]
    bill = Bill()
    bill.VendorRef = _ref(vendor)
    bill.TxnDate = "2026-03-30"
    bline = AccountBasedExpenseLine()
    bline.Amount = 310.25
    bline.AccountBasedExpenseLineDetail = AccountBasedExpenseLineDetail()
    bline.AccountBasedExpenseLineDetail.AccountRef = _ref(office)
    bill.Line = [bline]
    bill = bill.save(qb=qb)
    assert bill.Balance == 310.25

    checking = Account.filter(Name="Operating Checking", qb=qb)[0]
    bp = BillPayment()
    bp.VendorRef = _ref(vendor)
    bp.PayType = "Check"
    bp.TotalAmt = 310.25
    bp.CheckPayment = CheckPayment()
    bp.CheckPayment.BankAccountRef = _ref(checking)
    bpl = BillPaymentLine()
    bpl.Amount = 310.25
    blink = LinkedTxn()
    blink.TxnId, blink.TxnType = bill.Id, "Bill"
    bpl.LinkedTxn = [blink]
    bp.Line = [bpl]
    bp.save(qb=qb)
    assert Bill.get(bill.Id, qb=qb).Balance == 0

    pl = qb.get_report("ProfitAndLoss", {"start_date": "2026-01-01", "end_date": "2026-03-31"})
    assert pl["Header"]["ReportName"] == "ProfitAndLoss"
    assert _report_value(pl, "Total Income") == pytest.approx(sales_before + 197.0)
    sheet = qb.get_report("BalanceSheet", {"end_date": "2026-03-31"})
    assert _report_value(sheet, "Total Assets") == pytest.approx(_report_value(sheet, "Total Liabilities and Equity"))
    assert _report_value(sheet, "1000 Operating Checking") == pytest.approx(
        Account.get(checking.Id, qb=qb).CurrentBalance)


def test_query_with_where_orderby_and_paging(qb):
    big = Invoice.where("TotalAmt > '1000' AND TxnDate >= '2026-02-01'", order_by="TxnDate DESC", qb=qb)
    assert big and all(i.TotalAmt > 1000 and i.TxnDate >= "2026-02-01" for i in big)
    assert [i.TxnDate for i in big] == sorted((i.TxnDate for i in big), reverse=True)
    everything = Invoice.where("", order_by="DocNumber", qb=qb, max_results=1000)
    first = Invoice.where("", order_by="DocNumber", start_position=1, max_results=10, qb=qb)
    second = Invoice.where("", order_by="DocNumber", start_position=11, max_results=10, qb=qb)
    assert [i.DocNumber for i in first + second] == [i.DocNumber for i in everything[:20]]
    assert Invoice.count(qb=qb) == len(everything) == 48
    picked = Invoice.choose(["INV-1009", "INV-1017"], field="DocNumber", qb=qb)
    assert sorted(i.DocNumber for i in picked) == ["INV-1009", "INV-1017"]
    assert Invoice.count("Balance > '0'", qb=qb) < 48


def test_update_with_a_stale_sync_token_is_refused(qb):
    customer = Customer.filter(DisplayName="Crown Hotel Group", qb=qb)[0]
    stale = Customer.get(customer.Id, qb=qb)
    customer.CompanyName = "Crown Hotel Group Inc."
    updated = customer.save(qb=qb)
    assert updated.SyncToken == "1"
    stale.CompanyName = "Someone else's edit"
    with pytest.raises(QuickbooksException) as err:
        stale.save(qb=qb)
    assert err.value.error_code == 5010
    assert Customer.get(customer.Id, qb=qb).CompanyName == "Crown Hotel Group Inc."
    invoice = Invoice.filter(DocNumber="INV-1047", qb=qb)[0]
    old_token = invoice.SyncToken
    invoice.PrivateNote = "call before delivery"
    invoice.save(qb=qb)
    invoice.SyncToken = old_token
    with pytest.raises(QuickbooksException) as err:
        invoice.save(qb=qb)
    assert err.value.error_code == 5010


def test_faults_for_missing_objects_other_realms_and_bad_queries(qb):
    with pytest.raises(ObjectNotFoundException):
        Invoice.get(999999, qb=qb)
    with pytest.raises(ValidationException) as err:
        qb.query("SELECT * FROM Invoice WHERE TotalAmt >")
    assert err.value.error_code == 4000
    qb.company_id = "1234567890"  # a realm this token was not issued for: QuickBooks' 401 authentication fault
    with pytest.raises(AuthorizationException) as err:
        Customer.all(qb=qb)
    assert err.value.error_code == 401 and '"code": "100"' in err.value.detail


def test_a_request_without_a_token_is_unauthorized(books_world):
    import requests

    response = requests.get(f"{books_world.api_base}/company/9341452298761234/query",
                            params={"query": "select * from Customer"})
    assert response.status_code == 401
    assert response.json()["Fault"]["type"] == "AUTHENTICATION"
    assert response.json()["Fault"]["Error"][0]["code"] == "3200"


def test_void_delete_and_journal_entries_through_the_client(qb):
    from quickbooks.objects.journalentry import JournalEntry, JournalEntryLine, JournalEntryLineDetail

    invoice = Invoice.filter(DocNumber="INV-1047", qb=qb)[0]
    assert invoice.Balance > 0
    invoice.void(qb=qb)
    voided = Invoice.get(invoice.Id, qb=qb)
    assert voided.TotalAmt == 0 and voided.Balance == 0 and voided.PrivateNote.startswith("Voided")

    rent = Account.filter(Name="Rent", qb=qb)[0]
    checking = Account.filter(Name="Operating Checking", qb=qb)[0]

    def je(debit: float, credit: float) -> JournalEntry:
        entry = JournalEntry()
        entry.TxnDate = "2026-03-31"
        for amount, posting, account in ((debit, "Debit", rent), (credit, "Credit", checking)):
            line = JournalEntryLine()
            line.Amount = amount
            line.JournalEntryLineDetail = JournalEntryLineDetail()
            line.JournalEntryLineDetail.PostingType = posting
            line.JournalEntryLineDetail.AccountRef = _ref(account)
            entry.Line.append(line)
        return entry

    with pytest.raises(QuickbooksException) as err:
        je(500.00, 499.99).save(qb=qb)
    assert err.value.error_code == 6000 and "does not balance" in err.value.detail
    saved = je(500.00, 500.00).save(qb=qb)
    assert Account.get(checking.Id, qb=qb).CurrentBalance == pytest.approx(checking.CurrentBalance - 500)
    saved.delete(qb=qb)
    with pytest.raises(ObjectNotFoundException):
        JournalEntry.get(saved.Id, qb=qb)
    assert Account.get(checking.Id, qb=qb).CurrentBalance == pytest.approx(checking.CurrentBalance)


def test_invoice_pdf_through_the_client_and_the_ui(qb, books_world):
    import io

    import requests
    from pypdf import PdfReader

    invoice = Invoice.filter(DocNumber="INV-1021", qb=qb)[0]
    data = invoice.download_pdf(qb=qb)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "INV-1021" in text and f"${invoice.TotalAmt:,.2f}" in text and f"${invoice.Balance:,.2f}" in text
    page = requests.get(f"{books_world.url}/txn/{invoice.Id}/pdf")
    assert page.headers["Content-Type"] == "application/pdf" and page.content.startswith(b"%PDF")


def test_attach_a_pdf_to_a_bill_through_the_upload_endpoint(qb):
    import requests
    from quickbooks.objects.attachable import Attachable
    from quickbooks.objects.base import AttachableRef

    bill = Bill.filter(DocNumber=Bill.all(qb=qb, max_results=1)[0].DocNumber, qb=qb)[0]
    pdf = b"%PDF-1.4\n% vendor invoice\n"
    attachable = Attachable()
    ref = AttachableRef()
    ref.EntityRef = Ref()
    ref.EntityRef.type, ref.EntityRef.value = "Bill", bill.Id
    attachable.AttachableRef.append(ref)
    attachable.FileName = "vendor-invoice.pdf"
    attachable.ContentType = "application/pdf"
    attachable._FileBytes = pdf
    saved = attachable.save(qb=qb)
    assert saved.Id and saved.FileName == "vendor-invoice.pdf" and saved.Size == len(pdf)
    found = Attachable.where(f"AttachableRef.EntityRef.Value = '{bill.Id}'", qb=qb)
    assert [a.Id for a in found] == [saved.Id]
    assert requests.get(found[0].TempDownloadUri).content == pdf
    saved.delete(qb=qb)
    assert Attachable.where(f"AttachableRef.EntityRef.Value = '{bill.Id}'", qb=qb) == []


def test_profit_and_loss_by_month_through_the_client(qb):
    report = qb.get_report("ProfitAndLoss", {"start_date": "2026-01-01", "end_date": "2026-03-31",
                                             "summarize_column_by": "Month"})
    titles = [c["ColTitle"] for c in report["Columns"]["Column"]]
    assert titles == ["", "Jan 2026", "Feb 2026", "Mar 2026", "Total"]
    net = next(r for r in report["Rows"]["Row"] if r.get("group") == "NetIncome")["Summary"]["ColData"]
    assert sum(float(c["value"]) for c in net[1:4]) == pytest.approx(float(net[4]["value"]))


def test_invoice_terms_from_sales_term_ref(qb):
    customer = Customer.filter(DisplayName="Ironworks Gym", qb=qb)[0]
    item = Item.filter(Sku="TL-3300", qb=qb)[0]
    invoice = Invoice()
    invoice.CustomerRef = _ref(customer)
    invoice.TxnDate = "2026-03-02"
    invoice.SalesTermRef = Ref()
    invoice.SalesTermRef.value = "45"
    line = SalesItemLine()
    line.Amount = 37.25
    line.SalesItemLineDetail = SalesItemLineDetail()
    line.SalesItemLineDetail.ItemRef = _ref(item)
    invoice.Line = [line]
    saved = invoice.save(qb=qb)
    assert saved.DueDate == "2026-04-16" and saved.SalesTermRef.value == "45"
    assert Invoice.get(saved.Id, qb=qb).Balance == 37.25


def test_accounts_and_items_create_update_and_deactivate(qb):
    account = Account()
    account.Name = "Warehouse Supplies"
    account.AcctNum = "6310"
    account.AccountType = "Expense"
    account.AccountSubType = "SuppliesMaterials"
    account = account.save(qb=qb)
    assert account.Classification == "Expense" and account.CurrentBalance == 0
    account.Description = "Pallets, tape, small tools"
    account = account.save(qb=qb)
    assert account.SyncToken == "1"
    sales = Account.filter(Name="Sales", qb=qb)[0]
    item = Item()
    item.Name = "Floor Scrubber Rental (day)"
    item.Type = "Service"
    item.UnitPrice = 145.00
    item.IncomeAccountRef = sales.to_ref()
    item.ExpenseAccountRef = account.to_ref()
    item = item.save(qb=qb)
    assert item.UnitPrice == 145.0 and item.IncomeAccountRef.value == sales.Id
    assert [i.Name for i in Item.where("Name LIKE 'Floor Scrubber%'", qb=qb)] == ["Floor Scrubber Rental (day)"]
    bad = Account()
    bad.Name = "Nonsense"
    bad.AccountType = "Imaginary"
    with pytest.raises(ValidationException) as err:
        bad.save(qb=qb)
    assert err.value.error_code == 2080
    vendor = Vendor.filter(DisplayName="Apex Office Furniture", qb=qb)[0]
    # python-quickbooks has no delete for names; the API's delete makes the vendor inactive, as QuickBooks does
    qb.post(f"{qb.api_url}/company/{qb.company_id}/vendor", '{"Id": "%s", "SyncToken": "%s"}' % (vendor.Id, vendor.SyncToken),
            params={"operation": "delete"})
    assert Vendor.filter(DisplayName="Apex Office Furniture", qb=qb) == []  # QuickBooks lists active names only
    assert Vendor.where("DisplayName = 'Apex Office Furniture' AND Active = false", qb=qb)[0].Active is False
