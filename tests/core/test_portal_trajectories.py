"""The portal's tasks page, trajectories page and viewer in Chromium, on a real recording and broken ones."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest

from mock_apps.core.server import Sandbox
from mock_apps.tasks import all_tasks
from mock_apps.tasks.demos import GOLDEN


@pytest.fixture(scope="module")
def portal(record_demo, sandbox, tmp_path_factory):
    """A recording with screenshots, a broken and a damaged trajectory, and a portal that lists them."""
    folder = tmp_path_factory.mktemp("trajectories")
    record_demo("announce-close-start-in-finance", folder / "ana-finance", "portal-rec")
    (folder / "garbage").mkdir()
    (folder / "garbage" / "trajectory.json").write_text("{not json")
    shutil.copytree(folder / "ana-finance", folder / "no-shots")
    meta = json.loads((folder / "no-shots" / "trajectory.json").read_text())
    meta["id"], meta["trainer"] = "noshots00001", "ben"
    (folder / "no-shots" / "trajectory.json").write_text(json.dumps(meta))
    shutil.rmtree(folder / "no-shots" / "shots")
    settings = replace(sandbox.settings, trajectory_dirs=(folder, GOLDEN),
                       ports={app: port for app, port in sandbox.settings.ports.items() if app != "portal"})
    with Sandbox(settings, ("portal",), ephemeral=True) as running:
        yield running.url("portal"), folder


def test_tasks_page_lists_every_task_with_its_record_command(page, portal, tmp_path):
    url, _ = portal
    page.goto(f"{url}/tasks")
    rows = page.get_by_test_id("tasks").locator("tbody tr")
    assert rows.count() == len(all_tasks())
    row = page.locator("tr[data-task=announce-close-start-in-finance]")
    assert "mockapps record announce-close-start-in-finance" in row.inner_text()
    # the recording made above, its copy, and the golden demonstration
    assert row.locator("td").nth(3).inner_text() == "3"
    page.screenshot(path=str(tmp_path / "tasks.png"), full_page=True)
    assert (tmp_path / "tasks.png").stat().st_size > 10_000
    row.get_by_role("button", name="Try announce-close-start-in-finance").click()
    page.wait_for_url(lambda address: not address.startswith(url))  # the app is on its own port
    assert page.get_by_test_id("world-id").inner_text() == "try-announce-close-start-in-finance-1"
    assert page.get_by_test_id("switch-chat").get_attribute("aria-current") == "page"  # the task's start page


def _last_page(page, url: str) -> None:
    """Open the trajectories page's last page (however many golden trajectories the library holds)."""
    page.goto(f"{url}/trajectories")
    pager = page.get_by_role("navigation", name="Pages")
    if pager.count():
        page.goto(f"{url}/trajectories?page={pager.inner_text().split(' of ')[1].split()[0]}")


def test_trajectories_page_filters_and_marks_broken_ones(page, portal, tmp_path):
    url, _ = portal
    page.goto(f"{url}/trajectories")
    listing = page.get_by_test_id("trajectories")
    assert "ana-finance" in listing.inner_text() and "no-shots" in listing.inner_text()
    # golden ones too (more than a page of them: look for one by its task)
    page.goto(f"{url}/trajectories?task=enter-bill-brightline-bl-20931")
    assert listing.get_by_role("link", name="enter-bill-brightline-bl-20931").count() == 1
    _last_page(page, url)  # unreadable ones sort last
    assert "unreadable" in listing.get_by_role("row", name="garbage").inner_text()
    page.get_by_label("Trainer").select_option("ana")
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_test_id("counts").inner_text().startswith("1 of ")
    page.screenshot(path=str(tmp_path / "trajectories.png"), full_page=True)


def test_viewer_shows_steps_in_words_with_screenshots_and_highlights(page, portal, tmp_path):
    url, _ = portal
    page.goto(f"{url}/trajectories")
    page.get_by_role("link", name="ana-finance").click()
    steps = page.get_by_test_id("step")
    assert steps.count() >= 4
    words = page.locator(".step-words").all_inner_texts()
    assert any(w.startswith("Typed 'Heads up: that the March close starts on Monday") for w in words), words
    assert any(w.startswith("Pressed Enter in the textbox 'Message #finance' in Chat") for w in words), words
    page.locator(".shot img").first.scroll_into_view_if_needed()  # they load lazily
    page.wait_for_function("() => { const i = document.querySelector('.shot img'); "
                           "return i && i.complete && i.naturalWidth > 0; }")
    assert page.get_by_test_id("highlight").count() >= 1
    assert "chat.post" in page.get_by_test_id("timeline").inner_text()
    assert "✓ message posted in #finance" in page.locator(".checks").inner_text()
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate("location.hash") == "#step-1"
    page.screenshot(path=str(tmp_path / "viewer.png"))

    page.goto(f"{url}/trajectories")
    page.get_by_role("link", name="no-shots").click()
    assert page.get_by_text("screenshot missing").count() >= 1  # marked, not an error page
    _last_page(page, url)
    page.get_by_role("link", name="garbage").click()
    assert "damaged" in page.get_by_role("alert").inner_text()
