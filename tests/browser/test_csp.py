"""The Content-Security-Policy breaks nothing: the admin and the API docs work in Chromium under it."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def violations_on(browser, url, ready_selector, cookies=()):
    context = browser.new_context()
    if cookies:
        context.add_cookies(list(cookies))
    page = context.new_page()
    refused = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and refused.append(message.text)
    )
    page.goto(url, wait_until="load", timeout=30_000)
    page.wait_for_selector(ready_selector, timeout=20_000)
    header = page.evaluate("document.location.href")
    context.close()
    return refused, header


def test_swagger_ui_renders_from_local_files_under_the_csp(live_server, chromium):
    refused, _ = violations_on(chromium, f"{live_server.url}/api/docs/", ".swagger-ui .opblock")
    assert refused == []


def test_the_admin_works_under_the_csp(live_server, admin_user, chromium):
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    session = client.cookies["sessionid"].value
    cookie = {"name": "sessionid", "value": session, "url": live_server.url}
    for path, selector in [
        ("/admin/", "#content-main"),
        ("/admin/articles/article/add/", "form"),
        ("/admin/articles/image/add/", "form"),
    ]:
        refused, _ = violations_on(chromium, f"{live_server.url}{path}", selector, cookies=[cookie])
        assert refused == [], (path, refused)
