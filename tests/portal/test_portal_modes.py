"""The portal's two modes and its deployment: accounts forced on beyond loopback, the first admin created and
printed once, session keys per deployment, and the compose file's documented secrets."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import yaml

from mock_apps.core.settings import Settings
from mock_apps.portal import create_app
from mock_apps.portal.access import accounts_on
from mock_apps.portal.accounts import AccountStore

ROOT = Path(__file__).resolve().parents[2]


def _settings(tmp_path, host="127.0.0.1") -> Settings:
    return replace(Settings(), data_dir=tmp_path, host=host, trajectory_dirs=(tmp_path / "recordings",))


def test_accounts_are_on_beyond_loopback_whatever_is_asked(tmp_path, monkeypatch):
    monkeypatch.delenv("MOCKAPPS_ACCOUNTS", raising=False)
    assert accounts_on(_settings(tmp_path)) is False  # `make run`: one person on loopback
    assert accounts_on(_settings(tmp_path, "0.0.0.0"), "0") is True
    assert accounts_on(_settings(tmp_path), "1") is True
    monkeypatch.setenv("MOCKAPPS_ACCOUNTS", "1")
    assert accounts_on(_settings(tmp_path)) is True


def test_the_first_admin_is_created_once_and_its_password_printed_once(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MOCKAPPS_ADMIN_PASSWORD", raising=False)
    settings = _settings(tmp_path)
    create_app({"settings": settings, "MOCKAPPS_ACCOUNTS": True})
    printed = capsys.readouterr().err
    assert "created the admin account 'admin' with password " in printed
    password = printed.split("with password ")[1].split()[0]
    assert AccountStore.for_settings(settings).authenticate("admin", password).is_admin
    create_app({"settings": settings, "MOCKAPPS_ACCOUNTS": True})  # a restart, or a second gunicorn worker
    assert "admin" not in capsys.readouterr().err
    assert [a.username for a in AccountStore.for_settings(settings).list("admin")] == ["admin"]

    # without accounts nobody is created; with MOCKAPPS_ADMIN_PASSWORD that password is the admin's
    create_app({"settings": _settings(tmp_path / "single"), "MOCKAPPS_ACCOUNTS": False})
    assert AccountStore.for_settings(_settings(tmp_path / "single")).list() == []
    monkeypatch.setenv("MOCKAPPS_ADMIN_PASSWORD", "the chosen admin password")
    create_app({"settings": _settings(tmp_path / "chosen"), "MOCKAPPS_ACCOUNTS": True})
    assert "MOCKAPPS_ADMIN_PASSWORD" in capsys.readouterr().err
    AccountStore.for_settings(_settings(tmp_path / "chosen")).authenticate("admin", "the chosen admin password")


def test_session_keys_differ_per_deployment_unless_the_secret_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv("MOCKAPPS_SECRET", raising=False)
    one = create_app({"settings": _settings(tmp_path / "one")}).secret_key
    two = create_app({"settings": _settings(tmp_path / "two")}).secret_key
    assert one != two and one == create_app({"settings": _settings(tmp_path / "one")}).secret_key
    monkeypatch.setenv("MOCKAPPS_SECRET", "shared by every service")
    assert create_app({"settings": _settings(tmp_path / "one")}).secret_key == \
        create_app({"settings": _settings(tmp_path / "two")}).secret_key


def test_compose_turns_accounts_on_with_the_documented_secrets():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        environment = service["environment"]
        assert environment["MOCKAPPS_ACCOUNTS"] == "1", name
        assert environment["MOCKAPPS_SECRET"].startswith("${MOCKAPPS_SECRET:?"), name  # compose refuses without it
        assert environment["MOCKAPPS_TRAJECTORIES"].startswith("/data/"), name  # on the shared volume
    readme = (ROOT / "README.md").read_text()
    for documented in ("MOCKAPPS_SECRET", "MOCKAPPS_ACCOUNTS", "MOCKAPPS_ADMIN_PASSWORD"):
        assert documented in readme


def test_single_user_mode_runs_a_campaign_without_signing_in(sandbox, tmp_path):
    """`make run`: the one local person adds a trainer, makes a campaign and records its assignment."""
    import secrets

    from mock_apps.portal.campaigns import CampaignStore
    from trajectories.store import load

    task = "announce-lunch-in-general"
    settings = replace(sandbox.settings, trajectory_dirs=(tmp_path,))
    client = create_app({"settings": settings, "MOCKAPPS_ACCOUNTS": False}).test_client()
    assert "Single-user mode" in client.get("/people").get_data(as_text=True)
    username = f"solo-{secrets.token_hex(3)}"
    assert client.post("/people", data={"username": username, "name": "Solo", "role": "trainer"}).status_code == 201
    trainer = AccountStore.for_settings(settings).by_username(username)
    answer = client.post("/campaigns", data={"name": f"solo {username}", "task": task, f"needed-{task}": "1",
                                             "trainer": str(trainer.id)})
    assert answer.status_code == 302
    assignment = CampaignStore.for_settings(settings).assignments(trainer_id=trainer.id)[0]
    assert f'data-assignment="{assignment.id}"' in client.get("/assignments").get_data(as_text=True)

    assert client.post(f"/assignments/{assignment.id}/start").status_code == 302
    world = client.get_cookie("mockworld").value
    assert world.startswith(f"{username}-{task}"[:40]) and client.get_cookie("mockrec").http_only
    panel = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert "Give up" in panel and world in panel
    assert client.post(f"/assignments/{assignment.id}/give-up").status_code == 302
    assert client.get_cookie("mockrec") is None
    attempt = CampaignStore.for_settings(settings).assignment(assignment.id).attempts[0]
    assert attempt.status == "abandoned" and load(attempt.folder)[0].status == "abandoned"
    assert attempt.folder.parent == tmp_path


def test_a_new_campaign_builds_its_scenarios_before_anyone_starts(tmp_path, monkeypatch):
    """On a fresh deployment the first Start would build the scenario while the trainer waits (30 s and more on a
    busy 2-core machine): creating the campaign starts that build in the background."""
    import threading

    from mock_apps.core import template

    built, done = [], threading.Event()

    def ensure_templates(root, scenario):
        built.append((root, scenario))
        done.set()

    monkeypatch.setattr(template, "ensure_templates", ensure_templates)
    settings = _settings(tmp_path)
    client = create_app({"settings": settings, "MOCKAPPS_ACCOUNTS": False}).test_client()
    assert client.post("/people", data={"username": "ana", "name": "Ana", "role": "trainer"}).status_code == 201
    trainer = AccountStore.for_settings(settings).by_username("ana")
    task = "pay-past-due-brightline-br-57130"
    answer = client.post("/campaigns", data={"name": "bills", "task": task, f"needed-{task}": "1",
                                             "trainer": str(trainer.id)})
    assert answer.status_code == 302 and done.wait(30)
    assert built == [(settings.templates_dir, "meridian")]
