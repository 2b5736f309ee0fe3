"""The rollout server (`mockapps env-server`): episodes over HTTP for remote RL trainers, in OpenEnv's shape.

OpenEnv (meta-pytorch/OpenEnv) serves an environment as `POST /reset` -> {observation, reward, done}, `POST /step`
{action} -> {observation, reward, done}, `GET /state` -> {episode_id, step_count, ...}, with typed (pydantic)
actions and observations; its stateful sessions run over a WebSocket (`/ws`: reset / step / state / close
messages). This server keeps that shape and adds what many rollouts at once need: every rollout has an
`episode_id`, its own world, and either environment (`tool`: the API tools; `browser`: the Gymnasium browser env).

- `models`: the request, response, action, observation and state models.
- `rollouts`: `Rollouts`, the live rollouts and the pooled environments they run in (idle ones reaped).
- `server`: the Starlette application (HTTP routes and the `/ws` WebSocket).
- `deployment`: the apps the environments use: `AppProcesses` (gunicorn workers the server owns, the default),
  `RunningDeployment` (`--external`).
- `cli`: `mockapps env-server`.
- `grpo_group`: the documented example, a GRPO-style group of 8 concurrent rollouts of one task.
"""
