"""The rollout server's ASGI application (Starlette): OpenEnv's HTTP routes keyed by episode_id, and its
WebSocket session protocol on `/ws`, where a disconnect ends the session's rollout at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from mock_apps.core.errors import MockAppsError
from mock_apps.rollout.models import (BrowserAction, CloseRequest, ResetRequest, RolloutState, StepRequest,
                                      StepResponse, ToolCallAction)
from mock_apps.rollout.rollouts import Rollouts, validation_errors

log = logging.getLogger(__name__)


def error_body(error: MockAppsError) -> dict:
    """An error as this server answers it: OpenEnv's {"detail"} with a code."""
    return {"detail": error.message, "code": error.code, **error.details}


def _error_response(error: Exception) -> JSONResponse:
    if isinstance(error, MockAppsError):
        return JSONResponse(error_body(error), status_code=error.status)
    log.exception("rollout server error")
    return JSONResponse({"detail": f"internal error: {type(error).__name__}", "code": "internal_error"},
                        status_code=500)


async def _body(request: Request, model: type[BaseModel]) -> Any:
    """The request's JSON body as a model; 422 with pydantic's errors when it does not fit."""
    try:
        raw = await request.body()
        return model.model_validate_json(raw or b"{}")
    except ValidationError as error:
        raise MockAppsError(f"the body is not a valid {model.__name__}", status=422, code="validation_error",
                            errors=validation_errors(error)) from None


def create_app(rollouts: Rollouts, *, reap_every: float = 1.0) -> Starlette:
    """The application over a Rollouts (its reaper runs while the application does)."""

    async def reset(request: Request) -> JSONResponse:
        try:
            response = await rollouts.reset(await _body(request, ResetRequest))
        except Exception as error:  # noqa: BLE001 - every failure is an answer
            return _error_response(error)
        return JSONResponse(response.model_dump())

    async def step(request: Request) -> JSONResponse:
        try:
            body = await _body(request, StepRequest)
            # timeout_s is accepted as OpenEnv accepts it for environments that take none: the environments'
            # own action timeouts bound a step
            response = await rollouts.step(body.episode_id, body.action)
        except Exception as error:  # noqa: BLE001
            return _error_response(error)
        return JSONResponse(response.model_dump())

    async def state(request: Request) -> JSONResponse:
        try:
            return JSONResponse(rollouts.state(request.query_params.get("episode_id")).model_dump())
        except Exception as error:  # noqa: BLE001
            return _error_response(error)

    async def close(request: Request) -> JSONResponse:
        try:
            body = await _body(request, CloseRequest)
            return JSONResponse((await rollouts.close(body.episode_id)).model_dump())
        except Exception as error:  # noqa: BLE001
            return _error_response(error)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "healthy", **rollouts.counts()})

    async def schema(request: Request) -> JSONResponse:
        return JSONResponse({"action": {"tool": ToolCallAction.model_json_schema(),
                                        "browser": BrowserAction.model_json_schema()},
                             "observation": StepResponse.model_json_schema(),
                             "state": RolloutState.model_json_schema()})

    async def metadata(request: Request) -> JSONResponse:
        return JSONResponse({"name": "mockapps", "description": "Mock Gmail, Slack, Sheets and QuickBooks (and "
                             "more) for multistep office tasks; a rollout is one task in its own world, scored by "
                             "the task's checks.", "documentation_url": "docs/AGENTS.md"})

    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        episode_id: str | None = None
        try:
            while True:
                message = await websocket.receive_json()
                kind, data = (message.get("type"), message.get("data") or {}) if isinstance(message, dict) \
                    else (None, {})
                try:
                    if kind == "reset":
                        if episode_id is not None:  # a session runs one rollout at a time: the old one ends
                            with contextlib.suppress(MockAppsError):
                                await rollouts.close(episode_id)
                        response = await rollouts.reset(ResetRequest.model_validate(data))
                        episode_id = response.metadata["episode_id"]
                        await websocket.send_json({"type": "observation", "data": response.model_dump()})
                    elif kind == "step":
                        response = await rollouts.step(episode_id, data)
                        await websocket.send_json({"type": "observation", "data": response.model_dump()})
                    elif kind == "state":
                        await websocket.send_json({"type": "state", "data": rollouts.state(episode_id).model_dump()})
                    elif kind == "close":
                        break
                    else:
                        raise MockAppsError(f"unknown message type {kind!r}; types are reset, step, state, close",
                                            code="UNKNOWN_TYPE")
                except ValidationError as error:
                    await websocket.send_json({"type": "error", "data": {
                        "message": str(error.errors()[0].get("msg")), "code": "VALIDATION_ERROR",
                        "errors": validation_errors(error)}})
                except MockAppsError as error:
                    await websocket.send_json({"type": "error", "data": {"message": error.message,
                                                                         "code": error.code, "status": error.status}})
        except (WebSocketDisconnect, RuntimeError, ValueError):
            pass  # the client went away (or sent what is not JSON): the session ends
        finally:
            if episode_id is not None:
                with contextlib.suppress(MockAppsError):
                    await rollouts.close(episode_id)
            with contextlib.suppress(Exception):
                await websocket.close()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        async def reaper():
            while True:
                await asyncio.sleep(reap_every)
                try:
                    await rollouts.reap()
                except Exception:  # noqa: BLE001 - the reaper must outlive one bad pass
                    log.exception("reaping idle rollouts failed")

        task = asyncio.create_task(reaper())
        try:
            yield
        finally:
            task.cancel()
            await asyncio.to_thread(rollouts.shutdown)

    routes = [Route("/reset", reset, methods=["POST"]), Route("/step", step, methods=["POST"]),
              Route("/state", state, methods=["GET"]), Route("/close", close, methods=["POST"]),
              Route("/health", health, methods=["GET"]), Route("/schema", schema, methods=["GET"]),
              Route("/metadata", metadata, methods=["GET"]), WebSocketRoute("/ws", ws)]
    return Starlette(routes=routes, lifespan=lifespan)

