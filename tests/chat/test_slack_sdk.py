"""The official slack_sdk WebClient drives the mock Slack Web API unchanged."""

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from mock_apps.scenarios import get_scenario

FACTS = get_scenario("meridian").facts


@pytest.fixture
def slack(chat_world):
    return WebClient(token="xoxp-dana.whitfield", base_url=chat_world.api_url)


def _channel(slack, name):
    for page in slack.conversations_list(types="public_channel,private_channel", limit=100):
        for channel in page["channels"]:
            if channel["name"] == name:
                return channel["id"]
    raise AssertionError(name)


def test_auth_test_maps_token_to_world_user(slack, chat_world):
    me = slack.auth_test()
    assert me["ok"] and me["user"] == "dana.whitfield" and me["user_id"].startswith("U")
    assert me["url"] == chat_world.url + "/"
    other = WebClient(token="xoxp-marcus.reyes", base_url=chat_world.api_url).auth_test()
    assert other["user"] == "marcus.reyes" and other["user_id"] != me["user_id"]


def test_conversations_list_pages_through_with_cursors(slack):
    # slack_sdk's iterator reuses one response object, so copy each page as it comes
    pages = [{"channels": list(page["channels"]), "cursor": page["response_metadata"]["next_cursor"]}
             for page in slack.conversations_list(types="public_channel,private_channel,im,mpim", limit=2)]
    assert len(pages) >= 5 and all(len(page["channels"]) <= 2 for page in pages)
    assert all(page["cursor"] for page in pages[:-1]) and pages[-1]["cursor"] == ""
    ids = [c["id"] for page in pages for c in page["channels"]]
    assert len(ids) == len(set(ids))
    names = {c.get("name") for page in pages for c in page["channels"]}
    assert {"general", "finance", "ap-approvals", "sales", "random", "payroll-hr"} <= names
    assert "leadership" not in names  # private and Dana is not in it
    ims = [c for page in pages for c in page["channels"] if c.get("is_im")]
    assert ims and all(c["user"].startswith("U") for c in ims)
    public_only = [c for page in slack.conversations_list(limit=100) for c in page["channels"]]
    assert all(not c["is_private"] for c in public_only)


def test_history_and_replies_show_the_approval_thread(slack):
    channel = _channel(slack, "ap-approvals")
    messages, cursor = [], None
    while True:
        page = slack.conversations_history(channel=channel, limit=20, cursor=cursor)
        messages += page["messages"]
        cursor = page["response_metadata"]["next_cursor"]
        if not page["has_more"]:
            break
    assert [m["ts"] for m in messages] == sorted((m["ts"] for m in messages), reverse=True)
    assert len(messages) == len({m["ts"] for m in messages}) > 20
    request = next(m for m in messages if "BL-20931" in m["text"] and m.get("reply_count"))
    assert "$4,249.00" in request["text"] and "Brightline Logistics" in request["text"]
    assert any(r["name"] == "white_check_mark" for r in request["reactions"])
    replies = slack.conversations_replies(channel=channel, ts=request["ts"])["messages"]
    assert replies[0]["ts"] == request["ts"] and len(replies) == request["reply_count"] + 1
    marcus = slack.users_lookupByEmail(email="marcus.reyes@meridiansupply.com")["user"]
    approval = replies[1]
    assert approval["user"] == marcus["id"] and "Approved" in approval["text"] and approval["thread_ts"] == request["ts"]


def test_post_reply_update_delete_and_react(slack, chat_world):
    channel = _channel(slack, "finance")
    posted = slack.chat_postMessage(channel=channel, text="Entered *BL-20931* in Books")
    ts = posted["ts"]
    assert posted["channel"] == channel and posted["message"]["text"] == "Entered *BL-20931* in Books"
    reply = slack.chat_postMessage(channel=channel, text="and SP-88412", thread_ts=ts, reply_broadcast=True)
    thread = slack.conversations_replies(channel=channel, ts=ts)["messages"]
    assert [m["ts"] for m in thread] == [ts, reply["ts"]] and thread[0]["reply_count"] == 1
    latest = slack.conversations_history(channel=channel, limit=2)["messages"]
    assert latest[0]["ts"] == reply["ts"] and latest[0]["subtype"] == "thread_broadcast"
    updated = slack.chat_update(channel=channel, ts=ts, text="Entered BL-20931 and SP-88412")
    assert updated["text"] == "Entered BL-20931 and SP-88412" and updated["message"]["edited"]["ts"]
    slack.reactions_add(channel=channel, timestamp=ts, name="white_check_mark")
    got = slack.reactions_get(channel=channel, timestamp=ts)["message"]
    assert got["reactions"] == [{"name": "white_check_mark", "users": [slack.auth_test()["user_id"]], "count": 1}]
    slack.chat_delete(channel=channel, ts=reply["ts"])
    assert [m["ts"] for m in slack.conversations_replies(channel=channel, ts=ts)["messages"]] == [ts]
    ops = [c["op"] for c in chat_world.changes()]
    assert ops == ["chat.post", "chat.thread.reply", "chat.update", "chat.react", "chat.delete"]
    # and the UI shows what the API posted
    page = requests.get(f"{chat_world.url}/archives/{channel}").text
    assert f'data-testid="msg-{ts}"' in page and "Entered BL-20931 and SP-88412" in page


def test_ts_is_derived_from_the_world_clock(slack, chat_world):
    clock = chat_world.world.control("chat", "GET", "/clock")
    channel = _channel(slack, "random")
    first = slack.chat_postMessage(channel=channel, text="one")["ts"]
    second = slack.chat_postMessage(channel=channel, text="two")["ts"]
    from datetime import datetime
    now = datetime.fromisoformat(clock["now"].replace("Z", "+00:00")).timestamp()
    assert int(first.split(".")[0]) == int(now) + clock["step_seconds"]
    assert int(second.split(".")[0]) == int(now) + 2 * clock["step_seconds"]
    assert first.endswith(".000001") and second.endswith(".000001")


def test_users_list_and_lookup(slack):
    members = [m for page in slack.users_list(limit=5) for m in list(page["members"])]
    assert len(members) == len(FACTS.people)
    by_name = {m["name"]: m for m in members}
    for person in FACTS.people:
        member = by_name[person.key]
        assert member["real_name"] == person.name and member["tz"] == person.timezone
        assert member["profile"]["title"] == person.title and member["profile"]["email"] == person.email
    found = slack.users_lookupByEmail(email="Priya.Nair@meridiansupply.com")["user"]
    assert found["name"] == "priya.nair" and found["profile"]["title"] == "AP Specialist"
    assert slack.users_info(user=found["id"])["user"]["id"] == found["id"]


def test_search_messages_with_modifiers(slack):
    result = slack.search_messages(query="CC-55107 in:#ap-approvals", count=5)
    matches = result["messages"]["matches"]
    assert result["messages"]["total"] == len(matches) == 3  # request, approval, confirmation of the amount
    assert all(m["channel"]["name"] == "ap-approvals" and "CC-55107" in m["text"] for m in matches)
    correction = slack.search_messages(query='"volume credit" from:@priya.nair')["messages"]["matches"]
    assert len(correction) == 1 and "$2,040.00" in correction[0]["text"] and "$2,120.00" in correction[0]["text"]
    assert all(m["permalink"].endswith(m["ts"].replace(".", "")) or "thread_ts=" in m["permalink"] for m in matches)
    pinned = slack.search_messages(query="has:pin in:#finance")["messages"]["matches"]
    assert any("Coastline Federal" in m["text"] and "9921" in m["text"] for m in pinned)
    dated = slack.search_messages(query="approved on:2026-03-19")["messages"]["matches"]
    assert dated and all("approved" in m["text"].lower() for m in dated)
    assert any("BL-20931" in m["text"] for m in dated)
    paged = slack.search_messages(query="payment", count=3, page=2)["messages"]
    assert paged["paging"]["page"] == 2 and len(paged["matches"]) == 3 and paged["total"] > 6


def test_files_upload_v2_round_trip(slack, chat_world):
    channel = _channel(slack, "finance")
    body = b"vendor,invoice,amount\nBrightline Logistics,BL-20931,4249.00\n"
    done = slack.files_upload_v2(channel=channel, filename="march-bills.csv", content=body,
                                 title="March bills", initial_comment="Bills entered so far")
    file = done["file"]
    assert file["name"] == "march-bills.csv" and file["title"] == "March bills" and file["size"] == len(body)
    assert channel in file["channels"]
    info = slack.files_info(file=file["id"])["file"]
    assert info["mimetype"] == "text/csv" and info["url_private_download"].startswith(chat_world.url)
    assert requests.get(info["url_private_download"]).content == body
    latest = slack.conversations_history(channel=channel, limit=1)["messages"][0]
    assert latest["text"] == "Bills entered so far" and latest["files"][0]["id"] == file["id"]
    listed = slack.files_list(channel=channel)["files"]
    assert file["id"] in [f["id"] for f in listed]
    assert [c["op"] for c in chat_world.changes()] == ["chat.file.reserve", "chat.file.upload", "chat.file.share"]
    found = slack.search_files(query="march bills")["files"]["matches"]
    assert [f["id"] for f in found][:1] == [file["id"]]


def test_channel_lifecycle_and_pins(slack, chat_world):
    created = slack.conversations_create(name="q2-budget")["channel"]
    assert created["name"] == "q2-budget" and created["is_member"]
    slack.conversations_setTopic(channel=created["id"], topic="Q2 budget drafts")
    assert slack.conversations_info(channel=created["id"])["channel"]["topic"]["value"] == "Q2 budget drafts"
    priya = slack.users_lookupByEmail(email="priya.nair@meridiansupply.com")["user"]["id"]
    slack.conversations_invite(channel=created["id"], users=priya)
    members = slack.conversations_members(channel=created["id"])["members"]
    assert priya in members and len(members) == 2
    ts = slack.chat_postMessage(channel="#q2-budget", text="Draft v1 is up")["ts"]
    slack.pins_add(channel=created["id"], timestamp=ts)
    assert [i["message"]["ts"] for i in slack.pins_list(channel=created["id"])["items"]] == [ts]
    link = slack.chat_getPermalink(channel=created["id"], message_ts=ts)["permalink"]
    assert requests.get(link).status_code == 200
    slack.conversations_leave(channel=created["id"])
    ops = [c["op"] for c in chat_world.changes()]
    assert ops == ["chat.channel.create", "chat.channel.topic", "chat.channel.invite", "chat.post", "chat.pin",
                   "chat.channel.leave"]
    ops_channel = _channel(slack, "operations")
    joined = slack.conversations_join(channel=ops_channel)
    assert joined["channel"]["is_member"]


@pytest.mark.parametrize("call, error", [
    (lambda s, ch: s.chat_postMessage(channel="C0NOPE00000", text="hi"), "channel_not_found"),
    (lambda s, ch: s.conversations_history(channel="C0NOPE00000"), "channel_not_found"),
    (lambda s, ch: s.chat_postMessage(channel=ch["operations"], text="hi"), "not_in_channel"),
    (lambda s, ch: s.chat_postMessage(channel=ch["finance"], text=""), "no_text"),
    (lambda s, ch: s.chat_postMessage(channel=ch["finance"], text="   "), "no_text"),
    (lambda s, ch: s.chat_postMessage(channel=ch["finance"], text="x" * 40_001), "msg_too_long"),
    (lambda s, ch: s.chat_postMessage(channel=ch["finance"], text="hi", thread_ts="1774000000.000001"), "thread_not_found"),
    (lambda s, ch: s.reactions_add(channel=ch["finance"], timestamp="1774000000.000001", name="eyes"), "message_not_found"),
    (lambda s, ch: s.conversations_create(name="Bad Name!"), "invalid_name_specials"),
    (lambda s, ch: s.conversations_create(name="finance"), "name_taken"),
    (lambda s, ch: s.conversations_leave(channel=ch["general"]), "cant_leave_general"),
    (lambda s, ch: s.users_lookupByEmail(email="nobody@example.com"), "users_not_found"),
    (lambda s, ch: s.conversations_list(cursor="not-a-cursor"), "invalid_cursor"),
    (lambda s, ch: s.search_messages(query="has:kittens"), "invalid_query"),
])
@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_errors_use_slack_codes_and_change_nothing(slack, chat_world, call, error):
    names = {c["name"]: c["id"] for page in slack.conversations_list(limit=100) for c in page["channels"]}
    before = chat_world.state()
    with pytest.raises(SlackApiError) as err:
        call(slack, names)
    assert err.value.response["ok"] is False and err.value.response["error"] == error
    assert chat_world.changes() == [] and chat_world.state() == before


def test_bad_tokens_and_others_messages(chat_world):
    with pytest.raises(SlackApiError) as err:
        WebClient(token="xoxp-nobody", base_url=chat_world.api_url).auth_test()
    assert err.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=chat_world.api_url).auth_test()
    assert err.value.response["error"] == "not_authed"
    dana = WebClient(token="xoxp-dana.whitfield", base_url=chat_world.api_url)
    finance = next(c["id"] for c in dana.conversations_list(limit=100)["channels"] if c["name"] == "finance")
    marcus_msg = next(m for m in dana.conversations_history(channel=finance, limit=50)["messages"]
                      if m["user"] == dana.users_lookupByEmail(email="marcus.reyes@meridiansupply.com")["user"]["id"])
    for call, code in ((lambda: dana.chat_update(channel=finance, ts=marcus_msg["ts"], text="x"), "cant_update_message"),
                       (lambda: dana.chat_delete(channel=finance, ts=marcus_msg["ts"]), "cant_delete_message")):
        with pytest.raises(SlackApiError) as err:
            call()
        assert err.value.response["error"] == code
    assert chat_world.changes() == []


def test_form_and_json_bodies_and_world_prefix(chat_world):
    headers = {"Authorization": "Bearer xoxp-dana.whitfield"}
    listed = requests.get(chat_world.api_url + "conversations.list", headers=headers, params={"limit": 100}).json()
    general = next(c["id"] for c in listed["channels"] if c["name"] == "general")
    form = requests.post(chat_world.api_url + "chat.postMessage", headers=headers,
                         data={"channel": general, "text": "form body"}).json()
    as_json = requests.post(chat_world.api_url + "chat.postMessage", headers=headers,
                            json={"channel": general, "text": "json body"}).json()
    with_token_param = requests.post(chat_world.api_url + "chat.postMessage",
                                     data={"channel": general, "text": "token param", "token": "xoxp-grace.kim"}).json()
    assert form["ok"] and as_json["ok"] and with_token_param["ok"]
    assert with_token_param["message"]["user"] != form["message"]["user"]
    assert requests.post(chat_world.api_url + "no.suchMethod", headers=headers).json() == {
        "ok": False, "error": "unknown_method", "response_metadata": {"messages": ["[ERROR] There is no API method 'no.suchMethod'."]}}
    spec = requests.get(chat_world.api_url + "openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/files.completeUploadExternal" in spec["paths"]
    assert "xoxp-" in spec["info"]["description"]


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_blocks_only_messages_store_their_text(slack):
    channel = _channel(slack, "finance")
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": "AP status"}},
              {"type": "divider"},
              {"type": "section", "text": {"type": "mrkdwn", "text": "*BL-20931* entered"},
               "fields": [{"type": "mrkdwn", "text": "$4,249.00"}]}]
    posted = slack.chat_postMessage(channel=channel, blocks=blocks, text="")
    assert posted["message"]["text"] == "AP status\n*BL-20931* entered $4,249.00"
    with pytest.raises(SlackApiError) as err:
        slack.chat_postMessage(channel=channel, blocks=[{"no": "type"}])
    assert err.value.response["error"] == "invalid_blocks"


def test_users_conversations_team_info_and_search_all(slack):
    mine = {c["name"] for page in slack.users_conversations(types="public_channel,private_channel", limit=3)
            for c in list(page["channels"])}
    assert mine == {"general", "finance", "ap-approvals", "sales", "random", "payroll-hr"}
    victor = slack.users_lookupByEmail(email="victor.okafor@meridiansupply.com")["user"]["id"]
    shared = {c["name"] for c in slack.users_conversations(user=victor, types="public_channel,private_channel")["channels"]}
    assert shared == {"general", "finance", "operations", "random"}
    assert slack.team_info()["team"]["name"] == "Meridian Supply Co."
    both = slack.search_all(query="checklist")
    assert both["files"]["matches"][0]["name"] == "march-close-checklist.md"
    assert any("Checklist attached" in m["text"] for m in both["messages"]["matches"])


def test_posting_to_a_person_opens_the_dm(slack, chat_world):
    raj = slack.users_lookupByEmail(email="raj.patel@meridiansupply.com")["user"]["id"]
    first = slack.chat_postMessage(channel=raj, text="Is dock B free at 3?")
    second = slack.chat_postMessage(channel="@raj.patel", text="Never mind, found a slot")
    assert first["channel"] == second["channel"] and first["channel"].startswith("D")
    ims = [c for c in slack.conversations_list(types="im", limit=100)["channels"] if c["user"] == raj]
    assert [c["id"] for c in ims] == [first["channel"]]
    assert [c["op"] for c in chat_world.changes()] == ["chat.dm.open", "chat.post", "chat.post"]


def test_concurrent_posts_get_unique_sequential_ids(chat_world):
    from concurrent.futures import ThreadPoolExecutor

    headers = {"Authorization": "Bearer xoxp-dana.whitfield"}
    channel = next(c["id"] for c in requests.get(chat_world.api_url + "conversations.list", headers=headers).json()["channels"]
                   if c["name"] == "random")

    def post(i):
        return requests.post(chat_world.api_url + "chat.postMessage", headers=headers,
                             data={"channel": channel, "text": f"parallel {i}"}).json()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(post, range(12)))
    assert all(r["ok"] for r in results)
    stamps = sorted(r["ts"] for r in results)
    assert len(set(stamps)) == 12
    seconds = [int(ts.split(".")[0]) for ts in stamps]
    assert [b - a for a, b in zip(seconds, seconds[1:])] == [5] * 11  # one clock step per operation
    assert [c["op"] for c in chat_world.changes()] == ["chat.post"] * 12
