"""The editorial workflow in a real browser: file, review, publish, read, and a refused second save.

Runs in the default suite and in CI; select it alone with `pytest -m browser`.
"""

import json
import urllib.request

import pytest
from django.db import connections

from articles.models import Article
from tests.helpers.browser import login, pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_files_editor_publishes_reader_gets_it_and_a_late_save_is_refused(
    live_server, desk, chromium
):
    try:
        _file_review_publish_read_and_conflict(live_server, desk, chromium)
    finally:
        # Under Playwright the test body has a database connection of its own (another context);
        # left open, it stops PostgreSQL from dropping the test database at the end of the run.
        connections.close_all()


def _file_review_publish_read_and_conflict(live_server, desk, chromium):
    # The reporter writes a story with a paragraph and their byline, and files it.
    reporter = login(chromium, live_server, "olena")
    reporter.goto("/admin/articles/article/add/")
    reporter.fill("#id_headline", "Bakhmut holds, says the commander")
    reporter.fill("#id_dek", "A front-line interview.")
    reporter.locator(".desk-add-bar [data-add=paragraph]").click()
    reporter.fill("#id_blocks-0-text", "The commander spoke from a bunker east of the city.")
    reporter.locator(".add-row a", has_text="Add another Byline").click()
    pick(reporter, "#bylines-0", "Olena Reporter")
    reporter.click("input[name=_continue]")
    reporter.wait_for_selector("text=Saved as a draft.")

    article = Article.objects.get(headline="Bakhmut holds, says the commander")
    assert article.created_by == desk["reporter"] and article.status == Article.Status.DRAFT
    assert reporter.locator("#content-main .object-tools").get_by_text("Publish now").count() == 0
    reporter.get_by_role("link", name="Submit for review").click()
    reporter.click("input[type=submit][value='Submit for review']")
    reporter.wait_for_selector("text=Submitted for review.")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW

    # The editor opens it from the list and publishes it.
    editor = login(chromium, live_server, "desk")
    editor.goto("/admin/articles/article/?status__exact=in_review")
    editor.get_by_role("link", name="Bakhmut holds, says the commander").click()
    editor.get_by_role("link", name="Publish now").click()
    editor.click("input[type=submit][value='Publish now']")
    editor.wait_for_selector("text=Published.")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.version == 1

    # Anyone can now read it through the API, paragraph included.
    with urllib.request.urlopen(f"{live_server.url}/api/v1/articles/{article.slug}/", timeout=10) as response:
        story = json.load(response)
    assert story["headline"] == "Bakhmut holds, says the commander"
    assert [block.get("text") for block in story["body"]] == [
        "The commander spoke from a bunker east of the city."
    ]
    assert [byline["name"] for byline in story["bylines"]] == ["Olena Reporter"]

    # Two editors open the story; the second sees the first is there. Maria saves first.
    change = f"/admin/articles/article/{article.pk}/change/"
    editor.goto(change)
    maria = login(chromium, live_server, "maria")
    maria.goto(change)
    assert "Desk Editor" in maria.locator("#presence").inner_text()
    maria.fill("#id_dek", "Maria's standfirst.")
    maria.click("input[name=_continue]")
    maria.wait_for_selector("text=Saved.")

    # The other editor's save comes second: refused, naming Maria, with nothing overwritten.
    editor.fill("#id_dek", "The desk's standfirst.")
    editor.click("input[name=_continue]")
    error = editor.locator(".errornote, .errorlist.nonfield").first
    error.wait_for()
    message = editor.locator("#content-main").inner_text()
    assert "Maria Night saved this story at" in message
    assert "Your changes have not been saved" in message
    assert editor.input_value("#id_dek") == "The desk's standfirst."
    article.refresh_from_db()
    assert article.dek == "Maria's standfirst."
