"""History pages show revision comments, quotes and names as text: markup in them never acts."""

import pytest
import reversion
from django.test import Client
from django.urls import reverse

from articles import revisions
from articles.models import Article
from articles.services.workflow import article_publish
from tests.factories import ArticleFactory, QuoteFactory, UserFactory

REFRESH = '<meta http-equiv=refresh content="0;url=//phish.example">'
IMG = "<img src=x onerror=\"document.title='pwned'\">"


def _story_with_hostile_revisions():
    editor = UserFactory(username="history-editor", is_staff=True, role="editor")
    story = ArticleFactory(ready=True, status=Article.Status.IN_REVIEW, headline=f"Headline {IMG}")
    quiet = QuoteFactory(article=story, text="Quiet words.", position=0)
    calm = QuoteFactory(article=story, text="Calm words.", position=1)
    article_publish(article=story, by=editor)
    client = Client()
    client.force_login(editor)
    # Quotes are judged from the story page's panel; their words reach a revision's comment as an admin
    # change message naming them would put them there.
    with reversion.create_revision():
        quiet.text, calm.text = REFRESH, IMG
        quiet.save()
        calm.save()
        story.save()
        reversion.set_user(editor)
        reversion.set_comment(f"Changed text for quote “{REFRESH}” and quote “{IMG}”.")
    older, newer = revisions.history(story)[1], revisions.history(story)[0]
    assert REFRESH in newer.revision.get_comment() and IMG in newer.revision.get_comment()
    pages = {
        "compare": reverse("admin:articles_article_compare", args=[story.pk])
        + f"?old={older.pk}&new={newer.pk}",
        # The restore page compares the story as it stands with the revision chosen.
        "restore": reverse("admin:articles_article_restore", args=[story.pk, newer.pk]),
        "history": reverse("admin:articles_article_history", args=[story.pk]),
    }
    return client, pages


@pytest.mark.django_db
def test_history_pages_escape_revision_comments_and_content():
    client, pages = _story_with_hostile_revisions()
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert "<meta http-equiv" not in html, name
        assert "<img src=x" not in html, name


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_markup_in_a_revision_does_not_act_in_the_browser(live_server, chromium):
    client, pages = _story_with_hostile_revisions()
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    context = chromium.new_context()
    context.add_cookies([cookie])
    page = context.new_page()
    for name, url in pages.items():
        page.goto(live_server.url + url, wait_until="load")
        page.wait_for_timeout(1_500)  # a meta refresh of 0 s would have moved the page by now
        assert page.url == live_server.url + url, name
        assert page.locator("meta[http-equiv]").count() == 0, name
        assert page.locator("img[src=x]").count() == 0, name
        assert page.title() != "pwned", name
        assert "&lt;meta http-equiv=refresh" in page.content().replace("&nbsp;", " "), name  # shown as text
    page.screenshot(path="/tmp/integrity-a-compare.png", full_page=True)
    context.close()
