"""People's pages over plain HTTP: every page answers as each kind of worker, the PTO liability report agrees
with the API's balances and compensation, finance-only pages refuse others, bad ids are 404 pages."""

from __future__ import annotations

import re

import requests

PAGES = ["/", "/inbox", "/workers", "/workers?q=sales", "/org-chart", "/expenses", "/expenses?status=Paid",
         "/expenses/ER-1012", "/time-off", "/timesheets", "/pay", "/onboarding", "/receipts/1/preview"]


def _get(people_world, path, as_="dana.whitfield"):
    return requests.get(people_world.url + path, cookies={"peopleuser": as_}, timeout=30)


def test_every_page_answers_for_each_kind_of_worker(people_world):
    for worker in ("dana.whitfield", "tom.becker", "luis.romero", "owen.marsh"):
        for path in PAGES:
            response = _get(people_world, path, worker)
            assert response.status_code == 200, (worker, path, response.status_code)
            assert 'data-testid="acting-as"' in response.text


def test_pto_liability_report_agrees_with_balances_and_pay(people_world):
    page = _get(people_world, "/time-off/liability").text
    total = re.search(r'data-testid="liability-total">\$([\d,.]+)<', page).group(1)
    workers = people_world.call("GET", "staffing", "workers", version="v7", params={"limit": 100}).json()["data"]
    expected = 0
    for w in workers:
        if w["workerType"]["id"] != "Employee" or w["status"] != "Active":
            continue
        pto = next(b for b in people_world.call("GET", "absenceManagement", "balances",
                                                params={"worker": w["id"]}).json()["data"]
                   if b["absencePlan"]["id"] == "pto")
        pay = w["compensation"]
        rate = (round(float(pay["hourlyRate"]["value"]) * 100) if "hourlyRate" in pay
                else round(float(pay["annualSalary"]["value"]) * 100 / 2080))
        expected += round(round(float(pto["quantity"]) * 100) * rate / 100)
    assert round(float(total.replace(",", "")) * 100) == expected


def test_finance_pages_refuse_other_workers_and_unknown_ids_are_404(people_world):
    assert _get(people_world, "/time-off/liability", "raj.patel").status_code == 403
    assert _get(people_world, "/pay/runs/PR-2026-06", "raj.patel").status_code == 403
    for path in ("/expenses/ER-9999", "/workers/nobody", "/inbox/T-1", "/pay/runs/PR-0", "/timesheets/TS-1",
                 "/onboarding/BP-1", "/receipts/99999/preview"):
        response = _get(people_world, path)
        assert response.status_code == 404 and "There is no" in response.text, path
    bad = requests.post(people_world.url + "/switch-user", data={"user": "nobody"}, timeout=30)
    assert bad.status_code == 404


def test_a_bad_form_changes_nothing_and_says_why(people_world):
    before = people_world.state()
    response = requests.post(people_world.url + "/expenses/ER-1020/lines", cookies={"peopleuser": "dana.whitfield"},
                             data={"date": "2026-03-30", "merchant": "Staples", "item": "supplies", "amount": "abc"},
                             timeout=30)
    assert response.status_code == 400 and "Amount must be a number" in response.text
    response = requests.post(people_world.url + "/expenses/ER-1020/lines", cookies={"peopleuser": "dana.whitfield"},
                             data={"date": "2026-03-30", "merchant": "Staples", "item": "supplies", "amount": "12"},
                             files={"receipt": ("r.pdf", b"not a pdf", "application/pdf")}, timeout=30)
    assert response.status_code == 400 and "is not a real application/pdf file" in response.text
    response = requests.post(people_world.url + "/expenses/ER-1019/submit", cookies={"peopleuser": "dana.whitfield"},
                             timeout=30)
    assert response.status_code == 403
    assert people_world.state() == before
