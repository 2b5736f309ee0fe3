"""The QuickBooks Online Accounting API v3 subset under /v3/company/<realmId>/, in QuickBooks' wire
format (entities, `query`, reports, `Fault` errors), so python-quickbooks works against it unchanged."""

from __future__ import annotations

import json

from flask import Blueprint, Response, jsonify, request, url_for

from mock_apps.books import qbo_json, qbo_query, qbql, reports, service
from mock_apps.books.models import Account, Attachment, Contact, Item
from mock_apps.books.qbo_json import BY_LOWER, Renderer, stamp, to_date
from mock_apps.books.report_files import qbo_report
from mock_apps.core.errors import BadRequest, MockAppsError, NotFound
from mock_apps.core.request import db

bp = Blueprint("books_api", __name__)

# Our error codes -> (QuickBooks error code, Message, Fault type)
_FAULTS = {
    "query_parse": ("4000", "Error parsing query", "ValidationFault"),
    "stale_object": ("5010", "Stale Object Error", "ValidationFault"),
    "duplicate_name": ("6240", "Duplicate Name Exists Error", "ValidationFault"),
    "object_not_found": ("610", "Object Not Found", "ValidationFault"),
    "unknown_account": ("2500", "Invalid Reference Id", "ValidationFault"),
    "unknown_customer": ("2500", "Invalid Reference Id", "ValidationFault"),
    "unknown_vendor": ("2500", "Invalid Reference Id", "ValidationFault"),
    "unknown_item": ("2500", "Invalid Reference Id", "ValidationFault"),
    "unknown_txn": ("2500", "Invalid Reference Id", "ValidationFault"),
    "required_param": ("2020", "Required param missing, need to supply the required value for the API",
                       "ValidationFault"),
    "invalid_number": ("2050", "Invalid Number", "ValidationFault"),
    "invalid_date": ("2040", "Invalid Date", "ValidationFault"),
    "invalid_enum": ("2080", "Invalid Enumeration", "ValidationFault"),
    "invalid_line": ("2010", "Request has invalid or unsupported property", "ValidationFault"),
    "unsupported": ("500", "Unsupported Operation", "ValidationFault"),
    "unauthorized": ("3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401", "AUTHENTICATION"),
    # a token used on a realm it was not issued for: what Intuit reproduced for an "incorrect token/realm
    # combination" (intuit/oauth-jsclient#91), a 401 General Authentication Error
    "wrong_realm": ("100", "General Authentication Error", "AuthenticationFault"),
    "not_found": ("610", "Object Not Found", "ValidationFault"),
    "method_not_allowed": ("500", "Unsupported Operation", "ValidationFault"),
}


def error_response(error: MockAppsError) -> Response:
    """A MockAppsError as QuickBooks' Fault body."""
    code, message, fault_type = _FAULTS.get(error.code, ("6000", "A business validation error has occurred while "
                                                                 "processing your request", "ValidationFault"))
    if error.status >= 500:
        code, message, fault_type = "10000", "An application error has occurred while processing your request", \
            "SystemFault"
    status = 401 if error.code in ("unauthorized", "wrong_realm") else 500 if error.status >= 500 else 400
    body = {"Fault": {"Error": [{"Message": message, "Detail": f"{message} : {error.message}", "code": code,
                                 "element": error.details.get("element", "")}], "type": fault_type},
            "time": _time()}
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _time() -> str:
    try:
        session = db()
        return stamp(session.now(), session.timezone())
    except Exception:  # noqa: BLE001 - the fault must render even when the world itself is the problem
        return ""


def _check_access(realm: str) -> None:
    auth = request.headers.get("Authorization", "")
    if not auth.lower().startswith("bearer ") or not auth[7:].strip():
        raise MockAppsError("send an OAuth 2.0 bearer token (any token is accepted by the mock)", status=401,
                            code="unauthorized")
    company = service.company(db())
    if realm != company.realm_id:
        raise MockAppsError(f"realm {realm!r} is not a company this token can access (this world's company is "
                            f"{company.realm_id})", status=401, code="wrong_realm")


def _entity(name: str) -> str:
    entity = BY_LOWER.get(name.lower())
    if entity is None:
        raise MockAppsError(f"the entity {name!r} is not supported by this API; supported: "
                            f"{', '.join(BY_LOWER.values())}", status=400, code="unsupported")
    return entity


def _body() -> dict:
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
    except (ValueError, RecursionError):  # RecursionError: nested too deeply to parse
        raise BadRequest("the request body is not valid JSON", code="invalid_line") from None
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object", code="invalid_line")
    return body


def _load(entity: str, entity_id) -> object:
    session = db()
    model = {"Account": Account, "Item": Item, "Customer": Contact, "Vendor": Contact,
             "Attachable": Attachment}.get(entity)
    row = None
    if service.row_id(entity_id) is not None:
        if model is None:
            from mock_apps.books.models import Txn
            row = session.get(Txn, int(entity_id))
            row = row if row is not None and row.type == entity else None
        else:
            row = session.get(model, int(entity_id))
            if model is Contact and row is not None and row.kind != entity.lower():
                row = None
    if row is None:
        raise NotFound(f"Object Not Found: {entity} {entity_id} does not exist", code="object_not_found")
    return row


def _reply(entity: str, row) -> Response:
    session = db()
    return jsonify({entity: Renderer(session).render(entity, row), "time": stamp(session.now(), session.timezone())})


@bp.get("/v3/company/<realm>/<name>/<entity_id>/pdf")
def read_pdf(realm: str, name: str, entity_id: str):
    """An invoice or credit memo as PDF (python-quickbooks' download_pdf)."""
    from mock_apps.books import document_pdf

    _check_access(realm)
    entity = _entity(name)
    if entity not in ("Invoice", "CreditMemo"):
        raise MockAppsError(f"{entity} has no PDF form", status=400, code="unsupported")
    return Response(document_pdf.render(db(), _load(entity, entity_id)), mimetype="application/pdf")


@bp.get("/v3/company/<realm>/<name>/<entity_id>")
def read(realm: str, name: str, entity_id: str):
    """Read one entity."""
    _check_access(realm)
    if name.lower() == "companyinfo":
        return company_info(realm)
    if name.lower() == "download":
        att = _load("Attachable", entity_id)
        return Response(url_for("books.attachment", attachment_id=att.id, _external=True), mimetype="text/plain")
    entity = "Attachable" if name.lower() == "attachable" else _entity(name)
    return _reply(entity, _load(entity, entity_id))


def company_info(realm: str):
    """The CompanyInfo entity."""
    session = db()
    comp = service.company(session)
    return jsonify({"CompanyInfo": {"Id": "1", "SyncToken": "0", "CompanyName": comp.name,
                                    "LegalName": comp.legal_name, "CompanyAddr": {"Line1": comp.address},
                                    "Country": "US", "FiscalYearStartMonth": "January", "domain": "QBO"},
                    "time": stamp(session.now(), session.timezone())})


@bp.post("/v3/company/<realm>/<name>")
def write(realm: str, name: str):
    """Create, update (full or sparse), delete or void an entity."""
    _check_access(realm)
    if name.lower() == "query":
        return query(realm)
    if name.lower() == "upload":
        return upload(realm)
    if name.lower() == "attachable":
        return _attachable_write()
    entity = _entity(name)
    body = _body()
    operation = request.args.get("operation", "")
    session = db()
    if operation == "delete" or (operation == "update" and request.args.get("include") == "void") or \
            operation == "void":
        entity_id = body.get("Id")
        row = _load(entity, entity_id)
        if entity in ("Account", "Item", "Customer", "Vendor"):
            if operation != "delete":
                raise BadRequest(f"{entity} cannot be voided", code="unsupported")
            # QuickBooks never deletes names: deleting makes them inactive.
            return _reply(entity, _update_list(entity, row, {"Active": False}, body.get("SyncToken")))
        if operation == "delete":
            service.delete_txn(session, row.id, body.get("SyncToken"))
            return jsonify({entity: {"Id": str(row.id), "status": "Deleted", "domain": "QBO"},
                            "time": stamp(session.now(), session.timezone())})
        return _reply(entity, service.void_txn(session, row.id, body.get("SyncToken")))
    if operation not in ("", "update", "create"):
        raise BadRequest(f"unknown operation {operation!r}", code="unsupported")
    if body.get("Id") not in (None, ""):
        row = _load(entity, body["Id"])
        if entity in ("Account", "Item", "Customer", "Vendor"):
            return _reply(entity, _update_list(entity, row, body, body.get("SyncToken")))
        current = Renderer(session).render(entity, row)
        merged = current | body  # sparse and full updates alike keep what the body leaves out
        kwargs = _parsed(qbo_json.txn_kwargs, session, entity, merged)
        return _reply(entity, service.update_txn(session, row.id, body.get("SyncToken"), source="api", **kwargs))
    if entity in ("Customer", "Vendor"):
        return _reply(entity, service.create_contact(session, entity.lower(), **_parsed(qbo_json.contact_values, body, entity.lower())))
    if entity == "Account":
        return _reply(entity, service.create_account(session, **_parsed(qbo_json.account_values, body)))
    if entity == "Item":
        return _reply(entity, service.create_item(session, **_parsed(qbo_json.item_values, body)))
    kwargs = _parsed(qbo_json.txn_kwargs, session, entity, body)
    return _reply(entity, service.create_txn(session, entity, source="api", **kwargs))


def _parsed(parse, *args):
    """Run a body parser; a property of the wrong JSON type becomes QuickBooks' invalid-property fault."""
    try:
        return parse(*args)
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        if isinstance(exc, MockAppsError):
            raise
        raise BadRequest("a property of the request has the wrong type or shape (objects where QuickBooks expects "
                         "objects, lists where it expects lists)", code="invalid_line") from None


def _update_list(entity: str, row, body: dict, sync_token):
    session = db()
    if entity in ("Customer", "Vendor"):
        values = _parsed(qbo_json.contact_values, body, entity.lower()) if set(body) - {"Id", "SyncToken", "Active", "sparse"} else \
            {"active": body.get("Active")}
        return service.update_contact(session, row.id, entity.lower(), sync_token, **values)
    if entity == "Account":
        return service.update_account(session, row.id, sync_token, **_parsed(qbo_json.account_values, body))
    return service.update_item(session, row.id, sync_token, **_parsed(qbo_json.item_values, body))


def upload(realm: str):
    """The upload endpoint: multipart parts file_metadata_NN (an Attachable) and file_content_NN (the file,
    raw or base64 as python-quickbooks sends it), linked to a transaction by AttachableRef."""
    import base64
    import binascii

    session = db()
    results = []
    names = sorted({key.rsplit("_", 1)[-1] for key in [*request.form, *request.files]
                    if key.startswith(("file_metadata_", "file_content_"))})
    if not names:
        raise BadRequest("send multipart parts file_metadata_01 (Attachable JSON) and file_content_01 (the file)",
                         code="required_param")
    for n in names:
        try:
            meta = json.loads(request.form.get(f"file_metadata_{n}") or "{}")
        except (ValueError, RecursionError):
            raise BadRequest(f"file_metadata_{n} is not valid JSON", code="invalid_line") from None
        refs = meta.get("AttachableRef") or []
        entity_ref = (refs[0].get("EntityRef") or {}) if refs and isinstance(refs[0], dict) else {}
        if entity_ref.get("type") not in service.TXN_TYPES or not str(entity_ref.get("value", "")).isdecimal():
            raise BadRequest("AttachableRef must name the transaction to attach to (EntityRef type and value)",
                             code="required_param")
        upload_file = request.files.get(f"file_content_{n}")
        if upload_file is not None:
            data, filename = upload_file.read(), meta.get("FileName") or upload_file.filename
            content_type = meta.get("ContentType") or upload_file.mimetype
        else:
            try:
                data = base64.b64decode(request.form.get(f"file_content_{n}", ""))
            except (binascii.Error, ValueError):
                raise BadRequest(f"file_content_{n} is not base64 file content", code="invalid_line") from None
            filename, content_type = meta.get("FileName"), meta.get("ContentType")
        target = _load(entity_ref["type"], entity_ref["value"])
        att = service.add_attachment(session, target.id, filename or "", content_type or "", data)
        results.append({"Attachable": Renderer(session).render("Attachable", att)})
    return jsonify({"AttachableResponse": results, "time": stamp(session.now(), session.timezone())})


def _attachable_write():
    session = db()
    body = _body()
    if request.args.get("operation") != "delete":
        raise MockAppsError("create attachments through the upload endpoint; only delete is supported here",
                            status=400, code="unsupported")
    att = _load("Attachable", body.get("Id"))
    service.delete_attachment(session, att.id)
    return jsonify({"Attachable": {"Id": str(att.id), "status": "Deleted", "domain": "QBO"},
                    "time": stamp(session.now(), session.timezone())})


@bp.route("/v3/company/<realm>/query", methods=["GET"])
def query(realm: str):
    """The query endpoint: QuickBooks' SQL-like language over one entity."""
    _check_access(realm)
    text = request.args.get("query")
    if text is None:
        text = request.get_data(as_text=True)
    parsed = qbql.parse(text)
    session = db()
    entity, rows, total = qbo_query.run(session, parsed)
    now = stamp(session.now(), session.timezone())
    if total is not None:
        return jsonify({"QueryResponse": {"totalCount": total}, "time": now})
    renderer = Renderer(session)
    if entity in service.TXN_TYPES:
        renderer.prefetch(rows)
    response: dict = {}
    if rows:
        rendered = [renderer.render(entity, row) for row in rows]
        if "*" not in parsed.fields:  # a field list returns those fields (and the identity), as QuickBooks does
            keep = {f.split(".")[0] for f in parsed.fields} | {"Id", "SyncToken", "domain"}
            rendered = [{k: v for k, v in obj.items() if k in keep} | {"sparse": True} for obj in rendered]
        response[entity] = rendered
        response["startPosition"] = parsed.start_position
        response["maxResults"] = len(rows)
    return jsonify({"QueryResponse": response, "time": now})


# QuickBooks report names -> (our report key, its date parameters)
_REPORTS = {
    "ProfitAndLoss": "profit-and-loss", "BalanceSheet": "balance-sheet", "TrialBalance": "trial-balance",
    "AgedReceivables": "ar-aging-summary", "AgedReceivableDetail": "ar-aging-detail",
    "AgedPayables": "ap-aging-summary", "AgedPayableDetail": "ap-aging-detail", "GeneralLedger": "general-ledger",
    "CustomerBalance": "customer-balances", "VendorBalance": "vendor-balances",
}


# the reports whose Header carries SummarizeColumnsBy in QuickBooks' samples
_SUMMARIZED = ("ProfitAndLoss", "BalanceSheet")


@bp.get("/v3/company/<realm>/reports/<name>")
def report(realm: str, name: str):
    """A report in QuickBooks' report JSON (Header, Columns, Rows with Sections and Summaries)."""
    _check_access(realm)
    key = _REPORTS.get(name)
    if key is None:
        raise MockAppsError(f"the report {name!r} is not supported; reports: {', '.join(_REPORTS)}", status=400,
                            code="unsupported")
    method = request.args.get("accounting_method", "Accrual")
    if method != "Accrual":
        raise BadRequest("only the Accrual basis is supported (accounting_method=Accrual)", code="invalid_enum")
    start = request.args.get("start_date")
    end = request.args.get("end_date") or request.args.get("report_date") or request.args.get("as_of")
    session = db()
    summarize = request.args.get("summarize_column_by", "Total")
    if summarize not in ("Total", "Month"):
        raise BadRequest("summarize_column_by takes Total or Month", code="invalid_enum")
    built = reports.build(session, key, to_date(start, "start_date") if start else None,
                          to_date(end, "end_date") if end else None, by_month=summarize == "Month")
    summarized = summarize if name in _SUMMARIZED else None
    return jsonify(qbo_report(built, name, stamp(session.now(), session.timezone()), summarized))


@bp.get("/v3/openapi.json")
def openapi():
    """The OpenAPI document of what this API implements."""
    from mock_apps.books.openapi import openapi_document

    return jsonify(openapi_document(service.company(db()).realm_id))
