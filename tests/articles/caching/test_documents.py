"""Stored documents (articles/documents.py): a story's detail from one query, never stale, on any install."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from knox.models import AuthToken

from articles import caching, documents, preview
from articles.api.views import ArticleViewSet
from articles.documents import StoryDocument
from articles.models import Article
from articles.services.workflow import article_kill, article_unpublish
from tests.factories import (
    ArticleFactory,
    CorrectionFactory,
    ImageFactory,
    PublishedArticleFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Headers the full stack sets that the stored document must send alike (the request id is per request).
SAME_HEADERS = (
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Surrogate-Control",
    "Surrogate-Key",
    "Cache-Tag",
    "Vary",
    "Allow",
    "Content-Length",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    # The default single-machine install: no Redis, no response cache.
    settings.NEWSROOM_RESPONSE_CACHE = False


def url(article):
    return f"/api/v1/articles/{article.slug}/"


def read(client, article, **headers):
    response = client.get(url(article), headers=headers)
    assert response.status_code == 200
    return response


def test_a_stored_document_answers_in_one_query_exactly_as_the_stack_did(client, django_assert_num_queries):
    article = PublishedArticleFactory(bylines=1, quotes=3)
    built = read(client, article)
    # 1 the story, with the publication rule applied, and its current document
    with django_assert_num_queries(1):
        stored = read(client, article)
    assert stored.content == built.content
    for name in SAME_HEADERS:
        assert stored[name] == built[name], name
    assert bytes(StoryDocument.objects.get(article=article).body) == built.content


def test_clients_asking_for_json_by_name_get_the_document(client, django_assert_num_queries):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    built = read(client, article)
    for accept in ("application/json", "*/*"):
        with django_assert_num_queries(1):
            assert read(client, article, accept=accept).content == built.content


def test_conditional_requests_answer_304_from_the_document(client, django_assert_num_queries):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    etag = read(client, article)["ETag"]
    with django_assert_num_queries(1):
        response = client.get(url(article), headers={"if-none-match": etag})
    assert response.status_code == 304 and response.content == b""


def edit_headline(article):
    article.headline, article.version = "A new headline", article.version + 1
    article.save()


def rename_contributor(article):
    contributor = article.bylines.get().contributor
    contributor.name = "Renamed Reporter"
    contributor.save()


def retitle_speaker(article):
    speaker = article.quotes.first().speaker
    speaker.title = "Former minister"
    speaker.save()


def rewrite_block(article):
    block = article.blocks.first()
    block.text = "Rewritten paragraph."
    block.save()


def recaption_picture(article):
    article.lead_image.caption = "A new caption"
    article.lead_image.save()


def add_correction(article):
    CorrectionFactory(article=article, note="An earlier version misspelt a name.")


def add_tag(article):
    article.tags.add(TagFactory(name="Added later"))


@pytest.mark.parametrize(
    ("change", "shows"),
    [
        (edit_headline, lambda data: data["headline"] == "A new headline"),
        (rename_contributor, lambda data: data["bylines"][0]["name"] == "Renamed Reporter"),
        (retitle_speaker, lambda data: data["quotes"][0]["speaker"]["title"] == "Former minister"),
        (rewrite_block, lambda data: data["body"][0]["html"] == "Rewritten paragraph."),
        (recaption_picture, lambda data: data["lead_image"]["caption"] == "A new caption"),
        (add_correction, lambda data: data["corrections"][-1]["note"].startswith("An earlier")),
        (add_tag, lambda data: "Added later" in [tag["name"] for tag in data["tags"]]),
    ],
)
def test_every_change_to_what_a_story_shows_reaches_its_document(client, change, shows):
    article = PublishedArticleFactory(bylines=1, quotes=2, lead_image=ImageFactory())
    read(client, article), read(client, article)
    change(article)
    assert shows(read(client, article).json())
    # And the rebuilt document is the one kept.
    assert shows(read(client, article).json())


def test_a_document_built_while_the_story_changed_is_not_kept(client, monkeypatch):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    read(client, article)
    caching.stamp_articles([article.pk])
    retrieve = ArticleViewSet.retrieve

    def changed_meanwhile(self, request, *args, **kwargs):
        response = retrieve(self, request, *args, **kwargs)
        # A change commits after the rows were read and before the document is kept.
        Article.objects.filter(pk=article.pk).update(headline="Changed meanwhile")
        caching.rotate_story_states([article.pk])
        return response

    monkeypatch.setattr(ArticleViewSet, "retrieve", changed_meanwhile)
    assert read(client, article).json()["headline"] != "Changed meanwhile"
    monkeypatch.setattr(ArticleViewSet, "retrieve", retrieve)
    assert StoryDocument.objects.get(article=article).body is None
    assert read(client, article).json()["headline"] == "Changed meanwhile"


def test_a_scheduled_story_appears_at_its_go_live_time(client):
    go_live = timezone.now() + timedelta(minutes=5)
    article = ArticleFactory(status=Article.Status.SCHEDULED, go_live_at=go_live)
    assert client.get(url(article)).status_code == 404
    with time_machine.travel(go_live + timedelta(seconds=1)):
        read(client, article), read(client, article)


def test_nothing_is_served_past_the_story_expiry(client):
    article = PublishedArticleFactory(expires_at=timezone.now() + timedelta(seconds=30))
    read(client, article), read(client, article)
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert client.get(url(article)).status_code == 404


def test_the_remaining_freshness_shrinks_toward_the_expiry(client):
    article = PublishedArticleFactory(expires_at=timezone.now() + timedelta(seconds=600))
    read(client, article), read(client, article)
    with time_machine.travel(timezone.now() + timedelta(seconds=590)):
        max_age = int(read(client, article)["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 10


def test_a_killed_story_answers_410_not_its_document(client, editor):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    read(client, article), read(client, article)
    article_kill(article=article, by=editor, notice="Legal reasons.")
    assert client.get(url(article)).status_code == 410


def test_a_story_leaving_the_public_leaves_its_document_unused(client, editor):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    read(client, article), read(client, article)
    article_unpublish(article=article, by=editor, note="Legal review")
    assert client.get(url(article)).status_code == 404


def test_a_new_release_rebuilds_documents(client, settings, django_assert_num_queries):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    read(client, article)
    settings.NEWSROOM_RELEASE = "next"
    read(client, article)
    assert StoryDocument.objects.get(article=article).variant.startswith("next|")
    with django_assert_num_queries(1):
        read(client, article)


def test_other_variants_are_built_by_the_stack_and_never_stored(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.com"]
    article = PublishedArticleFactory(bylines=1, quotes=1)
    plain = read(client, article)
    origin = read(client, article, origin="https://www.example.com")
    assert origin["Access-Control-Allow-Origin"] == "https://www.example.com"
    assert "headline" not in client.get(url(article) + "?fields=slug").json()
    ninjs = client.get(url(article), headers={"accept": "application/ninjs+json"})
    assert ninjs["Content-Type"].startswith("application/ninjs+json")
    assert read(client, article).content == plain.content
    assert "Access-Control-Allow-Origin" not in read(client, article)


def test_signed_in_and_preview_reads_never_get_public_headers(client, editor):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    read(client, article), read(client, article)
    _, token = AuthToken.objects.create(UserFactory(is_staff=True))
    signed_in = read(client, article, authorization=f"Token {token}")
    assert signed_in["Cache-Control"] == "private, no-store"
    draft = ArticleFactory()
    response = client.get(url(draft), {preview.PARAMETER: preview.make_token(draft)})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response.json()["slug"] == draft.slug


# Lists: each story's row is stored with it too.


def built_by_the_serializer(client, monkeypatch, path):
    with monkeypatch.context() as patched:
        patched.setattr(ArticleViewSet, "reads_stored_rows", lambda self: False)
        return client.get(path)


@pytest.mark.parametrize(
    "path", ["/api/v1/articles/", "/api/v1/articles/?page_size=2", "/api/v1/articles/?tag="]
)
def test_a_list_from_stored_rows_is_exactly_the_serializers(
    client, monkeypatch, django_assert_num_queries, path
):
    tag = TagFactory()
    for _ in range(3):
        PublishedArticleFactory(bylines=1, quotes=2, lead_image=ImageFactory()).tags.add(tag)
    path = path + tag.slug if path.endswith("=") else path
    expected = built_by_the_serializer(client, monkeypatch, path)
    client.get(path)
    with django_assert_num_queries(2 if "tag" in path else 1):  # the tag filter reads its value first
        stored = client.get(path)
    assert stored.content == expected.content
    for name in ("Content-Type", "Surrogate-Key", "Cache-Control", "Vary"):
        assert stored[name] == expected[name], name


def test_a_change_to_a_story_reaches_its_list_row(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    client.get("/api/v1/articles/")
    rename_contributor(article)
    assert client.get("/api/v1/articles/").json()["results"][0]["bylines"][0]["name"] == "Renamed Reporter"
    article.refresh_from_db()
    edit_headline(article)
    assert client.get("/api/v1/articles/").json()["results"][0]["headline"] == "A new headline"


def test_a_list_row_built_while_the_story_changed_is_not_kept(client, monkeypatch):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    client.get("/api/v1/articles/")
    caching.stamp_articles([article.pk])
    keep_rows = documents.keep_rows

    def changed_meanwhile(built):
        Article.objects.filter(pk=article.pk).update(headline="Changed meanwhile")
        documents.mark_stale([article.pk])  # the change commits before the rows are kept
        keep_rows(built)

    monkeypatch.setattr(documents, "keep_rows", changed_meanwhile)
    client.get("/api/v1/articles/")
    monkeypatch.setattr(documents, "keep_rows", keep_rows)
    assert client.get("/api/v1/articles/").json()["results"][0]["headline"] == "Changed meanwhile"


def test_sparse_and_signed_in_lists_are_built_alike(client, monkeypatch):
    PublishedArticleFactory(bylines=1, quotes=1)
    client.get("/api/v1/articles/")
    sparse = client.get("/api/v1/articles/?fields=slug")
    assert list(sparse.json()["results"][0]) == ["slug"]
    _, token = AuthToken.objects.create(UserFactory(is_staff=True))
    signed_in = client.get("/api/v1/articles/", headers={"authorization": f"Token {token}"})
    assert signed_in["Cache-Control"] == "private, no-store"
    assert signed_in.content == built_by_the_serializer(client, monkeypatch, "/api/v1/articles/").content
