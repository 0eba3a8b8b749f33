"""Preview links: no killed story previews, kills and unpublishing end links, only editors make them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from articles import preview
from articles.models import Article, AuditEntry
from articles.services.editing import article_restore
from articles.services.workflow import article_kill, article_publish, article_unpublish
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def opens(client, article, token):
    """The status of the story's page, API detail and ninjs through the link."""
    return [
        client.get(f"/stories/{article.slug}/?preview={token}").status_code,
        client.get(f"/api/v1/articles/{article.slug}/?preview={token}").status_code,
        client.get(f"/api/v1/articles/{article.slug}/?preview={token}&format=ninjs").status_code,
    ]


def token_client(user):
    api = APIClient()
    _, key = AuthToken.objects.create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def embargoed(editor, **fields):
    story = ArticleFactory(ready=True, **fields)
    article_publish(article=story, by=editor, embargo_until=timezone.now() + timedelta(days=1))
    return story


def test_a_link_made_before_a_kill_no_longer_shows_the_story_anywhere(client, editor):
    story = embargoed(editor, headline="Withdrawn for legal reasons")
    token = preview.make_token(story)
    assert opens(client, story, token) == [200, 200, 200]
    article_kill(article=story, by=editor, notice="Withdrawn.")
    statuses = opens(client, story, token)
    assert 200 not in statuses
    ninjs = client.get(f"/api/v1/articles/{story.slug}/?preview={token}&format=ninjs")
    assert b"usable" not in ninjs.content and b"Withdrawn for legal reasons" not in ninjs.content


def test_a_killed_story_never_previews_even_with_a_fresh_token(client, editor):
    story = embargoed(editor, headline="Killed before it ran")
    article_kill(article=story, by=editor, notice="Dropped.")
    assert 200 not in opens(client, story, preview.make_token(story))


def test_unpublishing_ends_every_link_of_the_story(client, editor):
    story = embargoed(editor)
    token = preview.make_token(story)
    assert opens(client, story, token) == [200, 200, 200]
    article_unpublish(article=story, by=editor)
    assert opens(client, story, token) == [404, 404, 404]
    # A link made afterwards opens the draft again.
    story.refresh_from_db()
    assert opens(client, story, preview.make_token(story)) == [200, 200, 200]


def test_an_editor_revokes_a_storys_links_on_its_admin_page(client, editor):
    story = ArticleFactory(ready=True)
    other = ArticleFactory(ready=True)
    token, other_token = preview.make_token(story), preview.make_token(other)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_preview_link", args=[story.pk])).content.decode()
    revoke = reverse("admin:articles_article_revoke_preview_links", args=[story.pk])
    assert f'action="{revoke}"' in page
    assert client.post(revoke).status_code == 302
    entry = AuditEntry.objects.get(article=story, action=AuditEntry.Action.PREVIEWS_REVOKED)
    assert entry.actor == editor
    client.logout()
    assert opens(client, story, token) == [404, 404, 404]
    assert opens(client, other, other_token) == [200, 200, 200]
    story.refresh_from_db()
    assert opens(client, story, preview.make_token(story)) == [200, 200, 200]


def test_editors_make_and_revoke_links_through_the_api(client, settings, editor):
    story = ArticleFactory(ready=True, headline="Exclusive under embargo")
    api = token_client(editor)
    made = api.post(f"/api/v1/articles/{story.slug}/preview-links/", {"hours": 3}, format="json")
    assert made.status_code == 201 and made["Cache-Control"] == "private, no-store"
    body = made.json()
    assert body["page"].startswith(f"{settings.SITE_URL}/stories/{story.slug}/?preview=")
    token = body["api"].split("preview=")[1]
    assert opens(client, story, token) == [200, 200, 200]
    assert (
        api.post(f"/api/v1/articles/{story.slug}/preview-links/", {"hours": 0}, format="json").status_code
        == 400
    )
    assert api.post(f"/api/v1/articles/{story.slug}/preview-links/revoke/").status_code == 204
    assert opens(client, story, token) == [404, 404, 404]


def test_reporters_cannot_make_or_revoke_links_even_for_their_own_stories(client, reporter):
    story = ArticleFactory(ready=True, created_by=reporter)
    client.force_login(reporter)
    assert client.get(reverse("admin:articles_article_change", args=[story.pk])).status_code == 200
    change_page = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    link_page = reverse("admin:articles_article_preview_link", args=[story.pk])
    assert link_page not in change_page
    assert client.get(link_page).status_code == 403
    assert client.post(link_page, {"hours": 336}).status_code == 403
    revoke = reverse("admin:articles_article_revoke_preview_links", args=[story.pk])
    assert client.post(revoke).status_code == 403
    api = token_client(reporter)
    assert api.post(f"/api/v1/articles/{story.slug}/preview-links/", {}, format="json").status_code == 403
    assert api.post(f"/api/v1/articles/{story.slug}/preview-links/revoke/").status_code == 403
    assert Article.objects.get(pk=story.pk).preview_generation == 0


def test_no_one_makes_a_link_for_a_killed_story(client, editor):
    story = embargoed(editor)
    article_kill(article=story, by=editor, notice="Dropped.")
    client.force_login(editor)
    assert (
        client.post(reverse("admin:articles_article_preview_link", args=[story.pk]), {"hours": 2}).status_code
        == 403
    )
    api = token_client(editor)
    assert api.post(f"/api/v1/articles/{story.slug}/preview-links/", {}, format="json").status_code == 403


def test_restoring_an_old_revision_does_not_bring_revoked_links_back(client, editor):
    story = embargoed(editor)
    token = preview.make_token(story)
    article_unpublish(article=story, by=editor)
    from articles import revisions

    oldest = revisions.history(story).last()
    article_restore(article=story, by=editor, version=oldest)
    assert opens(client, story, token) == [404, 404, 404]
