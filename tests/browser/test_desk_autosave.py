"""Never lose work: the story form's unsaved changes survive a closed tab and a save that did not land."""

import pytest
from django.db import connections

from articles.models import Article, Block
from tests.helpers.browser import PASSWORD, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unsaved_changes_come_back_after_a_closed_tab_and_after_an_expired_session(
    live_server,
    desk,
    chromium,
):
    story = Article.objects.create(headline="Night shift", slug="night-shift", created_by=desk["editor"])
    Block.objects.create(article=story, position=0, type="paragraph", text="The first draft.")
    connections.close_all()
    try:
        page = login(chromium, live_server, "desk")
        change = f"/admin/articles/article/{story.pk}/change/"
        page.goto(change)
        assert page.locator("#autosave").count() == 0
        page.fill("#id_dek", "A standfirst typed but never saved.")
        page.fill("#id_blocks-0-text", "The second draft, better.")
        page.locator(".desk-add-bar [data-add=heading]").click()
        page.fill("#id_blocks-1-text", "A heading typed late")
        page.wait_for_timeout(600)  # the copy is written a moment after typing stops

        # The tab closes; the next visit offers the changes back.
        context = page.context
        page.close()
        page = context.new_page()
        page.goto(change)
        page.locator("#autosave").get_by_role("button", name="Restore them").click()
        assert page.input_value("#id_dek") == "A standfirst typed but never saved."
        assert page.input_value("#id_blocks-0-text") == "The second draft, better."
        assert page.input_value("#id_blocks-1-text") == "A heading typed late"

        # The session ends before the save: the login page, then the story without the changes — offered back.
        context.clear_cookies(name="sessionid")
        page.click("input[name=_continue]")
        page.wait_for_url("**/admin/login/**")
        page.fill("#id_username", "desk")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"**{change}")
        assert page.input_value("#id_dek") == ""
        page.locator("#autosave").get_by_role("button", name="Restore them").click()
        assert page.input_value("#id_dek") == "A standfirst typed but never saved."

        # Saved for real: the copy goes, and no offer is made again.
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")
        page.goto(change)
        assert page.locator("#autosave").count() == 0
        story.refresh_from_db()
        assert story.dek == "A standfirst typed but never saved."
        assert list(story.blocks.values_list("type", "text")) == [
            ("paragraph", "The second draft, better."),
            ("heading", "A heading typed late"),
        ]
    finally:
        connections.close_all()
