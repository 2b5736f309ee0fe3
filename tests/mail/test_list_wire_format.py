"""Gmail's list endpoints answer as Google's reference documents them, read through the official client: an
empty list is only `resultSizeEstimate: 0` (no empty array), the last page has no `nextPageToken` (so the
client's `list_next` stops), and list items are ids only (drafts: an id and a message reference)."""

from __future__ import annotations


def test_empty_lists_have_only_the_estimate(gmail):
    users = gmail.users()
    assert users.messages().list(userId="me", q="zzqqxx-nothing-matches").execute() == {"resultSizeEstimate": 0}
    assert users.threads().list(userId="me", q="zzqqxx-nothing-matches").execute() == {"resultSizeEstimate": 0}


def test_paging_ends_where_the_client_stops(gmail):
    messages = gmail.users().messages()
    request = messages.list(userId="me", q="has:attachment", maxResults=40)
    seen, pages = [], 0
    while request is not None:
        response = request.execute()
        pages += 1
        seen += [m["id"] for m in response.get("messages", [])]
        assert all(set(m) == {"id", "threadId"} for m in response.get("messages", []))
        request = messages.list_next(request, response)
    assert pages >= 2 and len(seen) == len(set(seen)) == response["resultSizeEstimate"]
    assert "nextPageToken" not in response


def test_thread_and_draft_items_are_references(gmail):
    threads = gmail.users().threads().list(userId="me", maxResults=5).execute()["threads"]
    assert all(set(t) == {"id", "snippet", "historyId"} for t in threads)
    drafts = gmail.users().drafts().list(userId="me").execute()
    assert drafts["drafts"] and all(set(d) == {"id", "message"} and set(d["message"]) == {"id", "threadId"}
                                    for d in drafts["drafts"])
