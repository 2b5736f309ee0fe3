"""The OpenAPI 3 document of the QuickBooks Online Accounting API v3 subset the mock implements."""

from __future__ import annotations

from mock_apps.books.qbo_json import ENTITIES

_REPORT_NAMES = ["ProfitAndLoss", "BalanceSheet", "TrialBalance", "AgedReceivables", "AgedReceivableDetail",
                 "AgedPayables", "AgedPayableDetail", "GeneralLedger", "CustomerBalance", "VendorBalance"]


def _fault(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fault"}}}}


# Every operation can answer these: a ValidationFault (bad input, an object not found: QuickBooks answers 400 for
# both) and the 401 AUTHENTICATION fault (no bearer token, or a realm the token cannot access)
_FAULTS = {"400": _fault("QuickBooks ValidationFault"), "401": _fault("QuickBooks AUTHENTICATION fault")}


def openapi_document(realm_id: str) -> dict:
    """The document: one path per entity (create/update/delete/void, read), query and reports."""
    # the one company this server holds (another realm is the 401 fault): fuzzers and clients reach the API itself
    realm = {"name": "realmId", "in": "path", "required": True,
             "schema": {"type": "string", "enum": [realm_id], "example": realm_id}}
    minor = {"name": "minorversion", "in": "query", "schema": {"type": "integer"}}
    paths: dict = {}
    for entity in ENTITIES:
        lower = entity.lower()
        is_list = entity in ("Account", "Item", "Customer", "Vendor")
        ops = ["create", "update (full or sparse, SyncToken required)", "delete"]
        if not is_list:
            ops.append("void")
        schema = {"$ref": f"#/components/schemas/{entity}"}
        paths[f"/v3/company/{{realmId}}/{lower}"] = {"post": {
            "operationId": f"write{entity}", "summary": f"{entity}: {', '.join(ops)}",
            "description": ("Without Id: create. With Id and SyncToken: update. ?operation=delete"
                            + (" makes the name inactive (QuickBooks never deletes names)." if is_list else
                               " deletes; ?operation=void (or operation=update&include=void) voids.")),
            "parameters": [realm, minor, {"name": "operation", "in": "query", "schema": {
                "type": "string", "enum": ["create", "update", "delete"] + ([] if is_list else ["void"])}},
                {"name": "include", "in": "query", "schema": {"type": "string", "enum": ["void"]}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": f"{{\"{entity}\": {{...}}, \"time\": ...}}",
                                  "content": {"application/json": {"schema": {"type": "object", "properties": {
                                      entity: schema, "time": {"type": "string"}}}}}},
                          **_FAULTS}}}
        paths[f"/v3/company/{{realmId}}/{lower}/{{id}}"] = {"get": {
            "operationId": f"read{entity}", "summary": f"Read one {entity}",
            "parameters": [realm, minor, {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                "type": "object", "properties": {entity: schema}}}}}, **_FAULTS}}}
    paths["/v3/company/{realmId}/query"] = {
        op: {"operationId": f"query{op.capitalize()}",
             "summary": "QuickBooks query language: SELECT * | COUNT(*) FROM Entity WHERE f = 'v' AND f IN (...) "
                        "AND f LIKE '%x%' (also < > <= >=) ORDERBY f [DESC] STARTPOSITION n MAXRESULTS n (<= 1000)",
             "parameters": [realm, minor] + ([{"name": "query", "in": "query", "required": True,
                                                "schema": {"type": "string"}}] if op == "get" else []),
             # QuickBooks' POST form takes the query as the body, sent as application/text (python-quickbooks does)
             **({"requestBody": {"required": True, "content": {"application/text": {"schema": {
                 "type": "string", "example": "SELECT * FROM Customer MAXRESULTS 10"}}}}} if op == "post" else {}),
             "responses": {"200": {"description": "QueryResponse with the entity's list, startPosition, "
                                                  "maxResults, or totalCount"}, **_FAULTS}}
        for op in ("get", "post")}
    paths["/v3/company/{realmId}/reports/{report}"] = {"get": {
        "operationId": "report", "summary": "A report in QuickBooks' report JSON (Accrual basis)",
        "parameters": [realm, {"name": "report", "in": "path", "required": True,
                               "schema": {"type": "string", "enum": _REPORT_NAMES}},
                       {"name": "start_date", "in": "query", "schema": {"type": "string", "format": "date"}},
                       {"name": "end_date", "in": "query", "schema": {"type": "string", "format": "date"}},
                       {"name": "report_date", "in": "query", "schema": {"type": "string", "format": "date"}},
                       {"name": "accounting_method", "in": "query", "schema": {"type": "string", "enum": ["Accrual"]}}],
        "responses": {"200": {"description": "Header, Columns, Rows"}, **_FAULTS}}}
    idp = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    paths["/v3/company/{realmId}/upload"] = {"post": {
        "operationId": "upload", "summary": "Attach files to a transaction: multipart parts file_metadata_NN "
                                            "(Attachable JSON with AttachableRef.EntityRef) and file_content_NN "
                                            "(the file, raw or base64)",
        "parameters": [realm, minor], "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "AttachableResponse: [{Attachable}]"}, **_FAULTS}}}
    paths["/v3/company/{realmId}/attachable/{id}"] = {"get": {
        "operationId": "readAttachable", "summary": "Read an Attachable", "parameters": [realm, minor, idp],
        "responses": {"200": {"description": "Attachable"}, **_FAULTS}}}
    paths["/v3/company/{realmId}/attachable"] = {"post": {
        "operationId": "deleteAttachable", "summary": "Delete an Attachable (?operation=delete, body {Id})",
        "parameters": [realm, minor, {"name": "operation", "in": "query", "required": True,
                                      "schema": {"type": "string", "enum": ["delete"]}}],
        "responses": {"200": {"description": "Deleted"}, **_FAULTS}}}
    paths["/v3/company/{realmId}/download/{id}"] = {"get": {
        "operationId": "download", "summary": "A temporary download URL for an Attachable (text/plain)",
        "parameters": [realm, idp], "responses": {"200": {"description": "URL"}, **_FAULTS}}}
    for doc in ("invoice", "creditmemo"):
        paths[f"/v3/company/{{realmId}}/{doc}/{{id}}/pdf"] = {"get": {
            "operationId": f"{doc}Pdf", "summary": f"The {doc} as PDF", "parameters": [realm, idp],
            "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}, **_FAULTS}}}
    paths["/v3/company/{realmId}/companyinfo/{id}"] = {"get": {
        "operationId": "companyInfo", "summary": "The company", "parameters": [realm, {
            "name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "CompanyInfo"}, **_FAULTS}}}
    ref = {"type": "object", "properties": {"value": {"type": "string"}, "name": {"type": "string"}}}
    line = {"type": "object", "properties": {
        "Id": {"type": "string"}, "Amount": {"type": "number"}, "Description": {"type": "string"},
        "DetailType": {"type": "string", "enum": ["SalesItemLineDetail", "SubTotalLineDetail",
                                                  "AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail",
                                                  "JournalEntryLineDetail", "DepositLineDetail"]},
        "LinkedTxn": {"type": "array", "items": {"type": "object", "properties": {
            "TxnId": {"type": "string"}, "TxnType": {"type": "string"}}}}}, "additionalProperties": True}
    common = {"Id": {"type": "string"}, "SyncToken": {"type": "string"},
              "MetaData": {"type": "object", "properties": {"CreateTime": {"type": "string"},
                                                            "LastUpdatedTime": {"type": "string"}}}}
    txn = {"type": "object", "additionalProperties": True, "properties": {
        **common, "TxnDate": {"type": "string", "format": "date"}, "DocNumber": {"type": "string"},
        "Line": {"type": "array", "items": line}, "TotalAmt": {"type": "number"}, "Balance": {"type": "number"},
        "PrivateNote": {"type": "string"}, "CustomerRef": ref, "VendorRef": ref}}
    schemas = {entity: txn for entity in ENTITIES}
    schemas["Account"] = {"type": "object", "additionalProperties": True, "properties": {
        **common, "Name": {"type": "string"}, "AcctNum": {"type": "string"}, "AccountType": {"type": "string"},
        "AccountSubType": {"type": "string"}, "CurrentBalance": {"type": "number"}, "Active": {"type": "boolean"}}}
    for name in ("Customer", "Vendor"):
        schemas[name] = {"type": "object", "additionalProperties": True, "properties": {
            **common, "DisplayName": {"type": "string"}, "CompanyName": {"type": "string"},
            "Balance": {"type": "number"}, "Active": {"type": "boolean"}}}
    schemas["Item"] = {"type": "object", "additionalProperties": True, "properties": {
        **common, "Name": {"type": "string"}, "Sku": {"type": "string"}, "Type": {"type": "string"},
        "UnitPrice": {"type": "number"}, "IncomeAccountRef": ref, "ExpenseAccountRef": ref}}
    schemas["Fault"] = {"type": "object", "properties": {"Fault": {"type": "object", "properties": {
        "Error": {"type": "array", "items": {"type": "object", "properties": {
            "Message": {"type": "string"}, "Detail": {"type": "string"}, "code": {"type": "string"},
            "element": {"type": "string"}}}}, "type": {"type": "string"}}}, "time": {"type": "string"}}}
    return {"openapi": "3.0.3",
            "info": {"title": "Books: QuickBooks Online Accounting API v3 subset", "version": "1.0",
                     "description": f"Bearer token required (any value). The scenario company's realm id is "
                                    f"{realm_id}; a request without a token, or for another realm, gets a 401 "
                                    f"AUTHENTICATION fault."},
            "servers": [{"url": "/"}], "paths": paths,
            "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearer": []}]}
