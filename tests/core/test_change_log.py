"""The change log as the core captures it from SQLAlchemy session events, on a real app's tables."""

from __future__ import annotations

import pytest
from sqlmodel import select

from mock_apps.chat.models import User
from mock_apps.core.errors import ChangeOutsideOperation
from mock_apps.core.world import WorldRegistry


@pytest.fixture
def registry(sandbox) -> WorldRegistry:
    return WorldRegistry.for_settings(sandbox.settings)


def test_operation_records_name_args_and_row_diff(registry, world):
    with registry.session(world.id, "chat") as db:
        with db.operation("chat.profile.set", user="dana.whitfield", title="CEO"):
            user = db.exec(select(User).where(User.name == "dana.whitfield")).one()
            old_title = user.title
            user.title = "CEO"
    [entry] = world.changes()
    assert entry["seq"] == 1 and entry["app"] == "chat" and entry["op"] == "chat.profile.set"
    assert entry["args"] == {"user": "dana.whitfield", "title": "CEO"}
    [change] = entry["changes"]
    assert change["table"] == User.__tablename__ and change["kind"] == "update"
    assert change["before"]["title"] == old_title and change["after"]["title"] == "CEO"
    assert entry["time"] == world.control("chat", "GET", "/clock")["now"]


def test_write_outside_an_operation_is_refused_and_nothing_changes(registry, world):
    before = world.state("chat")
    with registry.session(world.id, "chat") as db:
        user = db.exec(select(User).where(User.name == "dana.whitfield")).one()
        user.title = "sneaky"
        with pytest.raises(ChangeOutsideOperation):
            db.commit()
    assert world.state("chat") == before and world.changes() == []


def test_failed_operation_rolls_back_rows_log_and_clock(registry, world):
    clock = world.control("chat", "GET", "/clock")
    with registry.session(world.id, "chat") as db:
        with pytest.raises(RuntimeError):
            with db.operation("chat.profile.set", user="dana.whitfield"):
                db.exec(select(User).where(User.name == "dana.whitfield")).one().title = "half-written"
                db.flush()
                raise RuntimeError("a rule failed after a flush")
    assert "half-written" not in str(world.state("chat"))
    assert world.changes() == [] and world.control("chat", "GET", "/clock") == clock


def test_operation_that_changes_nothing_leaves_no_entry(registry, world):
    with registry.session(world.id, "chat") as db:
        with db.operation("chat.profile.set", user="dana.whitfield"):
            user = db.exec(select(User).where(User.name == "dana.whitfield")).one()
            user.title = user.title
    assert world.changes() == []
