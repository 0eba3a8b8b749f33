"""The edge (articles/edge.py): warm public responses answered before the stack, never stale."""

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.throttling import AnonRateThrottle

from articles import caching, documents, edge, preview
from articles.api.views import ArticleViewSet
from articles.invalidation import on_article_saved
from articles.models import Article
from articles.services.scheduling import articles_publish_due
from articles.services.workflow import article_unpublish
from contributors.models import Contributor
from newsroom.cache import count_and_get_many
from tests.factories import ArticleFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def response_cache(settings):
    settings.NEWSROOM_RESPONSE_CACHE = True


def url(article):
    return f"/api/v1/articles/{article.slug}/"


def warm(client, path, **headers):
    """Requests until the edge holds the response: the first teaches it the path, the second is kept."""
    responses = [client.get(path, headers=headers) for _ in range(2)]
    assert {r.status_code for r in responses} == {200}
    return responses[-1]


def test_a_warm_story_is_answered_without_a_query_and_exactly_as_the_stack_answered(
    client, settings, django_assert_num_queries
):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.com"]
    article = PublishedArticleFactory(bylines=1, quotes=3)
    built = warm(client, url(article), origin="https://www.example.com")
    with django_assert_num_queries(0):
        served = client.get(url(article), headers={"origin": "https://www.example.com"})
    assert served.status_code == 200
    assert served.content == built.content
    for name in (
        "ETag",
        "Last-Modified",
        "Cache-Control",
        "Surrogate-Key",
        "Vary",
        "Content-Type",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Access-Control-Allow-Origin",
    ):
        assert served[name] == built[name], name
    assert served["Access-Control-Allow-Origin"] == "https://www.example.com"


def test_another_origin_gets_its_own_cors_answer(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.com"]
    article = PublishedArticleFactory(bylines=1, quotes=1)
    warm(client, url(article), origin="https://www.example.com")
    for _ in range(3):
        stranger = client.get(url(article), headers={"origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in stranger


def test_lists_pages_and_feeds_are_answered_warm_without_a_query(client, django_assert_num_queries):
    PublishedArticleFactory(bylines=1, quotes=1)
    for path in ("/api/v1/articles/", "/api/v1/quotes/", "/feed/", "/"):
        built = warm(client, path)
        with django_assert_num_queries(0):
            served = client.get(path)
        assert (served.status_code, served.content) == (200, built.content), path


def test_an_edit_is_never_served_stale(client):
    article = PublishedArticleFactory(bylines=1, quotes=2)
    warm(client, url(article))
    article.headline, article.version = "A new headline", article.version + 1
    article.save()
    assert client.get(url(article)).json()["headline"] == "A new headline"


def test_changes_outside_the_story_row_reach_the_edge(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    warm(client, url(article))
    contributor = article.bylines.get().contributor
    contributor.name = "Renamed Reporter"
    contributor.save()
    assert client.get(url(article)).json()["bylines"][0]["name"] == "Renamed Reporter"
    warm(client, url(article))
    speaker = article.quotes.first().speaker
    speaker.title = "Former minister"
    speaker.save()
    assert client.get(url(article)).json()["quotes"][0]["speaker"]["title"] == "Former minister"


def test_a_story_leaving_the_public_leaves_the_edge(client, editor):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    warm(client, url(article))
    article_unpublish(article=article, by=editor, note="Legal review")
    assert client.get(url(article)).status_code == 404


def test_a_change_made_by_a_queryset_update_reaches_the_edge(client, django_capture_on_commit_callbacks):
    # The go-live pass claims stories with an update, which sends no save signal; its announcement,
    # made once the claim commits, turns the story's token.
    story = ArticleFactory(status=Article.Status.SCHEDULED, go_live_at=timezone.now() - timedelta(minutes=1))
    version = warm(client, url(story)).json()["version"]
    with django_capture_on_commit_callbacks(execute=True):
        articles_publish_due()
    assert client.get(url(story)).json()["version"] == version + 1


def test_a_response_built_while_the_story_changed_is_not_kept(client, monkeypatch, django_assert_num_queries):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    client.get(url(article))  # the edge learns which story the address shows
    caching.stamp_articles([article.pk])  # an edit: the story is built by the stack again
    retrieve = ArticleViewSet.retrieve

    def changed_meanwhile(self, request, *args, **kwargs):
        response = retrieve(self, request, *args, **kwargs)
        caching.rotate_story_states([article.pk])  # a commit lands after the rows were read
        return response

    monkeypatch.setattr(ArticleViewSet, "retrieve", changed_meanwhile)
    client.get(url(article))
    monkeypatch.setattr(ArticleViewSet, "retrieve", retrieve)
    # Neither from the edge nor from the story's document: 1 the document (stale), 2 the story's update
    # time, 3-5 the build, 6 the document kept
    with django_assert_num_queries(6):
        assert client.get(url(article)).status_code == 200


def test_nothing_is_served_past_the_story_expiry(client):
    article = PublishedArticleFactory(expires_at=timezone.now() + timedelta(seconds=30))
    warm(client, url(article))
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert client.get(url(article)).status_code == 404


def test_the_remaining_freshness_shrinks_toward_the_expiry(client):
    article = PublishedArticleFactory(expires_at=timezone.now() + timedelta(seconds=600))
    warm(client, url(article))
    with time_machine.travel(timezone.now() + timedelta(seconds=590)):
        max_age = int(client.get(url(article))["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 10


def test_conditional_requests_answer_304_from_the_edge(client, django_assert_num_queries):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    etag = warm(client, url(article))["ETag"]
    with django_assert_num_queries(0):
        response = client.get(url(article), headers={"if-none-match": etag})
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and response["Surrogate-Key"]
    assert client.get(url(article), headers={"if-none-match": '"other"'}).status_code == 200


def test_credentials_never_meet_the_edge(client, api_client, editor):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    warm(client, url(article))
    _, token = AuthToken.objects.create(user=editor)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get(url(article))["Cache-Control"] == "private, no-store"
    client.force_login(editor)
    assert client.get(url(article))["Cache-Control"] == "private, no-store"


def test_the_api_throttle_still_applies(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "4/min", "user": "1000/min"})
    article = PublishedArticleFactory(bylines=1, quotes=1)
    statuses = [client.get(url(article)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_an_address_given_to_another_story_shows_that_story(client):
    first = PublishedArticleFactory(bylines=1, quotes=1)
    old = url(first)
    warm(client, old)
    taken = first.slug
    first.slug = f"{taken}-renamed"
    first.save()
    assert client.get(old).status_code == 301  # to the story's new address
    second = PublishedArticleFactory(slug=taken)  # a story now lives there: it wins over the redirect
    assert client.get(old).json()["headline"] == second.headline


def test_with_a_lagging_replica_fresh_changes_are_not_kept(
    client, settings, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(edge, "replica_configured", lambda: True)
    settings.NEWSROOM_PURGE_DELAY = 60
    article = PublishedArticleFactory(bylines=1, quotes=1)
    caching.rotate_story_states([article.pk])
    warm(client, url(article))
    with django_assert_num_queries(1):
        client.get(url(article))
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        warm(client, url(article))
        with django_assert_num_queries(0):
            client.get(url(article))


# In front of Django: the WSGI application answers hits before a request object exists.


def wsgi_get(path, **headers):
    from newsroom.wsgi import application

    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "REMOTE_ADDR": "127.0.0.1",
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=headers)

    # As the test client does: the test's transaction must outlive the request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        chunks = application(environ, start_response)
        body = b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    return started["status"], dict(started["headers"]), body


def test_the_wsgi_application_answers_warm_stories_before_django(client, django_assert_num_queries):
    article = PublishedArticleFactory(bylines=1, quotes=2)
    built = warm(client, url(article))
    with django_assert_num_queries(0):
        status, headers, body = wsgi_get(url(article))
    assert status == "200 OK" and body == built.content
    assert (
        headers["ETag"] == built["ETag"]
        and headers["Content-Security-Policy"] == built["Content-Security-Policy"]
    )
    status, headers, body = wsgi_get(url(article), if_none_match=built["ETag"])
    assert (status, body) == ("304 Not Modified", b"") and "Content-Type" not in headers
    article.headline, article.version = "Changed at the desk", article.version + 1
    article.save()
    status, _, body = wsgi_get(url(article))
    assert status == "200 OK" and json.loads(body)["headline"] == "Changed at the desk"


def test_the_wsgi_application_passes_everything_else_to_django(client):
    status, headers, _ = wsgi_get("/api/v1/articles/no-such-story/")
    assert status.startswith("404")
    status, _, _ = wsgi_get("/api/v1/articles/", authorization="Token not-a-real-one")
    assert status.startswith("401")


def test_a_process_that_did_not_build_a_story_learns_it_from_the_first_hit(client, monkeypatch):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    warm(client, url(article))
    monkeypatch.setattr(edge, "_stories", {})  # another worker process: the response is in the cache
    store, trips = caching.cache(), []

    class Counting:
        def get_many(self, keys):
            trips.append(len(keys))
            return store.get_many(keys)

        def count_and_get_many(self, keys, counters):
            # One round trip on Redis, rate-limit counters included.
            trips.append(len(keys))
            return count_and_get_many(store, keys, counters)

        def get(self, key, *args):
            trips.append(1)
            return store.get(key, *args)

    monkeypatch.setattr(caching, "cache", Counting)
    assert client.get(url(article)).status_code == 200
    assert trips == [2, 1]  # the response and a token it did not depend on, then the story's token
    assert client.get(url(article)).status_code == 200
    assert trips == [2, 1, 2]  # from then on, one round trip per request


def test_a_percent_encoded_preview_token_is_never_shared_or_kept(client):
    # Django decodes "%70review" to "preview": the token opens the draft, so the page must stay private.
    draft = ArticleFactory(status=Article.Status.DRAFT)
    token = preview.make_token(draft, lifetime=timedelta(hours=1))
    path = f"/stories/{draft.slug}/?%70review={token}"
    response = client.get(path)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    client.get(path)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):  # the token has expired
        assert client.get(path).status_code == 404


def test_a_stamp_read_before_its_change_committed_does_not_keep_the_old_rows(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    # A contributor is renamed in a transaction: the signal writes the stamp (and turns the token) at
    # once, the rename commits a little later. A reader in between reads the new stamp and the old rows.
    article = PublishedArticleFactory(bylines=1, quotes=1)
    client.get(url(article))  # the edge learns the address
    caching.stamp_articles([article.pk])  # an edit: the story is built by the stack again
    contributor = article.bylines.get().contributor
    detail_target = ArticleViewSet.detail_target

    def while_the_rename_is_in_flight(self):
        caching.stamp_articles([article.pk])  # what on_related_saved does before the commit
        return detail_target(self)

    monkeypatch.setattr(ArticleViewSet, "detail_target", while_the_rename_is_in_flight)
    with django_capture_on_commit_callbacks() as on_commit:
        assert client.get(url(article)).json()["bylines"][0]["name"] == contributor.name  # old rows
    monkeypatch.setattr(ArticleViewSet, "detail_target", detail_target)
    Contributor.objects.filter(pk=contributor.pk).update(name="Renamed Reporter")  # the commit lands
    for callback in on_commit:
        callback()
    assert client.get(url(article)).json()["bylines"][0]["name"] == "Renamed Reporter"


def test_a_list_built_before_an_edit_committed_is_not_kept(client, django_capture_on_commit_callbacks):
    # An editor saves a live story in the admin: post_save bumps the generation before the commit. A
    # reader in between makes a new generation and builds the list from the old rows.
    article = PublishedArticleFactory(bylines=1, quotes=1)
    warm(client, "/api/v1/articles/")
    with django_capture_on_commit_callbacks() as on_commit:
        on_article_saved(Article, article)  # the save's signal, before the commit
    assert client.get("/api/v1/articles/").status_code == 200  # old rows, under the new generation
    Article.objects.filter(pk=article.pk).update(headline="Changed at the desk")  # the commit lands
    # with the stories' document stamps, raised in the change's own transaction (so never seen before it)
    documents.mark_stale([article.pk])
    for callback in on_commit:
        callback()
    headlines = [a["headline"] for a in client.get("/api/v1/articles/").json()["results"]]
    assert headlines == ["Changed at the desk"]


def test_a_stamp_lost_to_eviction_does_not_bring_back_an_old_response(client):
    # docker-compose's Redis evicts any key (allkeys-lru): a stamp key may go while an old entry stays.
    # An old story: its stamp went long ago, and its response was stored without one.
    article = PublishedArticleFactory(bylines=1, quotes=1)
    caching.cache().delete(caching.stamp_key(article.pk))
    warm(client, url(article))
    contributor = article.bylines.get().contributor
    contributor.name = "Renamed Reporter"
    contributor.save()
    caching.cache().delete(caching.stamp_key(article.pk))  # evicted again, while the old entry stays
    assert client.get(url(article)).json()["bylines"][0]["name"] == "Renamed Reporter"


def test_repeated_parameters_in_another_order_are_another_request(client):
    # Django reads the last of repeated values: the first asks for 20 stories, the second for one.
    PublishedArticleFactory(bylines=1, quotes=1), PublishedArticleFactory(bylines=1, quotes=1)
    assert len(client.get("/api/v1/articles/?page_size=1&page_size=20").json()["results"]) == 2
    assert len(client.get("/api/v1/articles/?page_size=20&page_size=1").json()["results"]) == 1


def test_a_request_without_path_info_reaches_django(client):
    # PEP 3333 lets a server leave PATH_INFO out for the root; nothing may escape Django's error handling.
    from newsroom.wsgi import application

    environ = {
        "REQUEST_METHOD": "GET",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    started = {}
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        application(environ, lambda status, headers, exc_info=None: started.update(status=status))
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    assert started["status"] == "200 OK"


def test_a_failing_lookup_leaves_the_answer_to_django(client, monkeypatch):
    article = PublishedArticleFactory(bylines=1, quotes=1)

    def broken(environ):
        raise ValueError("unreadable entry")

    monkeypatch.setattr(edge, "lookup", broken)
    status, _, body = wsgi_get(url(article))
    assert status == "200 OK" and json.loads(body)["slug"] == article.slug
    assert client.get(url(article)).status_code == 200  # and through the middleware


def test_a_list_asked_for_under_one_host_never_hands_that_host_to_another(client, settings):
    settings.SITE_URL = "https://news.example.com"
    PublishedArticleFactory.create_batch(3)
    path = "/api/v1/articles/?page_size=1"
    # Built, then kept and answered by the edge; then the other host: the response cache, then the edge.
    first = [client.get(path, headers={"host": "localhost:8150"}) for _ in range(3)]
    second = [client.get(path, headers={"host": "127.0.0.1:8150"}) for _ in range(3)]
    secure = [client.get(path, headers={"host": "127.0.0.1:8150"}, secure=True) for _ in range(2)]
    for response in first + second + secure:
        assert response.status_code == 200
        assert response.json()["next"].startswith("https://news.example.com/api/v1/articles/?")
    assert len({response.content for response in first + second + secure}) == 1


def test_a_throttled_api_hit_costs_one_round_trip_and_counts_once(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "1000/min"})
    article = PublishedArticleFactory(bylines=1, quotes=1)
    warm(client, url(article))  # two requests: the edge now holds the response
    store, trips = caching.cache(), []

    class Counting:
        def count_and_get_many(self, keys, counters):
            trips.append((len(keys), len(counters)))
            return count_and_get_many(store, keys, counters)

        def get(self, key, *args):
            trips.append((1, 0))
            return store.get(key, *args)

    monkeypatch.setattr(caching, "cache", Counting)
    assert client.get(url(article)).status_code == 200
    # The response, its story's token and the reader's counter, which both rate limits share, together.
    assert trips == [(2, 1)]
    assert client.get(url(article)).status_code == 429  # the fourth request in the minute


def test_in_front_of_django_a_list_kept_for_one_host_carries_no_host_to_another(settings):
    settings.SITE_URL = "https://news.example.com"
    PublishedArticleFactory.create_batch(3)
    hosts = ["localhost:8150"] * 3 + ["127.0.0.1:8150"] * 3
    answers = [wsgi_get("/api/v1/articles/?page_size=1", host=host) for host in hosts]
    assert {status for status, _, _ in answers} == {"200 OK"}
    for _, _, body in answers:
        assert json.loads(body)["next"].startswith("https://news.example.com/api/v1/articles/?")
    assert len({body for _, _, body in answers}) == 1
