from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from knox.models import AuthToken

from articles import caching
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    PublishedArticleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def response_cache(settings):
    settings.NEWSROOM_RESPONSE_CACHE = True


def detail(client, article, **headers):
    return client.get(f"/api/v1/articles/{article.slug}/", headers=headers)


def test_public_detail_names_validators_shared_caching_and_its_keys(client):
    article = PublishedArticleFactory(bylines=1, quotes=2)
    contributor = article.bylines.get().contributor
    speaker = article.quotes.first().speaker
    response = detail(client, article)
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Last-Modified"]
    assert response["Cache-Control"].startswith("public, max-age=")
    assert "stale-while-revalidate=" in response["Cache-Control"]
    assert {"Accept", "Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    keys = response["Surrogate-Key"].split()
    assert {f"article-{article.pk}", f"contributor-{contributor.pk}", f"speaker-{speaker.pk}"} <= set(keys)
    assert response["Cache-Tag"].split(",") == keys


def test_list_names_every_story_and_the_list_itself(client):
    first, second = PublishedArticleFactory(bylines=1, quotes=1), PublishedArticleFactory(bylines=1, quotes=1)
    keys = client.get("/api/v1/articles/")["Surrogate-Key"].split()
    assert keys[0] == "articles-list"
    assert {f"article-{first.pk}", f"article-{second.pk}"} <= set(keys)


def test_conditional_get_answers_304_from_one_query(client, django_assert_num_queries):
    article = PublishedArticleFactory(bylines=1, quotes=3)
    etag = detail(client, article)["ETag"]
    # 1 the story's version and update time, which also applies the publication rule
    with django_assert_num_queries(1):
        response = detail(client, article, if_none_match=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_answers_304(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    last_modified = detail(client, article)["Last-Modified"]
    assert detail(client, article, if_modified_since=last_modified).status_code == 304


def test_a_changed_etag_gets_the_full_response(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    assert detail(client, article, if_none_match='"something-else"').status_code == 200


@pytest.mark.parametrize("quotes", [5, 200])
def test_warm_detail_costs_one_query_whatever_the_story_size(client, django_assert_num_queries, quotes):
    article = PublishedArticleFactory(bylines=1, quotes=quotes)
    cold = detail(client, article)
    # 1 the story's version and update time; the bytes come from the cache
    with django_assert_num_queries(1):
        warm = detail(client, article)
    assert warm.content == cold.content and warm["ETag"] == cold["ETag"]
    assert len(warm.json()["quotes"]) == quotes


def test_an_edit_is_never_served_stale(client):
    article = PublishedArticleFactory(bylines=1, quotes=2)
    etag = detail(client, article)["ETag"]
    article.headline, article.version = "A new headline", article.version + 1
    article.save()
    response = detail(client, article, if_none_match=etag)
    assert response.status_code == 200
    assert response.json()["headline"] == "A new headline"


def test_changes_outside_the_story_row_reach_its_stored_response(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    detail(client, article)
    CorrectionFactory(article=article, note="The minister's name was misspelled.")
    assert detail(client, article).json()["corrections"][0]["note"] == "The minister's name was misspelled."
    contributor = article.bylines.get().contributor
    contributor.name = "Renamed Reporter"
    contributor.save()
    assert detail(client, article).json()["bylines"][0]["name"] == "Renamed Reporter"
    speaker = article.quotes.first().speaker
    speaker.title = "Former minister"
    speaker.save()
    assert detail(client, article).json()["quotes"][0]["speaker"]["title"] == "Former minister"


def test_a_killed_story_leaves_the_stored_list_and_its_detail(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    assert [a["slug"] for a in client.get("/api/v1/articles/").json()["results"]] == [article.slug]
    detail(client, article)
    article.status, article.killed_at = Article.Status.KILLED, timezone.now()
    article.save()
    assert client.get("/api/v1/articles/").json()["results"] == []
    assert detail(client, article).status_code == 410


def test_a_scheduled_story_appears_in_the_stored_list_at_go_live_without_any_event(client):
    go_live = timezone.now() + timedelta(hours=1)
    story = ArticleFactory(status=Article.Status.SCHEDULED, go_live_at=go_live)
    assert client.get("/api/v1/articles/").json()["results"] == []
    with time_machine.travel(go_live + timedelta(seconds=1)):
        assert [a["slug"] for a in client.get("/api/v1/articles/").json()["results"]] == [story.slug]


def test_no_one_may_keep_a_story_past_its_expiry(client):
    article = PublishedArticleFactory(expires_at=timezone.now() + timedelta(seconds=30))
    cache_control = detail(client, article)["Cache-Control"]
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert 0 <= max_age <= 30


def test_expired_story_disappears_from_the_stored_list(client):
    expires = timezone.now() + timedelta(minutes=5)
    PublishedArticleFactory(expires_at=expires)
    assert len(client.get("/api/v1/articles/").json()["results"]) == 1
    with time_machine.travel(expires + timedelta(seconds=1)):
        assert client.get("/api/v1/articles/").json()["results"] == []


def test_authenticated_responses_are_private_and_never_stored(client, api_client, django_assert_num_queries):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    _, token = AuthToken.objects.create(user=UserFactory(is_staff=True))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    private = api_client.get(f"/api/v1/articles/{article.slug}/")
    assert private.status_code == 200
    assert private["Cache-Control"] == "private, no-store"
    assert "Surrogate-Key" not in private
    assert private["ETag"] == Article.objects.get(pk=article.pk).etag  # what If-Match must send
    client.force_login(UserFactory(username="desk"))
    assert detail(client, article)["Cache-Control"] == "private, no-store"


def test_query_string_variants_are_stored_apart(client):
    for _ in range(3):
        PublishedArticleFactory()
    assert len(client.get("/api/v1/articles/", {"page_size": 1}).json()["results"]) == 1
    assert len(client.get("/api/v1/articles/").json()["results"]) == 3


def test_drafts_are_not_found_like_any_unknown_address_and_browsers_keep_nothing(client):
    draft = ArticleFactory()
    response = detail(client, draft)
    unknown = client.get("/api/v1/articles/no-such-story/")
    assert response.status_code == unknown.status_code == 404
    assert response.content == unknown.content
    # Browsers ask again every time; with no purger the CDN keeps nothing either.
    assert response["Cache-Control"].startswith("public, max-age=0,")
    assert response["Surrogate-Control"].startswith("max-age=0,")
    assert response["Surrogate-Key"] == f"slug-{draft.slug}"


def test_list_costs_no_query_warm_and_a_fixed_number_cold(client, django_assert_num_queries):
    for _ in range(3):
        story = PublishedArticleFactory(bylines=1, quotes=2)
        BylineFactory(article=story, position=1)
    client.get("/api/v1/articles/")  # the stories' rows are stored (see test_api.py for that budget)
    caching.cache().clear()
    # 1 the next go-live/embargo/expiry (the generation), 2 the page of stories with their stored rows
    with django_assert_num_queries(2):
        cold = client.get("/api/v1/articles/")
    with django_assert_num_queries(0):
        warm = client.get("/api/v1/articles/")
    assert warm.content == cold.content


@pytest.mark.parametrize(
    "path, key",
    [
        ("/api/v1/quotes/", "article-{article}"),
        ("/api/v1/speakers/", "speaker-{speaker}"),
        ("/api/v1/contributors/", "contributor-{contributor}"),
        ("/api/v1/speakers/{speaker_slug}/", "article-{article}"),
        ("/api/v1/contributors/{contributor_slug}/", "article-{article}"),
    ],
)
def test_every_public_endpoint_is_answered_warm_without_a_query(client, django_assert_num_queries, path, key):
    article = PublishedArticleFactory(bylines=1, quotes=3)
    speaker, contributor = article.quotes.first().speaker, article.bylines.get().contributor
    names = {
        "article": article.pk,
        "speaker": speaker.pk,
        "speaker_slug": speaker.slug,
        "contributor": contributor.pk,
        "contributor_slug": contributor.slug,
    }
    cold = client.get(path.format(**names))
    assert cold.status_code == 200
    with django_assert_num_queries(0):
        warm = client.get(path.format(**names))
    assert warm.content == cold.content
    assert key.format(**names) in warm["Surrogate-Key"].split()


def test_without_the_response_cache_headers_and_304_still_work(client, settings, django_assert_num_queries):
    settings.NEWSROOM_RESPONSE_CACHE = False
    article = PublishedArticleFactory(bylines=1, quotes=1)
    first = detail(client, article)
    assert first["Cache-Control"].startswith("public")
    assert detail(client, article, if_none_match=first["ETag"]).status_code == 304


@pytest.mark.parametrize("quotes", [5, 200])
def test_detail_costs_one_query_from_its_document_whatever_the_story_size(
    client, django_assert_num_queries, quotes
):
    article = PublishedArticleFactory(bylines=1, quotes=quotes)
    CorrectionFactory(article=article)
    # The first read ever: 1 the story and its document (none yet), 2-3 an empty document made and its
    # stamp read, 4 the story's update time, then the three of the build: 5 the story with tags, bylines,
    # corrections and lead renditions folded in, 6 blocks, 7 quotes; 8 the document kept
    with django_assert_num_queries(8):
        built = detail(client, article)
    assert len(built.json()["quotes"]) == quotes and len(built.json()["corrections"]) == 1
    # 1 the story, with the publication rule applied, and its current document
    with django_assert_num_queries(1):
        stored = detail(client, article)
    assert stored.content == built.content
    caching.stamp_articles([article.pk])
    # After a change: 1 the story and its stale document, 2 the story's update time, 3-5 the build, 6 the
    # document kept
    with django_assert_num_queries(6):
        assert detail(client, article).content == built.content


def test_the_story_page_and_feed_are_stored_and_name_their_keys(client, django_assert_num_queries):
    article = PublishedArticleFactory(bylines=1, quotes=2)
    page = client.get(article.get_absolute_url())
    assert page["Cache-Control"].startswith("public") and f"article-{article.pk}" in page["Surrogate-Key"]
    with django_assert_num_queries(0):
        again = client.get(article.get_absolute_url(), headers={"if-none-match": page["ETag"]})
    assert again.status_code == 304
    feed = client.get("/feed/")
    assert "feeds" in feed["Surrogate-Key"].split()
    with django_assert_num_queries(0):
        assert client.get("/feed/").content == feed.content


def test_a_new_story_reaches_the_stored_feed_and_front_page(client):
    client.get("/feed/"), client.get("/")
    story = PublishedArticleFactory(headline="Fresh off the desk")
    assert story.headline in client.get("/feed/").content.decode()
    assert story.headline in client.get("/").content.decode()
