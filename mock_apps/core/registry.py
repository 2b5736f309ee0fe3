"""The app packages (mock_apps.APPS), found by name; each exposes SPEC (an AppSpec) and create_app."""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from mock_apps.core.settings import APP_NAMES


@lru_cache(maxsize=None)
def app_spec(name: str):
    """The AppSpec of an app by name."""
    if name not in APP_NAMES:
        raise KeyError(f"unknown app {name!r}; apps are {', '.join(APP_NAMES)}")
    return import_module(f"mock_apps.{name}").SPEC


def app_specs() -> list:
    """The AppSpecs of all the apps, in port order."""
    return [app_spec(name) for name in APP_NAMES]
