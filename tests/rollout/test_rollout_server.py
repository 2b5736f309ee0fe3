"""The rollout server over real HTTP and WebSocket: OpenEnv's reset/step/state shape, a world per rollout, many
rollouts at once, 4xx for unknown or finished rollouts, and no world left behind by a client that goes away."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

TASK = "announce-lunch-in-general"  # a one-app (chat) task: post the lunch move in #general
GOOD_POST = {"name": "chat_postMessage", "arguments": {"body": {
    "channel": "general", "text": "Heads up: the quarter-end lunch moves to 1 pm."}}}
ANSWER = {"name": "send_msg_to_user", "arguments": {"text": "Posted in #general."}}


def _changes(server, world: str) -> list[dict]:
    return server.registry.changes(world)


def test_a_tool_rollout_reset_step_state_and_its_reward(rollout_server):
    reset = rollout_server.reset(TASK, seed=3)
    assert reset.status_code == 200
    body = reset.json()
    assert set(body) == {"observation", "reward", "done", "metadata"}  # OpenEnv's reset response
    assert body["reward"] is None and body["done"] is False
    episode, world = body["metadata"]["episode_id"], body["metadata"]["world"]
    assert "1 pm" in body["observation"]["goal"]
    assert "chat_postMessage" in {t["function"]["name"] for t in body["observation"]["tools"]}
    assert rollout_server.registry.exists(world)

    posted = rollout_server.step(episode, GOOD_POST).json()
    assert posted["done"] is False and posted["reward"] == 0.0
    assert posted["observation"]["last_result"]["body"]["ok"] is True
    assert "tools" not in posted["observation"]  # given once, at reset
    assert [c["op"] for c in _changes(rollout_server, world)] == ["chat.post"]
    state = rollout_server.state(episode).json()
    assert state["episode_id"] == episode and state["step_count"] == 1 and state["status"] == "running"

    final = rollout_server.step(episode, ANSWER).json()
    assert final["done"] is True and final["reward"] == 1.0 and final["metadata"]["terminated"] is True
    assert final["metadata"]["info"]["passed"] is True
    assert not rollout_server.registry.exists(world)  # the rollout's world is gone with it
    state = rollout_server.state(episode).json()
    assert state["done"] is True and state["reward"] == 1.0 and state["status"] == "done"


def test_unknown_finished_and_malformed_requests_are_4xx_and_change_nothing(rollout_server):
    assert rollout_server.step("no-such-episode", ANSWER).status_code == 404
    assert rollout_server.state("no-such-episode").json()["code"] == "unknown_episode"
    unknown_task = rollout_server.reset("announce-lunch-in-genral")
    assert unknown_task.status_code == 404 and "did you mean 'announce-lunch-in-general'" in unknown_task.json()["detail"]
    assert rollout_server.reset(TASK, env="desktop").status_code == 422
    assert requests.post(f"{rollout_server.url}/reset", data="not json", timeout=30).status_code == 422

    body = rollout_server.reset(TASK, episode_id="mine-1").json()
    world = body["metadata"]["world"]
    assert body["metadata"]["episode_id"] == "mine-1"
    assert rollout_server.reset(TASK, episode_id="mine-1").status_code == 409  # taken
    bad = rollout_server.step("mine-1", {"tool": "chat_postMessage"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_action"
    unknown_tool = rollout_server.step("mine-1", {"name": "chat_postMesage", "arguments": {}}).json()
    assert unknown_tool["observation"]["last_result"]["status"] == 400  # the agent's mistake is an observation
    assert "did you mean" in unknown_tool["observation"]["last_action_error"]
    assert _changes(rollout_server, world) == []
    assert rollout_server.state("mine-1").json()["step_count"] == 1  # the 422 was no step

    closed = requests.post(f"{rollout_server.url}/close", json={"episode_id": "mine-1"}, timeout=30)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert not rollout_server.registry.exists(world)
    assert rollout_server.step("mine-1", ANSWER).status_code == 409  # finished
    assert requests.post(f"{rollout_server.url}/close", json={"episode_id": "mine-1"}, timeout=30).status_code == 409


def test_many_rollouts_at_once_each_in_its_own_world(rollout_server):
    def rollout(i: int) -> tuple[str, float, list[str]]:
        body = rollout_server.reset(TASK).json()
        episode, world = body["metadata"]["episode_id"], body["metadata"]["world"]
        text = f"Heads up: the quarter-end lunch moves to 1 pm. ({i})"
        rollout_server.step(episode, {"name": "chat_postMessage", "arguments": {"body": {
            "channel": "general", "text": text}}})
        posted = [row["after"]["text"] for c in _changes(rollout_server, world) for row in c["changes"]
                  if row["table"] == "chat_message"]
        final = rollout_server.step(episode, ANSWER).json()
        return world, final["reward"], posted

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(rollout, range(6)))
    worlds = [world for world, _, _ in results]
    assert len(set(worlds)) == 6
    assert all(reward == 1.0 for _, reward, _ in results)
    for i, (_, _, posted) in enumerate(results):  # each world saw its own rollout's post, and only it
        assert posted == [f"Heads up: the quarter-end lunch moves to 1 pm. ({i})"]
    assert rollout_server.rollouts.counts()["live"]["tool"] == 0


def test_capacity_is_a_503_until_a_rollout_ends(server_with):
    with server_with(max_rollouts=1, idle_timeout=60) as server:
        first = server.reset(TASK).json()["metadata"]["episode_id"]
        refused = server.reset(TASK)
        assert refused.status_code == 503 and refused.json()["code"] == "capacity_reached"
        server.step(first, ANSWER)
        assert server.reset(TASK).status_code == 200


def test_a_client_that_goes_away_leaves_no_world_after_the_idle_timeout(server_with):
    import time

    with server_with(idle_timeout=0.5, reap_every=0.1) as server:
        body = server.reset(TASK).json()
        episode, world = body["metadata"]["episode_id"], body["metadata"]["world"]
        server.step(episode, GOOD_POST)
        deadline = time.monotonic() + 10
        while server.registry.exists(world) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not server.registry.exists(world)
        assert server.state(episode).json()["status"] == "timed_out"
        assert server.step(episode, ANSWER).status_code == 409


def test_websocket_session_and_a_disconnect_mid_episode(rollout_server):
    from websockets.sync.client import connect

    ws_url = rollout_server.url.replace("http://", "ws://") + "/ws"
    with connect(ws_url) as ws:
        ws.send(json.dumps({"type": "reset", "data": {"task": TASK}}))
        reset = json.loads(ws.recv())
        assert reset["type"] == "observation" and reset["data"]["done"] is False
        world = reset["data"]["metadata"]["world"]
        ws.send(json.dumps({"type": "step", "data": GOOD_POST}))
        assert json.loads(ws.recv())["data"]["observation"]["last_result"]["body"]["ok"] is True
        ws.send(json.dumps({"type": "state"}))
        state = json.loads(ws.recv())
        assert state["type"] == "state" and state["data"]["step_count"] == 1
        ws.send(json.dumps({"type": "step", "data": {"bogus": 1}}))
        error = json.loads(ws.recv())
        assert error["type"] == "error" and error["data"]["code"] == "invalid_action"
        ws.send(json.dumps({"type": "fly"}))
        assert json.loads(ws.recv())["data"]["code"] == "UNKNOWN_TYPE"
        assert rollout_server.registry.exists(world)
    # the client went away mid-episode: the session's rollout ends and its world goes at once
    import time

    deadline = time.monotonic() + 10
    while rollout_server.registry.exists(world) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not rollout_server.registry.exists(world)


@pytest.mark.slow
def test_a_browser_rollout(rollout_server):
    body = rollout_server.reset(TASK, env="browser").json()
    assert body["metadata"]["env"] == "browser", body
    episode, world = body["metadata"]["episode_id"], body["metadata"]["world"]
    observation = body["observation"]
    assert "1 pm" in observation["goal"] and observation["axtree"]
    wrong = rollout_server.step(episode, {"name": "chat_postMessage"})
    assert wrong.status_code == 422  # a tool call is not a browser action
    final = rollout_server.step(episode, {"action": 'send_msg_to_user("I did nothing.")'}).json()
    assert final["done"] is True and final["reward"] < 1.0
    assert not rollout_server.registry.exists(world)
    again = rollout_server.reset(TASK, env="browser").json()  # the browser is kept for the next rollout
    assert again["metadata"]["world"] != world or rollout_server.registry.exists(again["metadata"]["world"])
    rollout_server.step(again["metadata"]["episode_id"], {"action": 'send_msg_to_user("done")'})


def test_the_documented_grpo_group_runs_eight_rollouts_at_once(rollout_server):
    from mock_apps.rollout.grpo_group import run_group

    results = run_group(rollout_server.url, TASK, size=8)
    assert len(results) == 8 and len({r["world"] for r in results}) == 8
    assert all(r["done"] and 0.0 <= r["reward"] <= 1.0 for r in results)
    rewards = [r["reward"] for r in results]
    assert max(rewards) == 1.0 and min(rewards) < 1.0  # the seeded samples differ, as a model's would
    assert abs(sum(r["advantage"] for r in results)) < 0.01  # relative to the group (rounded to 3 places)
    assert not any(rollout_server.registry.exists(r["world"]) for r in results)
