"""The evaluation harness: many episodes of an agent on tasks, in parallel, each in its own fresh world.

Each worker (a process of a local pool, or a Ray actor) owns one Sandbox (the apps on its own ports over
the shared data directory) and the environment's browser, and runs one episode at a time. Every episode is
recorded as a trajectory in OUT/<task>/<episode>/; a crashed episode is retried once, then reported as crashed.
The results (success rate, partial credit, pass^k, steps, time, collateral damage, per task and overall) go to
OUT/summary.json and a readable table."""

from __future__ import annotations

import json
import math
import os
import time
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import Settings

ENVS = ("browser", "api")
BACKENDS = ("local", "ray")
PORTS_PER_WORKER = 10  # worker i serves on base-port + 10*i (portal, then the apps)
MAX_ATTEMPTS = 2  # a crashed episode is tried once more
BROWSER_ONLY_AGENTS = ("replay", "random")  # they speak the action language, not tool calls
# an episode's actions before it is cut off: room for the longest golden demonstration (68 recorded steps) and
# an agent that takes a few more than the person did
DEFAULT_MAX_STEPS = 100


class EvalError(MockAppsError):
    """The evaluation was asked for something it cannot do (unknown task or agent, bad counts, bad --out)."""

    code = "bad_eval"


@dataclass
class EvalConfig:
    """What to run: tasks x episodes of one agent, on how many workers of which backend, written where."""

    tasks: list[str]
    agent: str
    out: Path
    episodes: int = 1
    workers: int = 1
    backend: str = "local"
    env: str = "browser"
    base_port: int | None = None
    agent_options: dict[str, str] = field(default_factory=dict)
    max_steps: int = DEFAULT_MAX_STEPS
    data_dir: Path | None = None  # default: the sandbox's (MOCKAPPS_DATA or ./.mockapps)
    headless: bool = True


@dataclass
class Episode:
    """One episode to run: a task, its number, and which attempt this is."""

    task: str
    number: int
    attempt: int = 1

    @property
    def key(self) -> str:
        return f"{self.task}/{self.number}"


@dataclass
class EpisodeResult:
    """What one episode gave: its outcome (passed, failed or crashed) and its measurements."""

    task: str
    number: int
    status: str  # passed | failed | crashed
    score: float = 0.0
    steps: int = 0
    seconds: float = 0.0
    collateral: list[str] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    trajectory: str | None = None
    attempts: int = 1
    worker: int | None = None
    error: str | None = None
    truncated: bool = False


def validate(config: EvalConfig) -> EvalConfig:
    """Check everything the run needs before any worker starts; raise EvalError (or the task or agent error)
    with one precise message. Returns the config with `all` expanded and the output directory ready."""
    from mock_apps.evaluation.agents import load_agent
    from mock_apps.tasks import all_tasks, get_task

    if config.episodes < 1:
        raise EvalError(f"--episodes must be at least 1 (got {config.episodes})")
    if config.workers < 1:
        raise EvalError(f"--workers must be at least 1 (got {config.workers})")
    if config.max_steps < 1:
        raise EvalError(f"--max-steps must be at least 1 (got {config.max_steps})")
    if config.env not in ENVS:
        raise EvalError(f"unknown --env {config.env!r}; choose {' or '.join(ENVS)}")
    if config.env == "api" and config.agent in BROWSER_ONLY_AGENTS:
        raise EvalError(f"the {config.agent} agent acts in the browser's action language; use --env browser")
    if config.backend not in BACKENDS:
        raise EvalError(f"unknown --backend {config.backend!r}; choose {' or '.join(BACKENDS)}")
    if config.base_port is not None and not 1024 <= config.base_port <= 65535 - PORTS_PER_WORKER * config.workers:
        raise EvalError(f"--base-port {config.base_port} leaves no room for {config.workers} worker(s) of "
                        f"{PORTS_PER_WORKER} ports each; use 1024..{65535 - PORTS_PER_WORKER * config.workers}")
    if config.base_port is not None:
        _check_ports(config)
    if config.tasks == ["all"] or not config.tasks:
        tasks = [t.id for t in all_tasks()]
    else:
        tasks = [get_task(t).id for t in config.tasks]  # an unknown task raises, with the closest ids
    tasks = list(dict.fromkeys(tasks))
    if config.backend == "ray":
        try:
            import ray  # noqa: F401
        except ImportError:
            raise EvalError("--backend ray needs Ray: pip install 'mockapps[eval]'") from None
    if config.env == "browser":
        try:
            import mock_apps.evaluation.env  # noqa: F401
        except ImportError as error:
            raise EvalError(f"the browser environment cannot be loaded ({error}); pip install 'mockapps[eval]'") \
                from None
    for task in tasks if _per_task(config) else tasks[:1]:
        # an unknown agent, bad options or a missing trajectory fail here, not in a worker
        load_agent(config.agent, **agent_options(config, task))
    out = _prepare_out(config.out)
    return replace(config, tasks=tasks, out=out)


def _check_ports(config: EvalConfig) -> None:
    """Every port the workers will serve on is free now (else a PortInUse naming it)."""
    from mock_apps.core.server import SERVED, check_port_free
    from mock_apps.core.settings import PORT_OFFSETS

    host = Settings().host
    for worker in range(config.workers):
        for name in SERVED:
            check_port_free(host, config.base_port + PORTS_PER_WORKER * worker + PORT_OFFSETS[name])


def _per_task(config: EvalConfig) -> bool:
    return config.agent == "replay" or any("{task}" in str(v) for v in config.agent_options.values())


def agent_options(config: EvalConfig, task_id: str) -> dict:
    """The agent's options for a task's episodes: "{task}" in a value becomes the task id, and the replay
    agent plays the task's golden trajectory unless given another."""
    options = {k: v.replace("{task}", task_id) if isinstance(v, str) else v for k, v in config.agent_options.items()}
    if config.agent == "replay" and "trajectory_dir" not in options:
        from mock_apps.tasks.demos import GOLDEN

        golden = GOLDEN / task_id
        if not (golden / "trajectory.json").exists():
            raise EvalError(f"task {task_id!r} has no golden trajectory to replay; pass "
                            "--agent-option trajectory_dir=DIR (\"{task}\" stands for the task id)")
        options["trajectory_dir"] = str(golden)
    return options


def _prepare_out(out: Path) -> Path:
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise EvalError(f"--out {out} is a file; give a directory")
    if out.is_dir() and any(out.iterdir()):
        raise EvalError(f"--out {out} is not empty; give a new or empty directory (results are never mixed)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise EvalError(f"--out {out} is not writable: {error.strerror or error}") from None
    return out


# ---- the worker: one sandbox, one environment at a time, episodes one after another ----------------------------

class EpisodeWorker:
    """Runs episodes in its own sandbox. Made once per worker process (local) or Ray actor."""

    def __init__(self, config: EvalConfig, index: int):
        from mock_apps.core.server import Sandbox

        self.config = config
        self.index = index
        settings = replace(Settings(), control_token=None)
        if config.data_dir is not None:
            settings = replace(settings, data_dir=Path(config.data_dir))
        ephemeral = config.base_port is None
        if not ephemeral:
            settings = replace(settings, base_port=config.base_port + PORTS_PER_WORKER * index)
        self.sandbox = Sandbox(settings, ephemeral=ephemeral).start()
        self._env = None
        self._playwright = self._browser = None  # started on the first browser episode, kept for all of them

    def run(self, episode: Episode) -> dict:
        """Run one episode to its end; a crash in the agent or the environment becomes a crashed result."""
        started = time.perf_counter()
        folder = self.config.out / episode.task / str(episode.number)
        result = EpisodeResult(episode.task, episode.number, "crashed", attempts=episode.attempt, worker=self.index,
                               trajectory=str(folder))
        try:
            self._run(episode, folder, result)
        except BaseException as error:  # noqa: BLE001 - whatever the agent or env raised is the crash's reason
            if isinstance(error, KeyboardInterrupt):
                raise
            result.status = "crashed"
            result.error = _describe(error)
            self._drop_env()  # its state is unknown: the next episode gets a new one
        result.seconds = round(time.perf_counter() - started, 3)
        return asdict(result)

    def _run(self, episode: Episode, folder: Path, result: EpisodeResult) -> None:
        from mock_apps.evaluation.agents import load_agent
        from mock_apps.tasks import get_task

        if folder.exists():  # an earlier attempt's partial trajectory is kept beside, for debugging
            folder.rename(folder.with_name(f"{folder.name}.attempt{episode.attempt - 1}"))
        folder.parent.mkdir(parents=True, exist_ok=True)
        agent = load_agent(self.config.agent, **agent_options(self.config, episode.task))
        env = self._environment(episode.task)
        observation, _ = env.reset(options={"record_dir": str(folder), "agent": self.config.agent,
                                            "task": episode.task})
        agent.reset(get_task(episode.task))
        info: dict = {}
        terminated = truncated = False
        while not (terminated or truncated):
            action = agent.act(observation)
            observation, reward, terminated, truncated, info = env.step(action)
            result.steps += 1
        result.score = float(info.get("score", 0.0))
        result.status = "passed" if info.get("passed") else "failed"
        result.collateral = [_violation(c) for c in info.get("collateral") or []]
        result.checks = list(info.get("checks") or [])
        result.truncated = bool(truncated)

    def _environment(self, task_id: str):
        """The worker's environment, kept for every episode: its reset takes the episode's task and gives a fresh
        world (in the same browser context, for the browser environment)."""
        if self._env is not None:
            return self._env
        self._drop_env()
        if self.config.env == "api":
            from mock_apps.evaluation.tool_env import ToolEnv

            env = ToolEnv(task_id, self.sandbox, max_steps=self.config.max_steps, agent_name=self.config.agent)
        else:
            from mock_apps.evaluation.env import MockAppsEnv

            env = MockAppsEnv(task_id, sandbox=self.sandbox, browser=self._chromium(), headless=self.config.headless,
                              max_steps=self.config.max_steps)
        self._env = env
        return env

    def _chromium(self):
        """The worker's one browser (each episode gets its own context in it)."""
        if self._browser is None or not self._browser.is_connected():
            from playwright.sync_api import sync_playwright

            from mock_apps.core import browser

            if self._playwright is None:
                self._playwright = sync_playwright().start()
            self._browser = browser.launch(self._playwright, headless=self.config.headless)
        return self._browser

    def _drop_env(self) -> None:
        if self._env is not None:
            try:
                self._env.close()
            except Exception:  # noqa: BLE001 - a broken env must not take the worker down with it
                pass
        self._env = None

    def close(self) -> None:
        """Close the environment and the browser, and stop the sandbox."""
        self._drop_env()
        for stop in (lambda: self._browser and self._browser.close(), lambda: self._playwright and self._playwright.stop()):
            try:
                stop()
            except Exception:  # noqa: BLE001 - already gone
                pass
        self._browser = self._playwright = None
        self.sandbox.stop()


def _violation(check: dict) -> str:
    """A collateral-damage violation (a failed must-not checkpoint) as one line."""
    return f"{check.get('name')}: {check.get('reason')}"


def _describe(error: BaseException) -> str:
    """A crash in one line plus where it happened (the innermost frame)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    message = getattr(error, "message", None) or str(error)
    return f"{type(error).__name__}: {message}"[:500] + where


# ---- backends -------------------------------------------------------------------------------------------------

_worker: EpisodeWorker | None = None
_began = None  # the pool's pipe of episodes a worker began: (key, attempt, worker index)


def _init_local_worker(config: EvalConfig, indices, began) -> None:
    global _worker, _began
    import atexit

    from mock_apps.core.server import settle_heap

    _began = began
    _worker = EpisodeWorker(config, indices.get())
    atexit.register(_worker.close)
    settle_heap()  # the worker serves its apps until the run ends: its start-up objects need no more collecting


def _run_local(episode: Episode) -> dict:
    _began.put((episode.key, episode.attempt, _worker.index))  # written to the pipe before the episode begins
    return _worker.run(episode)


class LocalBackend:
    """A pool of worker processes. When a worker process dies the pool fails every episode it held: those a
    worker had begun count as a crashed attempt, those still queued run again as they were; a new pool carries
    on. A pool that breaks twice before any episode begins (its workers cannot start) stops the run."""

    MAX_BARREN_BREAKS = 2

    def __init__(self, config: EvalConfig, workers: int):
        import multiprocessing

        self.config = config
        self.workers = workers
        self.context = multiprocessing.get_context("spawn")  # no inherited threads or Playwright state
        # plain pipes, not a Manager: a manager is one more process to spawn before the first worker can start
        self.began = self.context.SimpleQueue()
        self.started: dict = {}  # (key, attempt) -> worker index, read from `began`
        self.barren_breaks = 0
        self._start()

    def _start(self) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.indices = self.context.SimpleQueue()
        for i in range(self.workers):
            self.indices.put(i)
        self.pool = ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=_init_local_worker,
                                        initargs=(self.config, self.indices, self.began))
        self.generation = getattr(self, "generation", 0) + 1
        self.generation_started = len(self._read_began())

    def _read_began(self) -> dict:
        """Every episode a worker has begun so far."""
        while not self.began.empty():
            key, attempt, worker = self.began.get()
            self.started[(key, attempt)] = worker
        return self.started

    def _restart(self) -> None:
        if len(self._read_began()) == self.generation_started:
            self.barren_breaks += 1
            if self.barren_breaks >= self.MAX_BARREN_BREAKS:
                raise EvalError("the worker processes die before they run anything: their sandbox or browser "
                                "cannot start (see the messages above)")
        else:
            self.barren_breaks = 0
        # wait: the dead pool's other workers must free their ports before new ones bind them (--base-port)
        self.pool.shutdown(wait=True, cancel_futures=True)
        self._start()

    def run(self, episodes: list[Episode], done: Callable[[Episode, dict], list[Episode]]) -> None:
        """Run episodes; `done(episode, result)` returns episodes to run next (retries)."""
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        pending: dict = {}
        for episode in episodes:
            pending[self._submit(episode)] = (episode, self.generation)
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            self._read_began()  # drained as results come, so a worker never finds the pipe full
            for future in sorted(finished, key=lambda f: pending[f][0].key):
                episode, generation = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    if generation == self.generation:
                        self._restart()
                    if (episode.key, episode.attempt) not in self._read_began():
                        pending[self._submit(episode)] = (episode, self.generation)  # it never began
                        continue
                    result = _crashed(episode, "its worker process died (killed, or crashed outside Python), or "
                                               "another worker of the pool did while it ran")
                except Exception as error:  # noqa: BLE001 - e.g. the worker's sandbox could not start
                    result = _crashed(episode, _describe(error))
                for retry in done(episode, result):
                    pending[self._submit(retry)] = (retry, self.generation)

    def _submit(self, episode: Episode):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(_run_local, episode)
        except (BrokenProcessPool, RuntimeError):
            self._restart()
            return self.pool.submit(_run_local, episode)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class RayBackend:
    """The same worker as Ray actors (one sandbox and browser each), on a running cluster or a local Ray."""

    def __init__(self, config: EvalConfig, workers: int):
        import ray

        self.ray = ray
        if not ray.is_initialized():
            # RAY_ADDRESS (a cluster) is honoured by ray.init; else a local instance just for this run
            ray.init(num_cpus=None if os.environ.get("RAY_ADDRESS") else workers,
                     include_dashboard=False, log_to_driver=False, configure_logging=False)
            self._owns_ray = True
        else:
            self._owns_ray = False
        self.config = config
        self.actor_class = ray.remote(num_cpus=1, max_restarts=0)(EpisodeWorker)  # a dead actor is replaced below
        self.actors = [self.actor_class.remote(config, i) for i in range(workers)]

    def run(self, episodes: list[Episode], done: Callable[[Episode, dict], list[Episode]]) -> None:
        """Keep every actor busy with one episode; a dead actor's episode counts as a crashed attempt."""
        queue = list(episodes)
        running: dict = {}
        idle = list(range(len(self.actors)))
        while queue or running:
            while queue and idle:
                slot, episode = idle.pop(0), queue.pop(0)
                running[self.actors[slot].run.remote(episode)] = (slot, episode)
            ready, _ = self.ray.wait(list(running), num_returns=1)
            slot, episode = running.pop(ready[0])
            try:
                result = self.ray.get(ready[0])
            except Exception as error:  # noqa: BLE001 - RayActorError, worker crash ...
                result = _crashed(episode, f"the Ray worker failed: {type(error).__name__}")
                self.actors[slot] = self.actor_class.remote(self.config, slot)
            idle.append(slot)
            queue.extend(done(episode, result))

    def close(self) -> None:
        for actor in self.actors:
            try:
                self.ray.get(actor.close.remote(), timeout=60)
            except Exception:  # noqa: BLE001 - an actor that is already gone has nothing to close
                pass
            self.ray.kill(actor)
        if self._owns_ray:
            self.ray.shutdown()


def _crashed(episode: Episode, reason: str) -> dict:
    return asdict(EpisodeResult(episode.task, episode.number, "crashed", attempts=episode.attempt, error=reason))


# ---- the run ------------------------------------------------------------------------------------------------------

def run(config: EvalConfig, progress: Callable[[str], None] | None = None) -> dict:
    """Run every episode of a validated config and write OUT/summary.json; return the summary."""
    say = progress or (lambda line: print(line, flush=True))
    episodes = [Episode(task, n) for n in range(1, config.episodes + 1) for task in config.tasks]
    total = len(episodes)
    workers = min(config.workers, total)
    _build_templates(config)
    started = time.perf_counter()
    results: dict[str, dict] = {}

    def done(episode: Episode, result: dict) -> list[Episode]:
        if result["status"] == "crashed" and episode.attempt < MAX_ATTEMPTS:
            say(f"[{len(results)}/{total}] {episode.key} crashed ({result['error']}); retrying")
            return [Episode(episode.task, episode.number, episode.attempt + 1)]
        results[episode.key] = result
        say(f"[{len(results)}/{total}] {episode.key}: {_line(result)}")
        return []

    say(f"running {total} episode(s) of {len(config.tasks)} task(s) with agent {config.agent} in the {config.env} "
        f"environment on {workers} {config.backend} worker(s); trajectories in {config.out}")
    backend = (RayBackend if config.backend == "ray" else LocalBackend)(config, workers)
    try:
        backend.run(longest_first(episodes), done)
    finally:
        backend.close()
    ordered = [results[e.key] for e in episodes]
    summary = summarize(ordered, config, time.perf_counter() - started, workers)
    (config.out / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary


def longest_first(episodes: list[Episode]) -> list[Episode]:
    """The episodes in the order to queue them: the tasks whose golden demonstrations are longest first, so that
    the run does not end with one worker finishing a long episode while the others have nothing left to do."""
    from mock_apps.tasks.demos import GOLDEN

    def length(task_id: str) -> int:
        steps = GOLDEN / task_id / "steps.jsonl"
        return steps.read_bytes().count(b"\n") if steps.is_file() else 0

    lengths = {task: length(task) for task in {e.task for e in episodes}}
    return sorted(episodes, key=lambda e: -lengths[e.task])  # stable: a task's episodes keep their order


def _build_templates(config: EvalConfig) -> None:
    """Build the tasks' scenario templates once, before the workers start (else each would wait on the lock)."""
    from mock_apps.core.template import ensure_templates
    from mock_apps.tasks import get_task

    settings = Settings() if config.data_dir is None else replace(Settings(), data_dir=Path(config.data_dir))
    for scenario in sorted({get_task(t).scenario for t in config.tasks}):
        ensure_templates(settings.templates_dir, scenario)


def _line(result: dict) -> str:
    if result["status"] == "crashed":
        return f"CRASHED after {result['attempts']} attempts: {result['error']}"
    extra = f", {len(result['collateral'])} collateral" if result["collateral"] else ""
    return (f"{result['status']} score {result['score']:.2f}, {result['steps']} steps, {result['seconds']:.1f} s"
            f"{extra}")


def pass_hat_k(passes: int, n: int, k: int) -> float:
    """The chance that k episodes drawn from n all pass, given `passes` of them did (pass^k)."""
    if k > n:
        return float("nan")
    return math.comb(passes, k) / math.comb(n, k)


def _aggregate(results: list[dict], k_max: int) -> dict:
    n = len(results)
    passed = sum(r["status"] == "passed" for r in results)
    ran = [r for r in results if r["status"] != "crashed"]
    return {
        "episodes": n, "passed": passed, "failed": sum(r["status"] == "failed" for r in results),
        "crashed": n - len(ran),
        "success_rate": passed / n if n else 0.0,
        "mean_score": sum(r["score"] for r in results) / n if n else 0.0,
        "mean_steps": sum(r["steps"] for r in ran) / len(ran) if ran else 0.0,
        "mean_seconds": sum(r["seconds"] for r in ran) / len(ran) if ran else 0.0,
        "collateral_violations": sum(len(r["collateral"]) for r in results),
        "episodes_with_collateral": sum(bool(r["collateral"]) for r in results),
        "retried": sum(r["attempts"] > 1 for r in results),
    }


def summarize(results: list[dict], config: EvalConfig, seconds: float, workers: int) -> dict:
    """summary.json: overall and per-task figures (success_rate, mean_score, pass^k, steps, time, collateral)
    and every episode. Crashed episodes count as not passed, with score 0."""
    k_max = config.episodes
    tasks = {}
    for task in config.tasks:
        mine = [r for r in results if r["task"] == task]
        figures = _aggregate(mine, k_max)
        figures["pass^k"] = {str(k): pass_hat_k(figures["passed"], len(mine), k) for k in range(1, k_max + 1)}
        tasks[task] = figures
    overall = _aggregate(results, k_max)
    # overall pass^k: the mean over tasks (each task weighs the same, as in tau-bench)
    overall["pass^k"] = {str(k): sum(t["pass^k"][str(k)] for t in tasks.values()) / len(tasks)
                         for k in range(1, k_max + 1)}
    return {
        **overall,
        "agent": config.agent, "agent_options": config.agent_options, "env": config.env, "backend": config.backend,
        "workers": workers, "episodes_per_task": config.episodes, "wall_seconds": round(seconds, 3),
        "episodes_per_minute": round(len(results) / seconds * 60, 3) if seconds else None,
        "tasks": tasks,
        "results": results,
    }


def table(summary: dict) -> str:
    """The summary as a readable table: one row per task, then the overall row."""
    k = str(summary["episodes_per_task"])
    header = ["task", "episodes", "success", "score", f"pass^{k}", "steps", "seconds", "collateral", "crashed"]
    rows = [[task, str(t["episodes"]), f"{t['success_rate']:.0%}", f"{t['mean_score']:.2f}",
             f"{t['pass^k'][k]:.2f}", f"{t['mean_steps']:.1f}", f"{t['mean_seconds']:.1f}",
             str(t["collateral_violations"]), str(t["crashed"])] for task, t in summary["tasks"].items()]
    rows.append(["overall", str(summary["episodes"]), f"{summary['success_rate']:.0%}",
                 f"{summary['mean_score']:.2f}", f"{summary['pass^k'][k]:.2f}", f"{summary['mean_steps']:.1f}",
                 f"{summary['mean_seconds']:.1f}", str(summary["collateral_violations"]), str(summary["crashed"])])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        return "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))

    rule = "-" * len(fmt(header))
    lines = [fmt(header), rule, *map(fmt, rows[:-1]), rule, fmt(rows[-1])]
    lines.append(f"{summary['episodes']} episodes in {summary['wall_seconds']:.1f} s on {summary['workers']} "
                 f"{summary['backend']} worker(s) ({summary['episodes_per_minute']} episodes/min)")
    crashed = [r for r in summary["results"] if r["status"] == "crashed"]
    lines += [f"crashed: {r['task']}/{r['number']}: {r['error']}" for r in crashed]
    return "\n".join(lines)


__all__ = ["EvalConfig", "EvalError", "EpisodeWorker", "run", "summarize", "table", "validate", "pass_hat_k"]
