"""`mockapps eval`: episodes in parallel workers with isolated worlds, every episode a viewable trajectory,
summary.json and a table, crashed episodes retried once and reported, bad input refused in one line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mock_apps.cli import main
from mock_apps.evaluation.harness import EvalConfig, pass_hat_k, summarize, table
from trajectories.store import load

HERE = Path(__file__).resolve().parent
MOCKAPPS = [sys.executable, "-m", "mock_apps.cli"]
ANNOUNCE = ["announce-lunch-in-general", "announce-close-start-in-finance"]


def eval_run(sandbox, out: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """`mockapps eval` in a subprocess on the session's data directory (its templates are built already)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([*MOCKAPPS, "--data", str(sandbox.settings.data_dir), "eval", "--out", str(out), *args],
                          capture_output=True, text=True, timeout=timeout, env=env)


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())


REPLAYED = ["announce-lunch-in-general", "enter-bill-brightline-bl-20931"]


@pytest.fixture(scope="module")
def local_replay(sandbox, tmp_path_factory):
    """The replay agent on two golden tasks with two local workers (run once; two tests read it)."""
    out = tmp_path_factory.mktemp("eval") / "local"
    done = eval_run(sandbox, out, "--tasks", *REPLAYED, "--agent", "replay", "--workers", "2")
    assert done.returncode == 0, done.stderr
    return out, done


@pytest.mark.slow
def test_replay_agent_on_two_tasks_with_two_workers(local_replay):
    out, done = local_replay
    summary = _summary(out)
    assert summary["success_rate"] == 1.0 and summary["mean_score"] == 1.0 and summary["crashed"] == 0
    assert summary["workers"] == 2 and summary["episodes"] == 2
    for task in REPLAYED:
        figures = summary["tasks"][task]
        assert figures["success_rate"] == 1.0 and figures["pass^k"] == {"1": 1.0} and figures["mean_steps"] >= 3
        meta, steps = load(out / task / "1")  # a trajectory like any recording: the viewer and replay read it
        assert meta.task == task and meta.outcome == "passed" and meta.trainer == "replay" and steps
    workers = {r["worker"] for r in summary["results"]}
    assert workers == {0, 1}  # both episodes ran at once, one per worker
    lines = done.stdout.splitlines()
    assert any(line.startswith("[1/2] ") for line in lines) and any(line.startswith("[2/2] ") for line in lines)
    assert any(line.startswith("overall") and "100%" in line for line in lines)


@pytest.mark.slow
def test_ray_backend_gives_the_local_backends_results(sandbox, local_replay, tmp_path):
    """Each Ray actor owns its sandbox and browser; the same episodes score the same as in the process pool."""
    pytest.importorskip("ray")
    out = tmp_path / "ray"
    done = eval_run(sandbox, out, "--tasks", *REPLAYED, "--agent", "replay", "--workers", "2", "--backend", "ray",
                    timeout=900)
    assert done.returncode == 0, done.stderr
    outcomes = {}
    for backend, folder in (("local", local_replay[0]), ("ray", out)):
        summary = _summary(folder)
        assert summary["backend"] == backend and summary["success_rate"] == 1.0
        outcomes[backend] = [{k: r[k] for k in ("task", "number", "status", "score", "steps", "checks", "collateral")}
                             for r in summary["results"]]
    assert outcomes["ray"] == outcomes["local"]
    for task in REPLAYED:
        assert load(out / task / "1")[0].outcome == "passed"


def test_api_episodes_in_parallel_with_pass_k_and_a_crashing_task(sandbox, tmp_path):
    """Two workers, two tasks, two episodes each: one task passes every time, the agent crashes on the other
    every time (each crash is retried once, then reported, never dropped)."""
    out = tmp_path / "api"
    lunch, close = ANNOUNCE
    done = eval_run(sandbox, out, "--tasks", ",".join(ANNOUNCE), "--agent", "harness_agents:CrashingAgent",
                    "--agent-option", f"tasks={close}", "--env", "api", "--episodes", "2", "--workers", "2")
    assert done.returncode == 0, done.stderr  # the run completed; the agent crashed
    summary = _summary(out)
    assert summary["episodes"] == 4 and summary["success_rate"] == 0.5 and summary["crashed"] == 2
    assert summary["tasks"][lunch]["pass^k"] == {"1": 1.0, "2": 1.0} and summary["tasks"][lunch]["success_rate"] == 1
    assert summary["tasks"][close]["pass^k"] == {"1": 0.0, "2": 0.0} and summary["tasks"][close]["crashed"] == 2
    assert summary["pass^k"] == {"1": 0.5, "2": 0.5}
    assert {r["worker"] for r in summary["results"] if r["task"] == lunch} <= {0, 1}
    for n in (1, 2):
        meta, _ = load(out / lunch / str(n))  # each episode in its own world, recorded with its calls
        assert meta.outcome == "passed" and meta.trainer == "harness_agents:CrashingAgent"
        assert (out / lunch / str(n) / "calls.jsonl").read_text().count("chat_postMessage") == 1
        crashed = next(r for r in summary["results"] if r["task"] == close and r["number"] == n)
        assert crashed["status"] == "crashed" and crashed["attempts"] == 2
        assert f"RuntimeError: agent exploded on {close}" in crashed["error"]
        assert (out / close / f"{n}.attempt1" / "trajectory.json").exists()  # the first attempt, kept to debug
    assert done.stdout.count("; retrying") == 2 and done.stdout.count("CRASHED after 2 attempts") == 2
    assert f"crashed: {close}/1: RuntimeError" in done.stdout and "pass^2" in done.stdout


def test_a_dying_worker_process_is_replaced_and_the_episode_retried(sandbox, tmp_path):
    """The agent kills its worker process on each task's first episode. The episode that was running is charged
    one attempt; the one queued behind it in the broken pool is not (it runs later, dies once itself, and
    passes on its retry)."""
    out = tmp_path / "die"
    done = eval_run(sandbox, out, "--tasks", ",".join(ANNOUNCE), "--agent", "harness_agents:CrashingAgent",
                    "--agent-option", "when=once", "--agent-option", "how=die",
                    "--agent-option", f"markers={tmp_path / 'markers'}", "--env", "api", "--workers", "1")
    assert done.returncode == 0, done.stderr
    summary = _summary(out)
    assert summary["success_rate"] == 1.0 and summary["crashed"] == 0 and summary["retried"] == 2, summary["results"]
    assert all(r["status"] == "passed" and r["attempts"] == 2 for r in summary["results"])
    assert done.stdout.count("its worker process died") == 2


@pytest.mark.parametrize("args, message", [
    (["--tasks", "announce-lunch"], "unknown task 'announce-lunch'; did you mean"),
    (["--tasks", "all", "--agent", "replya"], "unknown agent 'replya'; did you mean 'replay'?"),
    (["--workers", "0"], "--workers must be at least 1 (got 0)"),
    (["--episodes", "0"], "--episodes must be at least 1 (got 0)"),
    (["--agent-option", "model"], "--agent-option 'model' must be KEY=VALUE"),
    (["--agent", "openai", "--agent-option", "model="], "the openai agent needs a model"),
    (["--agent", "replay", "--env", "browser", "--agent-option", "trajectory_dir=/nonexistent/{task}"],
     "/nonexistent/announce-lunch"),
    (["--base-port", "80"], "--base-port 80 leaves no room"),
    (["--base-port", "{taken}"], "is already in use"),
    (["--agent", "replay"], "the replay agent acts in the browser's action language; use --env browser"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.delenv("MOCKAPPS_MODEL", raising=False)
    out = tmp_path / "never"
    defaults = {"--tasks": ["announce-lunch-in-general"], "--agent": ["harness_agents:AnnounceAgent"]}
    argv = ["eval", "--out", str(out), "--env", "api", *args]
    for flag, value in defaults.items():
        if flag not in args:
            argv += [flag, *value]
    monkeypatch.syspath_prepend(str(HERE))
    with socket.socket() as taken:  # a port some other program holds
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        # the base port is the portal's; take the port of worker 0's mail app (base + 1)
        argv = [a.replace("{taken}", str(taken.getsockname()[1] - 1)) for a in argv]
        assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("mockapps: error: ") and message in err, err
    assert not out.exists()  # nothing was written


def test_unwritable_or_used_out_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(HERE))
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    used = tmp_path / "used"
    used.mkdir()
    (used / "summary.json").write_text("{}")
    for out, message in ((blocker / "run", "is not writable"), (blocker, "is a file"), (used, "is not empty")):
        assert main(["eval", "--tasks", "announce-lunch-in-general", "--agent", "harness_agents:AnnounceAgent",
                     "--env", "api", "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and message in err, err
    assert (used / "summary.json").read_text() == "{}"


def test_pass_hat_k_and_summary():
    assert pass_hat_k(3, 3, 3) == 1.0 and pass_hat_k(2, 3, 3) == 0.0
    assert pass_hat_k(2, 4, 2) == pytest.approx(1 / 6) and pass_hat_k(4, 4, 1) == 1.0
    config = EvalConfig(tasks=["a", "b"], agent="x", out=Path("/tmp"), episodes=2)

    def result(task, number, status, score, collateral=()):
        return {"task": task, "number": number, "status": status, "score": score, "steps": 4, "seconds": 2.0,
                "collateral": list(collateral), "checks": [], "trajectory": None, "attempts": 1 + (status == "crashed"),
                "worker": 0, "error": "boom" if status == "crashed" else None, "truncated": False}

    results = [result("a", 1, "passed", 1.0), result("a", 2, "failed", 0.5, ["only: chat.delete"]),
               result("b", 1, "passed", 1.0), result("b", 2, "crashed", 0.0)]
    summary = summarize(results, config, 60.0, 2)
    assert summary["success_rate"] == 0.5 and summary["mean_score"] == 0.625 and summary["crashed"] == 1
    assert summary["tasks"]["a"]["pass^k"] == {"1": 0.5, "2": 0.0} and summary["collateral_violations"] == 1
    assert summary["tasks"]["b"]["mean_steps"] == 4.0  # crashed episodes do not count in steps and time
    assert summary["pass^k"]["1"] == 0.5 and summary["episodes_per_minute"] == 4.0
    text = table(summary)
    assert "overall" in text and "crashed: b/2: boom" in text and "pass^2" in text


def test_episodes_are_queued_longest_task_first():
    from mock_apps.evaluation.harness import Episode, longest_first

    short, long_ = "announce-lunch-in-general", "enter-corrected-clearwater-bill"  # 5 and 30-odd golden steps
    episodes = [Episode(short, 1), Episode(long_, 1), Episode("no-golden-task", 1), Episode(short, 2),
                Episode(long_, 2)]
    assert [(e.task, e.number) for e in longest_first(episodes)] == \
           [(long_, 1), (long_, 2), (short, 1), (short, 2), ("no-golden-task", 1)]
