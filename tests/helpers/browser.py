"""Driving the admin in Chromium: the shared password, signing in, choosing in an autocomplete."""

from tests.factories import PASSWORD

TIMEOUT_MS = 15_000


def login(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def pick(page, row, text):
    """Choose `text` in an admin autocomplete (select2) inside the inline row `row`."""
    page.locator(f"{row} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()
