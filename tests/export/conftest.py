"""Fixtures for export tests: copies of golden trajectories in a folder of their own, and review verdicts."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from mock_apps.core.settings import Settings
from mock_apps.portal.reviews import ReviewStore

from golden_copies import BILL, GOLDEN, LUNCH, REPORT


@pytest.fixture
def library(tmp_path) -> Path:
    """A trajectories folder holding copies of three golden trajectories (tests may change the copies)."""
    folder = tmp_path / "trajectories"
    for name in (BILL, REPORT, LUNCH):
        shutil.copytree(GOLDEN / name, folder / name)
    return folder


@pytest.fixture
def settings(tmp_path, library) -> Settings:
    """Settings whose data folder (and so review store) and trajectory folders are the test's own."""
    return replace(Settings(), data_dir=tmp_path / "data", trajectory_dirs=(library,))


@pytest.fixture
def reviews(settings) -> ReviewStore:
    """The review store the export reads verdicts from."""
    return ReviewStore.for_settings(settings)
