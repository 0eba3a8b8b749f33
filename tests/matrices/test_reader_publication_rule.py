"""Every reader-facing format hides what the publication rule hides."""

import pytest

from articles.models import Article
from tests.factories import ArticleFactory
from tests.helpers.states import HIDDEN_STATES

pytestmark = pytest.mark.django_db

SECRET = "SECRET-HEADLINE"


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_no_reader_format_shows_a_non_public_story(client, settings, state):
    story = ArticleFactory(dressed=True, headline=SECRET, **HIDDEN_STATES[state])
    assert not story.is_public()
    contributor = story.bylines.first().contributor
    speaker = story.quotes.first().speaker
    page = f"{settings.SITE_URL}{story.get_absolute_url()}"

    # A killed story's addresses may answer 410 Gone with its notice; never with the story.
    for response in [
        client.get(story.get_absolute_url()),
        client.get(f"/api/v1/articles/{story.slug}/", {"format": "ninjs"}),
        client.get(f"/api/v1/articles/{story.slug}/", HTTP_ACCEPT="application/ninjs+json"),
    ]:
        assert response.status_code == (410 if state == "killed" else 404)
        assert SECRET.encode() not in response.content
    # People, tags and sections known only from hidden stories do not exist for readers either.
    for path, params in [
        ("/oembed/", {"url": page}),
        (f"/speakers/{speaker.slug}/", {}),
        ("/tags/ukraine/", {}),
        ("/sections/world/", {}),
        ("/sections/world/feed/", {}),
        ("/sections/world/feed/atom/", {}),
        (f"/contributors/{contributor.slug}/", {}),
        (f"/contributors/{contributor.slug}/feed/", {}),
        (f"/contributors/{contributor.slug}/feed/atom/", {}),
    ]:
        assert client.get(path, params).status_code == 404, path
    for path in [
        "/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-news.xml",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert SECRET.encode() not in response.content, path
        assert story.slug.encode() not in response.content, path
    assert b"/sections/world/" not in client.get("/sitemap-pages.xml").content


def test_the_same_story_once_public_appears_in_every_reader_format(client, settings):
    story = ArticleFactory(dressed=True, headline=SECRET)
    assert Article.objects.public().filter(pk=story.pk).exists()
    contributor = story.bylines.first().contributor
    for path in [
        "/",
        "/feed/",
        "/feed/atom/",
        f"/contributors/{contributor.slug}/feed/",
        "/sitemap-news.xml",
    ]:
        assert SECRET.encode() in client.get(path).content, path
    assert story.slug.encode() in client.get("/sitemap-stories.xml").content
    assert (
        client.get("/oembed/", {"url": f"{settings.SITE_URL}{story.get_absolute_url()}"}).status_code == 200
    )
    assert client.get(f"/api/v1/articles/{story.slug}/", {"format": "ninjs"}).status_code == 200
