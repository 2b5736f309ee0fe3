"""A GRPO-style group against a running `mockapps env-server`: 8 rollouts of one task at once, each in its own
world, their rewards and the group-relative advantages a GRPO trainer would weight them by. Nothing is trained:
the policy is a seeded stand-in for a model's sampled completions (it reads the channels, then posts in one of
them, sometimes the wrong one or with the wrong words), so the group's rewards differ as samples' do.

    mockapps env-server &            # http://127.0.0.1:8020
    python -m mock_apps.rollout.grpo_group --task announce-lunch-in-general --group 8
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests

DEFAULT_URL = "http://127.0.0.1:8020"


class RolloutClient:
    """The server's reset/step calls for one rollout."""

    def __init__(self, url: str, http: requests.Session | None = None):
        self.url = url.rstrip("/")
        self.http = http or requests.Session()
        self.episode_id: str | None = None

    def _post(self, path: str, body: dict) -> dict:
        response = self.http.post(f"{self.url}{path}", json=body, timeout=300)
        if response.status_code >= 400:
            raise RuntimeError(f"{path}: {response.status_code} {response.json().get('detail')}")
        return response.json()

    def reset(self, task: str, seed: int) -> dict:
        """Start the rollout."""
        result = self._post("/reset", {"task": task, "env": "tool", "seed": seed})
        self.episode_id = result["metadata"]["episode_id"]
        return result

    def step(self, name: str, **arguments) -> dict:
        """Call one tool."""
        return self._post("/step", {"episode_id": self.episode_id, "action": {"name": name, "arguments": arguments}})


def sampled_policy(client: RolloutClient, observation: dict, rng: random.Random) -> dict:
    """One sampled attempt at an announcement task: the channel and wording drawn as a model's samples vary."""
    goal = observation["goal"]
    listing = client.step("chat_conversations_list", body={"types": "public_channel"})
    channels = [c["name"] for c in listing["observation"]["last_result"]["body"].get("channels", [])]
    wanted = next((name for name in channels if f"#{name} " in goal), channels[0])
    channel = wanted if rng.random() < 0.6 else rng.choice(channels)
    quoted = goal.split('"')[1] if goal.count('"') >= 2 else goal
    words = quoted if rng.random() < 0.7 else quoted.replace(" ", "")
    client.step("chat_postMessage", body={"channel": channel, "text": f"Heads up, team: {words}."})
    return client.step("send_msg_to_user", text=f"Posted in #{channel}.")


def run_rollout(url: str, task: str, seed: int) -> dict:
    """One rollout from reset to its reward."""
    client = RolloutClient(url)
    started = time.perf_counter()
    reset = client.reset(task, seed)
    final = sampled_policy(client, reset["observation"], random.Random(seed))
    return {"seed": seed, "episode_id": client.episode_id, "world": reset["metadata"]["world"],
            "reward": final["reward"], "done": final["done"], "seconds": round(time.perf_counter() - started, 3)}


def run_group(url: str, task: str, size: int = 8, first_seed: int = 0) -> list[dict]:
    """A group of rollouts of one task, all at once, with each one's group-relative advantage."""
    with ThreadPoolExecutor(size) as pool:
        results = list(pool.map(lambda seed: run_rollout(url, task, seed), range(first_seed, first_seed + size)))
    rewards = [r["reward"] for r in results]
    mean, spread = statistics.fmean(rewards), statistics.pstdev(rewards)
    for result in results:  # GRPO's advantage: the reward against the group's, in the group's spread
        result["advantage"] = round((result["reward"] - mean) / spread, 3) if spread else 0.0
    return results


def main(argv: list[str] | None = None) -> int:
    """Run a group and print one line per rollout."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL, help=f"the env-server (default {DEFAULT_URL})")
    parser.add_argument("--task", default="announce-lunch-in-general", help="a task id")
    parser.add_argument("--group", type=int, default=8, help="rollouts in the group (default 8)")
    parser.add_argument("--seed", type=int, default=0, help="the first rollout's seed")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = run_group(args.url, args.task, args.group, args.seed)
    for r in results:
        print(f"seed {r['seed']}  reward {r['reward']:.3f}  advantage {r['advantage']:+.3f}  "
              f"{r['seconds']:.2f} s  world {r['world']}")
    rewards = [r["reward"] for r in results]
    print(f"group of {len(results)}: mean reward {statistics.fmean(rewards):.3f}, "
          f"{time.perf_counter() - started:.2f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
