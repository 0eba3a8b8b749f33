from datetime import timedelta

import pytest

from articles.models import Article
from tests.factories import ArticleFactory, PublishedArticleFactory, QuoteFactory
from tests.helpers.states import HIDDEN_STATES, NOW

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_states_are_not_public_in_queryset_or_row(state):
    article = ArticleFactory(**HIDDEN_STATES[state])
    assert not Article.objects.public(at=NOW).filter(pk=article.pk).exists()
    assert not article.is_public(at=NOW)


def test_published_story_past_go_live_is_public_in_queryset_and_row():
    article = PublishedArticleFactory(
        embargo_until=NOW - timedelta(seconds=1), expires_at=NOW + timedelta(days=1)
    )
    assert Article.objects.public(at=NOW).filter(pk=article.pk).exists()
    assert article.is_public(at=NOW)


def test_scheduled_story_becomes_public_at_go_live_without_anyone_acting():
    go_live = NOW + timedelta(hours=6)
    article = ArticleFactory(status=Article.Status.SCHEDULED, go_live_at=go_live)
    for moment, expected in [(go_live - timedelta(seconds=1), False), (go_live, True)]:
        assert article.is_public(at=moment) is expected
        assert Article.objects.public(at=moment).filter(pk=article.pk).exists() is expected


def _api_paths(article):
    return [
        f"/api/v1/articles/{article.slug}/",
        f"/stories/{article.slug}/",
    ]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_every_public_surface_hides_non_public_stories(client, state):
    article = ArticleFactory(headline="SECRET-HEADLINE", **HIDDEN_STATES[state], bylines=1, quotes=2)
    speaker = article.quotes.first().speaker
    contributor = article.bylines.first().contributor
    # A killed story's address answers 410 Gone with its notice, never with the story.
    expected = 410 if state == "killed" else 404
    for path in _api_paths(article):
        response = client.get(path)
        assert response.status_code == expected, path
        assert b"SECRET-HEADLINE" not in response.content, path
    for path in [
        "/api/v1/articles/",
        "/api/v1/quotes/",
        "/api/v1/speakers/",
        "/api/v1/contributors/",
        "/api/v1/images/",
        "/api/v1/tags/",
        "/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"SECRET-HEADLINE" not in response.content, path
        assert b"Words number" not in response.content, path
    # People known only from hidden stories do not exist for the API, not even as a filter value.
    assert client.get(f"/api/v1/contributors/{contributor.slug}/").status_code == 404
    assert client.get(f"/contributors/{contributor.slug}/").status_code == 404
    for path in [
        f"/api/v1/quotes/?speaker={speaker.slug}",
        f"/api/v1/articles/?speaker={speaker.slug}",
        f"/api/v1/articles/?contributor={contributor.slug}",
        f"/api/v1/quotes/?article={article.slug}",
        "/api/v1/articles/?q=SECRET",
    ]:
        response = client.get(path)
        assert response.status_code in (200, 400), path
        assert b"SECRET-HEADLINE" not in response.content and b"Words number" not in response.content, path
        assert response.status_code == 400 or response.json()["results"] == [], path
    assert client.get(f"/api/v1/speakers/{speaker.slug}/").status_code == 404
    assert client.get(f"/speakers/{speaker.slug}/").status_code == 404
    quote = QuoteFactory(article=article)
    assert client.get(f"/api/v1/quotes/{quote.pk}/").status_code == 404


def test_public_story_shows_on_every_surface(client):
    article = PublishedArticleFactory(bylines=1, quotes=2)
    speaker = article.quotes.first().speaker
    for path in [
        f"/api/v1/articles/{article.slug}/",
        f"/stories/{article.slug}/",
        "/api/v1/articles/",
        f"/api/v1/speakers/{speaker.slug}/",
        "/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert article.headline.encode() in response.content, path
