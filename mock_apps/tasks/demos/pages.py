"""UI moves the demonstrations share: switching apps, typing into a sheet cell, posting in a channel."""

from __future__ import annotations


def switch_to(page, app: str) -> None:
    """Open another app from the shell's app switcher."""
    page.get_by_role("navigation", name="Apps").get_by_test_id(f"switch-{app}").click()
    page.wait_for_load_state()


def type_cell(page, a1: str, text: str) -> None:
    """Type into a sheet cell and wait until the server saved it."""
    saved = int(page.locator("#sheet-page").get_attribute("data-saved") or 0)
    page.get_by_role("gridcell", name=a1, exact=True).click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_function(f"+document.getElementById('sheet-page').dataset.saved > {saved}")


def post_in_channel(page, channel: str, text: str) -> None:
    """Open a chat channel from the sidebar and post a message with Enter."""
    page.get_by_test_id(f"side-{channel}").click()
    page.wait_for_load_state()
    composer = page.get_by_test_id("composer-input")
    composer.fill(text)
    composer.press("Enter")
    page.wait_for_load_state()
