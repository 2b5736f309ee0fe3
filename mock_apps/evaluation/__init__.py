"""Evaluation: agents run on the tasks in a Gymnasium browser environment and are scored by the tasks' checks.

Making an environment::

    import gymnasium
    env = gymnasium.make("mock_apps.evaluation:mockapps/enter-bill-brightline-bl-20931", max_steps=50)
    observation, info = env.reset(seed=0)
    observation, reward, terminated, truncated, info = env.step('click("a12")')

Registration is lazy: Gymnasium 1.x has no plugin entry points, so `gymnasium.make("mock_apps.evaluation:...")`
imports this package first (the module prefix before the colon), and importing it registers `mockapps/<task id>`
for every task with the entry point as a string. Nothing else happens on import: no server, browser or
Playwright starts until an environment's first `reset()`. After `import mock_apps.evaluation`,
`gymnasium.make("mockapps/<task id>")` works too. `MockAppsEnv(task_id, sandbox=..., browser=...)` reuses a
running Sandbox and Playwright browser (what tests and workers do); without them it starts and owns its own.

- `actions`: the action language (`parse_action`, `ACTION_SPACE_DOC` for prompts).
- `observation`: element ids stamped as `data-mockapps-id`, the accessibility tree text, element properties.
- `env`: `MockAppsEnv` (observation keys, episode ends, reward, recording: see its docstring).
- `agents`: the `Agent` protocol, `load_agent(name)`, the replay, random and OpenAI-compatible agents.
- `tools`, `tool_env`: the API (tool-calling) environment, one tool per OpenAPI operation.
- `harness`, `cli`: `mockapps eval` (parallel episodes, summary.json).
- `browsergym`: the tasks as BrowserGym tasks (`browsergym/mockapps.<task id>`).
"""

from __future__ import annotations

NAMESPACE = "mockapps"
ENTRY_POINT = "mock_apps.evaluation.env:MockAppsEnv"


def env_id(task_id: str) -> str:
    """The Gymnasium id of a task's environment."""
    return f"{NAMESPACE}/{task_id}"


def register_tasks() -> list[str]:
    """Register `mockapps/<task id>` for every task of the library (idempotent); return the ids."""
    try:
        import gymnasium
    except ImportError:  # the eval extra is not installed: actions and agents still import
        return []
    from mock_apps.tasks import all_tasks

    ids = []
    for task in all_tasks():
        name = env_id(task.id)
        if name not in gymnasium.registry:
            gymnasium.register(id=name, entry_point=ENTRY_POINT, kwargs={"task_id": task.id},
                               disable_env_checker=False, order_enforce=True)
        ids.append(name)
    return ids


def _register_on_import() -> None:
    """Register the tasks, but never make `import mock_apps.evaluation.actions` fail over a broken task file."""
    import warnings

    from mock_apps.core.errors import MockAppsError

    try:
        register_tasks()
    except MockAppsError as error:
        warnings.warn(f"mockapps tasks not registered with Gymnasium: {error}", stacklevel=2)


_register_on_import()
