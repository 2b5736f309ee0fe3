"""The OpenAPI 3.1 document of chat's Slack Web API subset, generated from `api.METHODS`."""

from __future__ import annotations

from mock_apps.chat import TOKEN_PREFIX

_ERRORS = ("not_authed", "invalid_auth", "channel_not_found", "not_in_channel", "no_text", "msg_too_long",
           "message_not_found", "thread_not_found", "cant_update_message", "cant_delete_message", "already_reacted",
           "no_reaction", "invalid_name", "already_pinned", "no_pin", "name_taken", "invalid_name_specials",
           "user_not_found", "users_not_found", "file_not_found", "invalid_cursor", "invalid_query",
           "unknown_method", "invalid_arguments", "cant_leave_general", "is_archived", "too_long",
           "file_upload_incomplete", "already_in_channel", "cannot_reply_to_message", "file_already_completed",
           "file_too_large", "file_upload_empty", "invalid_name_maxlength", "invalid_name_required", "invalid_types",
           "method_not_supported_for_channel_type", "no_query", "no_user", "invalid_json", "invalid_blocks", "invalid_ts", "not_pinnable", "too_many_users")


def build_document(methods: dict, server_url: str) -> dict:
    """An OpenAPI document listing every implemented method with its parameters."""
    paths = {}
    for name, spec in sorted(methods.items()):
        properties = {param: {"type": "string", "description": text} for param, text in spec.params.items()}
        schema = {"type": "object", "properties": properties, "required": list(spec.required)}
        operation = {
            "operationId": name.replace(".", "_"),
            "summary": spec.summary,
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": schema},
                                        "application/json": {"schema": schema}}},
            "parameters": [{"name": param, "in": "query", "required": param in spec.required,
                            "schema": {"type": "string"}, "description": text} for param, text in spec.params.items()],
            "responses": {"200": {"description": 'Slack\'s envelope: {"ok": true, ...} or {"ok": false, "error": code}',
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}}}},
        }
        if not spec.auth:
            operation["security"] = []
        paths[f"/api/{name}"] = {"post": operation, "get": {**operation, "operationId": operation["operationId"] + "_get"}}
    paths["/upload/v1/{file_id}"] = {"post": {
        "operationId": "upload_bytes", "summary": "Step 2 of the external upload flow: POST the file's raw bytes.",
        "parameters": [{"name": "file_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
        "responses": {"200": {"description": "OK - <bytes>"}}, "security": []}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Chat (Slack Web API subset)", "version": "1.0",
                 "description": (f"Slack Web API methods served by the mock chat app. Authenticate with "
                                 f"`Authorization: Bearer {TOKEN_PREFIX}<handle>` (for example "
                                 f"`{TOKEN_PREFIX}dana.whitfield`); tokens are deterministic per world user. "
                                 "Prefix paths with `/w/<world>` to address a world. Lists page with "
                                 "`response_metadata.next_cursor`.")},
        "servers": [{"url": server_url}, {"url": server_url + "/w/{world}", "variables": {"world": {"default": "default"}}}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": f"{TOKEN_PREFIX}<user handle>"}},
            "schemas": {"Envelope": {"type": "object", "required": ["ok"], "properties": {
                "ok": {"type": "boolean"}, "error": {"type": "string", "enum": list(_ERRORS)},
                "response_metadata": {"type": "object", "properties": {"next_cursor": {"type": "string"}}}}}},
        },
    }
