"""The OpenAPI 3 document of the Gmail API subset the mock implements."""

from __future__ import annotations

_USER = {"name": "userId", "in": "path", "required": True, "schema": {"type": "string", "default": "me"}}


def _p(name: str, where: str = "query", type_: str = "string", **extra) -> dict:
    return {"name": name, "in": where, "required": where == "path", "schema": {"type": type_, **extra}}


def _op(op_id: str, summary: str, params: list | None = None, body: str | None = None, result: str | None = None,
        status: str = "200") -> dict:
    operation: dict = {"operationId": op_id, "summary": summary, "parameters": [_USER, *(params or [])],
                       "responses": {status: {"description": "OK"},
                                     "default": {"description": "Gmail error body",
                                                 "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
    if result:
        operation["responses"][status]["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{result}"}}}
    if body:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}}}
    return operation


_LIST = [_p("q"), {"name": "labelIds", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
                   "style": "form", "explode": True},
         _p("maxResults", type_="integer", maximum=500), _p("pageToken"), _p("includeSpamTrash", type_="boolean")]
_FORMAT = _p("format", enum=["full", "metadata", "minimal", "raw"])
_ID = _p("id", "path")


def openapi_document() -> dict:
    """Paths, parameters and schemas of every implemented Gmail method."""
    base = "/gmail/v1/users/{userId}"
    paths = {
        f"{base}/profile": {"get": _op("users.getProfile", "The mailbox's address and totals")},
        f"{base}/messages": {"get": _op("users.messages.list", "List message ids matching a query", _LIST, result="ListMessagesResponse"),
                             "post": _op("users.messages.insert", "Insert a raw message as it is (no sending)", body="Message", result="Message")},
        f"{base}/messages/{{id}}": {"get": _op("users.messages.get", "Get a message", [_ID, _FORMAT], result="Message")},
        f"{base}/messages/send": {"post": _op("users.messages.send", "Send a raw RFC 822 message", body="Message", result="Message")},
        f"/upload{base}/messages/send": {"post": _op("users.messages.send.media", "Send by media upload (uploadType=media|multipart)",
                                                     [_p("uploadType")], result="Message")},
        f"/upload{base}/messages": {"post": _op("users.messages.insert.media", "Insert by media upload (uploadType=media|multipart)",
                                                [_p("uploadType")], result="Message")},
        f"{base}/messages/{{id}}/modify": {"post": _op("users.messages.modify", "Add or remove labels", [_ID], body="ModifyRequest", result="Message")},
        f"{base}/messages/batchModify": {"post": _op("users.messages.batchModify", "Modify many messages", body="BatchModifyRequest", status="204")},
        f"{base}/messages/{{id}}/trash": {"post": _op("users.messages.trash", "Move to Trash", [_ID], result="Message")},
        f"{base}/messages/{{id}}/untrash": {"post": _op("users.messages.untrash", "Remove from Trash", [_ID], result="Message")},
        f"{base}/messages/{{messageId}}/attachments/{{id}}": {"get": _op(
            "users.messages.attachments.get", "Get an attachment's bytes", [_p("messageId", "path"), _ID], result="MessagePartBody")},
        f"{base}/threads": {"get": _op("users.threads.list", "List threads matching a query", _LIST)},
        f"{base}/threads/{{id}}": {"get": _op("users.threads.get", "Get a thread with its messages", [_ID, _FORMAT])},
        f"{base}/threads/{{id}}/modify": {"post": _op("users.threads.modify", "Labels on every message of a thread", [_ID], body="ModifyRequest")},
        f"{base}/threads/{{id}}/trash": {"post": _op("users.threads.trash", "Move a thread to Trash", [_ID])},
        f"{base}/threads/{{id}}/untrash": {"post": _op("users.threads.untrash", "Remove a thread from Trash", [_ID])},
        f"{base}/labels": {"get": _op("users.labels.list", "List labels"),
                           "post": _op("users.labels.create", "Create a user label", body="Label", result="Label")},
        f"{base}/labels/{{id}}": {"get": _op("users.labels.get", "Get a label with counts", [_ID], result="Label"),
                                  "delete": _op("users.labels.delete", "Delete a user label", [_ID], status="204")},
        f"{base}/drafts": {"get": _op("users.drafts.list", "List drafts", [_p("maxResults", type_="integer"), _p("pageToken")]),
                           "post": _op("users.drafts.create", "Create a draft from a raw message", body="Draft", result="Draft")},
        f"{base}/drafts/{{id}}": {"get": _op("users.drafts.get", "Get a draft", [_ID, _FORMAT], result="Draft"),
                                  "delete": _op("users.drafts.delete", "Discard a draft", [_ID], status="204")},
        f"{base}/drafts/send": {"post": _op("users.drafts.send", "Send a draft", body="Draft", result="Message")},
        f"/upload{base}/drafts": {"post": _op("users.drafts.create.media", "Create a draft by media upload",
                                              [_p("uploadType")], result="Draft")},
        f"/upload{base}/drafts/send": {"post": _op("users.drafts.send.media", "Send a draft by media upload",
                                                   [_p("uploadType")], result="Message")},
    }
    schemas = {
        "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "integer"}, "message": {"type": "string"}, "status": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object"}}}}}},
        "Message": {"type": "object", "properties": {
            "id": {"type": "string"}, "threadId": {"type": "string"}, "labelIds": {"type": "array", "items": {"type": "string"}},
            "snippet": {"type": "string"}, "historyId": {"type": "string"}, "internalDate": {"type": "string"},
            "sizeEstimate": {"type": "integer"}, "raw": {"type": "string", "format": "byte"},
            "payload": {"$ref": "#/components/schemas/MessagePart"}}},
        "MessagePart": {"type": "object", "properties": {
            "partId": {"type": "string"}, "mimeType": {"type": "string"}, "filename": {"type": "string"},
            "headers": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "value": {"type": "string"}}}},
            "body": {"$ref": "#/components/schemas/MessagePartBody"},
            "parts": {"type": "array", "items": {"$ref": "#/components/schemas/MessagePart"}}}},
        "MessagePartBody": {"type": "object", "properties": {
            "attachmentId": {"type": "string"}, "size": {"type": "integer"}, "data": {"type": "string", "format": "byte"}}},
        "ListMessagesResponse": {"type": "object", "properties": {
            "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
            "nextPageToken": {"type": "string"}, "resultSizeEstimate": {"type": "integer"}}},
        "ModifyRequest": {"type": "object", "properties": {
            "addLabelIds": {"type": "array", "items": {"type": "string"}},
            "removeLabelIds": {"type": "array", "items": {"type": "string"}}}},
        "BatchModifyRequest": {"type": "object", "properties": {
            "ids": {"type": "array", "items": {"type": "string"}},
            "addLabelIds": {"type": "array", "items": {"type": "string"}},
            "removeLabelIds": {"type": "array", "items": {"type": "string"}}}},
        "Label": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                                   "type": {"type": "string", "enum": ["system", "user"]}}},
        "Draft": {"type": "object", "properties": {"id": {"type": "string"}, "message": {"$ref": "#/components/schemas/Message"}}},
    }
    return {"openapi": "3.0.3", "info": {"title": "Mock Gmail API (v1 subset)", "version": "v1"},
            "servers": [{"url": "/"}], "paths": paths, "components": {"schemas": schemas}}
