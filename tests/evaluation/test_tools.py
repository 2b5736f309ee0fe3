"""The API (tool) environment: tools generated from the apps' OpenAPI documents, real HTTP calls into a fresh
world, agent mistakes returned as error results, and the same scoring by the task's checks."""

from __future__ import annotations

import json
import re

import pytest

from mock_apps.evaluation.tool_env import CALLS, ToolEnv
from mock_apps.evaluation.tools import tool_name, tools_from_document
from mock_apps.tasks import TaskError

NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@pytest.fixture
def lunch_env(sandbox, tmp_path):
    with ToolEnv("announce-lunch-in-general", sandbox, record_dir=tmp_path / "runs") as env:
        yield env


def _call(env, name, **arguments):
    observation, reward, terminated, truncated, info = env.step({"name": name, "arguments": arguments})
    return observation["last_result"], reward, terminated, info


def test_tools_cover_every_app_operation_once(sandbox):
    with ToolEnv("enter-bill-track-and-report", sandbox) as env:  # a four-app task: every app's tools
        env.reset()
        tools = env.tools
    names = [t["function"]["name"] for t in tools]
    assert len(names) == len(set(names))
    assert len(names) <= 128  # what OpenAI accepts in one request
    assert all(NAME.match(n) for n in names)
    for expected in ("mail_users_messages_list", "mail_users_messages_attachments_get", "chat_postMessage",
                     "chat_conversations_history", "sheets_spreadsheets_values_update", "books_writeBill",
                     "books_queryGet", "books_upload", "send_msg_to_user", "report_infeasible"):
        assert expected in names
    assert "chat_postMessage_get" not in names  # Slack's GET form of the same method is not offered twice
    by_name = {t["function"]["name"]: t["function"] for t in tools}
    update = by_name["sheets_spreadsheets_values_update"]["parameters"]
    assert set(update["required"]) == {"spreadsheetId", "range", "valueInputOption", "body"}
    assert "$ref" not in json.dumps(update)  # schemas are inlined for the model
    assert "userId" not in by_name["mail_users_messages_get"]["parameters"]["required"]  # "me" is filled in


def test_tool_names_and_recursive_schemas():
    assert tool_name("mail", "users.messages.list") == "mail_users_messages_list"
    assert tool_name("chat", "chat_postMessage") == "chat_postMessage"
    document = {"paths": {"/x/{id}": {"post": {
        "operationId": "node.put", "summary": "s", "parameters": [{"name": "id", "in": "path", "required": True}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}},
        "components": {"schemas": {"Node": {"type": "object", "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}}}
    (tool,) = tools_from_document("books", document)
    assert tool.name == "books_node_put" and tool.parameters["required"] == ["id", "body"]
    children = tool.parameters["properties"]["body"]["properties"]["children"]["items"]
    assert children["type"] == "object" and "$ref" not in json.dumps(tool.parameters)


def test_golden_task_through_the_api_passes_the_checks(lunch_env, tmp_path):
    observation, info = lunch_env.reset()
    assert "1 pm" in observation["goal"] and observation["apps"] == ["chat"]
    assert [t["function"]["name"] for t in lunch_env.tools if t["function"]["name"].startswith("mail_")] == []
    result, reward, terminated, _ = _call(lunch_env, "chat_postMessage",
                                          body={"channel": "general", "text": "Heads up: the quarter-end lunch "
                                                                              "moves to 1 pm."})
    assert result["status"] == 200 and result["body"]["ok"] is True and not terminated and reward == 0
    result, reward, terminated, info = _call(lunch_env, "send_msg_to_user", text="Posted in #general.")
    assert terminated and reward == 1.0 and info["passed"] is True and info["collateral"] == []
    assert all(c["passed"] for c in info["checks"])
    # recorded: a trajectory the store loads, with every call and the change it caused
    from trajectories.store import load

    (folder,) = (tmp_path / "runs").iterdir()
    meta, steps = load(folder)
    assert meta.task == "announce-lunch-in-general" and meta.outcome == "passed" and meta.score == 1.0
    calls = [json.loads(line) for line in (folder / CALLS).read_text().splitlines()]
    assert [c["tool"] for c in calls] == ["chat_postMessage", "send_msg_to_user"]
    assert [e["op"] for e in calls[0]["changes"]] == ["chat.post"]
    assert (folder / "state.json.gz").exists()


def test_each_reset_is_a_fresh_world(lunch_env):
    lunch_env.reset()
    _call(lunch_env, "chat_postMessage", body={"channel": "general", "text": "lunch at 1 pm"})
    lunch_env.reset()
    _, reward, terminated, info = _call(lunch_env, "send_msg_to_user", text="done")
    assert terminated and reward < 1.0 and not info["passed"]
    assert any("no chat chat_message" in (c["reason"] or "") for c in info["checks"])


def test_agent_mistakes_are_results_not_exceptions(lunch_env):
    observation, _ = lunch_env.reset()
    result, *_ = _call(lunch_env, "chat_postMesage", body={"channel": "general", "text": "x"})
    assert result["status"] == 400 and "did you mean 'chat_postMessage'" in result["body"]["error"]["message"]
    result, *_ = _call(lunch_env, "chat_postMessage", channel="general")
    assert result["body"]["error"]["code"] == "invalid_arguments" and "'channel'" in result["body"]["error"]["message"]
    result, *_ = _call(lunch_env, "chat_postMessage", body={"channel": "no-such-channel", "text": "x"})
    assert result["body"] == {"ok": False, "error": "channel_not_found",
                              "response_metadata": {"messages": ["[ERROR] There is no channel 'no-such-channel'."]}}
    observation, reward, terminated, truncated, _ = lunch_env.step("post it please")
    assert observation["last_result"]["body"]["error"]["code"] == "invalid_tool_call"
    assert "invalid_tool_call" in observation["last_action_error"] and not terminated
    observation, *_ = lunch_env.step(json.dumps({"name": "send_msg_to_user", "arguments": {}}))
    assert "needs 'text'" in observation["last_action_error"]
    assert lunch_env.control.changes() == []  # nothing reached the world


def test_collateral_damage_is_reported(lunch_env):
    lunch_env.reset()
    _call(lunch_env, "chat_postMessage", body={"channel": "general", "text": "lunch moves to 1 pm"})
    result, *_ = _call(lunch_env, "chat_conversations_setTopic", body={"channel": "general", "topic": "Lunch!"})
    assert result["body"]["ok"] is True
    _, reward, terminated, info = _call(lunch_env, "send_msg_to_user", text="done")
    assert not info["passed"] and 0 < reward < 1
    assert len(info["collateral"]) == 1 and "chat.channel.topic" in info["collateral"][0]["reason"]


def test_max_steps_truncates_and_scores(sandbox):
    with ToolEnv("announce-lunch-in-general", sandbox, max_steps=2) as env:
        env.reset()
        _, _, terminated, truncated, _ = env.step({"name": "chat_conversations_list", "arguments": {}})
        assert not terminated and not truncated
        _, reward, terminated, truncated, info = env.step({"name": "chat_auth_test", "arguments": {}})
        assert truncated and not terminated and not info["passed"]
        assert reward == pytest.approx(1 / 3)  # only "nothing else was done" (weight 1 of 3) holds
        with pytest.raises(RuntimeError, match="reset"):
            env.step({"name": "chat_auth_test", "arguments": {}})


def test_bill_with_its_pdf_entered_through_the_apis(sandbox):
    """A mail-to-books task done only with tool calls: the PDF goes from Gmail's attachment to QuickBooks'
    multipart upload."""
    with ToolEnv("enter-bill-brightline-bl-20931", sandbox) as env:
        env.reset()

        def call(name, **arguments):
            result = _call(env, name, **arguments)[0]
            assert result["status"] == 200, result
            return result["body"]

        found = call("mail_users_messages_list", q="BL-20931 has:attachment")["messages"]
        message = call("mail_users_messages_get", id=found[0]["id"])
        pdf = next(p for p in message["payload"]["parts"] if p.get("filename", "").endswith(".pdf"))
        data = call("mail_users_messages_attachments_get", messageId=message["id"],
                    id=pdf["body"]["attachmentId"])["data"]
        vendor = call("books_queryGet", query="select * from Vendor where DisplayName = 'Brightline Logistics'")
        account = call("books_queryGet", query="select * from Account where Name = 'Freight In'")
        bill = call("books_writeBill", body={
            "VendorRef": {"value": vendor["QueryResponse"]["Vendor"][0]["Id"]}, "TxnDate": "2026-03-18",
            "DocNumber": "BL-20931", "Line": [{"Amount": 4249.00, "DetailType": "AccountBasedExpenseLineDetail",
                                               "AccountBasedExpenseLineDetail": {"AccountRef": {
                                                   "value": account["QueryResponse"]["Account"][0]["Id"]}}}]})["Bill"]
        meta = {"FileName": pdf["filename"], "ContentType": "application/pdf",
                "AttachableRef": [{"EntityRef": {"type": "Bill", "value": bill["Id"]}}]}
        call("books_upload", body={"file_metadata_01": json.dumps(meta),
                                   "file_content_01": {"filename": pdf["filename"], "content_type": "application/pdf",
                                                       "data_base64": data}})
        _, reward, terminated, _, info = env.step({"name": "send_msg_to_user", "arguments": {"text": "Entered."}})
    assert terminated and info["passed"], info["checks"]
    assert reward == 1.0


def test_unknown_task_fails_before_anything_starts(sandbox):
    with pytest.raises(TaskError, match="unknown task 'announce-lunch'"):
        ToolEnv("announce-lunch", sandbox)
    with pytest.raises(ValueError, match="unknown app 'gmail'"):
        ToolEnv("announce-lunch-in-general", sandbox, apps=["gmail"])


def test_close_deletes_the_episode_world(sandbox):
    from mock_apps.core.world import WorldRegistry

    registry = WorldRegistry.for_settings(sandbox.settings)
    env = ToolEnv("announce-lunch-in-general", sandbox)
    env.reset()
    assert registry.exists(env.world_id)
    env.close()
    assert not registry.exists(env.world_id)


def test_every_tool_answers_wrong_arguments_without_a_server_error(sandbox):
    """Every generated tool, called with nothing and with values that name nothing or have the wrong type,
    answers with an error result (the API's or ours), never a 500 and never an exception."""
    with ToolEnv("enter-bill-track-and-report", sandbox) as env:
        env.reset()
        failures = []
        for tool in env.tools:
            name, required = tool["function"]["name"], tool["function"]["parameters"].get("required", [])
            for arguments in ({}, {k: "zz-nope" if i % 2 else {"x": [1]} for i, k in enumerate(required)}):
                result = env.call(name, arguments)
                if not 200 <= result["status"] < 500:
                    failures.append((name, arguments, result["status"], str(result["body"])[:200]))
    assert failures == []


def test_a_question_is_answered_through_the_apis_and_scored_on_the_final_answer(sandbox, tmp_path):
    """answer-inv-1021-open-balance: read the invoice in Books, answer with the open balance; a wrong answer
    fails the answer checkpoint, a change to the world fails 'nothing was changed'."""
    from trajectories.store import load

    with ToolEnv("answer-inv-1021-open-balance", sandbox, record_dir=tmp_path) as env:
        outcomes = []
        for answer in ("$8,301.40", "$16,601.40"):
            env.reset()
            found = _call(env, "books_queryGet", query="select * from Invoice where DocNumber = 'INV-1021'")[0]
            balance = found["body"]["QueryResponse"]["Invoice"][0]["Balance"]
            assert f"${balance:,.2f}" == "$8,301.40"
            _, reward, terminated, info = _call(env, "send_msg_to_user", text=answer)
            outcomes.append((reward, info["passed"], [c["name"] for c in info["checks"] if not c["passed"]]))
    assert outcomes == [(1.0, True, []), (0.25, False, ["the right answer"])]
    first = sorted(tmp_path.iterdir())[0]
    assert load(first)[0].final_answer == "$8,301.40"


def test_one_env_goes_on_to_another_task_with_that_tasks_apps_and_world(sandbox):
    with ToolEnv("announce-lunch-in-general", sandbox) as env:
        observation, _ = env.reset()
        assert env.apps == ["chat"] and all(t["function"]["name"].startswith(("chat_", "send_msg", "report_"))
                                            for t in observation["tools"])
        _call(env, "chat_postMessage", body={"channel": "general", "text": "lunch at 1 pm"})
        observation, info = env.reset(options={"task": "warmup-books-add-customer"})
        assert info["task"] == "warmup-books-add-customer" and env.apps == ["books"]
        names = {t["function"]["name"] for t in observation["tools"]}
        assert any(n.startswith("books_") for n in names) and not any(n.startswith("chat_") for n in names)
        assert env.control.changes() == []  # a fresh world: the post of the last task is gone
        with pytest.raises(TaskError, match="no-such-task"):
            env.reset(options={"task": "no-such-task"})
        assert env.task.id == "warmup-books-add-customer"
