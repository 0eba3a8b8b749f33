import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import caching
from tests.factories import CorrectionFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db


def test_article_detail_carries_the_documented_fields(client, interview):
    data = client.get(f"/api/v1/articles/{interview.slug}/").json()
    for field in [
        "slug",
        "headline",
        "dek",
        "dateline",
        "published_at",
        "updated_at",
        "version",
        "bylines",
        "body",
        "quotes",
        "lead_image",
        "corrections",
        "tags",
        "url",
    ]:
        assert field in data, field
    assert data["url"].endswith(f"/stories/{interview.slug}/")
    assert {"name", "slug", "role"} <= set(data["bylines"][0])
    assert {"id", "text", "speaker"} <= set(data["quotes"][0])
    assert data["quotes"][0]["speaker"]["title"] == "President of Ukraine"
    assert {"url", "width", "height", "alt_text", "caption", "credit", "renditions"} <= set(
        data["lead_image"]
    )
    types = [block["type"] for block in data["body"]]
    assert types.count("image") == 1 and types.count("embed") == 1 and types[0] == "paragraph"
    assert all("type" in block for block in data["body"])


def test_image_blocks_embed_the_image_not_an_id(client, interview):
    body = client.get(f"/api/v1/articles/{interview.slug}/").json()["body"]
    image = next(block["image"] for block in body if block["type"] == "image")
    assert image["url"].startswith("http") and image["width"] == 1600


def test_corrections_appear_with_the_story(client):
    correction = CorrectionFactory(note="We misspelled the minister's name.")
    data = client.get(f"/api/v1/articles/{correction.article.slug}/").json()
    assert data["corrections"][0]["note"] == "We misspelled the minister's name."


@pytest.mark.parametrize("images", [0, 4])
@pytest.mark.parametrize("quotes", [5, 200])
def test_detail_costs_the_same_queries_whatever_the_story_size(
    client, django_assert_num_queries, quotes, images
):
    article = PublishedArticleFactory(bylines=1, quotes=quotes, images=images)
    # The first read: 1 the story, with the publication rule applied, and its document (none yet); 2-3 an
    # empty document made and its stamp read; then the build: 4 article with section and lead image, and
    # folded in (articles/folding.py): tags, bylines with contributors, corrections, the lead image's
    # renditions; 5 blocks with quotes/images/embeds and the pictures' renditions; 6 quotes with speakers;
    # 7 the document kept
    with django_assert_num_queries(7):
        built = client.get(f"/api/v1/articles/{article.slug}/")
    # From then on: 1 the story and its current document
    with django_assert_num_queries(1):
        response = client.get(f"/api/v1/articles/{article.slug}/")
    assert response.content == built.content
    data = response.json()
    assert len(data["quotes"]) == quotes
    if images:
        assert len(data["lead_image"]["renditions"]) == 2
        shown = [block["image"] for block in data["body"] if block["type"] == "image"]
        assert len(shown) == images - 1 and all(len(image["renditions"]) == 2 for image in shown)


@pytest.mark.parametrize("images", [0, 1])
def test_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries, images):
    for _ in range(3):
        article = PublishedArticleFactory(bylines=1, quotes=2, images=images)
    # The first read of stories never read before: 1 the page of stories with their stored rows (none yet),
    # 2-3 their empty documents made and their stamps read, 4 the stories with section and lead image,
    # their tags, bylines with contributors and lead images' renditions folded in, 5 their rows kept
    with django_assert_num_queries(5):
        built = client.get("/api/v1/articles/")
    # Then: 1 the page of stories with their stored rows
    with django_assert_num_queries(1):
        response = client.get("/api/v1/articles/")
    assert response.content == built.content
    caching.stamp_articles([article.pk])
    # After a change to one: 1 the page with the rows, 2 the changed story, built again, 3 its row kept
    with django_assert_num_queries(3):
        assert client.get("/api/v1/articles/").content == built.content
    results = response.json()["results"]
    assert len(results) == 3
    if images:
        # Modern formats first, JPEG fallback last: ready for <picture> sources.
        assert all(
            [(r["format"], r["width"]) for r in story["lead_image"]["renditions"]]
            == [("webp", 640), ("jpeg", 320)]
            for story in results
        )


def test_list_is_cursor_paginated_with_a_bounded_page_size(client):
    for _ in range(5):
        PublishedArticleFactory()
    first = client.get("/api/v1/articles/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert {a["slug"] for a in first["results"]}.isdisjoint(a["slug"] for a in second["results"])
    assert len(client.get("/api/v1/articles/?page_size=100000").json()["results"]) == 5


def test_quotes_filter_by_speaker_and_pull_quote(client, interview):
    quotes = client.get("/api/v1/quotes/?speaker=irina-vereshchuk").json()["results"]
    assert len(quotes) == 2 and all(q["speaker"]["name"] == "Irina Vereshchuk" for q in quotes)
    pulls = client.get("/api/v1/quotes/?is_pull_quote=true").json()["results"]
    assert [q["text"] for q in pulls] == ["It’s strategic for us,"]


def test_speaker_detail_lists_their_public_quotes(client, interview):
    data = client.get("/api/v1/speakers/mykhailo-podolic/").json()
    assert data["title"] == "Adviser to the Ukrainian presidency"
    assert len(data["quotes"]) == 2 and data["quotes"][0]["article"]["slug"] == interview.slug


def test_contributor_detail_lists_public_stories(client, interview):
    data = client.get("/api/v1/contributors/tim-lister/").json()
    assert [s["slug"] for s in data["stories"]] == [interview.slug]
    assert "user" not in data and "email" not in data


@pytest.mark.parametrize(
    "query", ["published_after=yesterday", "published_before=2024-13-45", "is_pull_quote=maybe"]
)
def test_invalid_query_parameters_are_a_400_with_a_field_message(client, query):
    path = "/api/v1/quotes/" if "pull" in query else "/api/v1/articles/"
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and query.split("=")[0] in body["fields"]
    assert body["fields"][query.split("=")[0]][0]["message"]


def test_anonymous_callers_cannot_write(client, published_article):
    assert client.post("/api/v1/articles/", {"headline": "x"}).status_code in (401, 403, 405)
    assert client.delete(f"/api/v1/articles/{published_article.slug}/").status_code in (401, 403, 405)


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/articles/{slug}/" in schema.json()["paths"]
    assert client.get("/api/docs/").status_code == 200


def test_query_budget_is_independent_of_story_size_in_captured_queries(client):
    small, large = PublishedArticleFactory(bylines=1, quotes=5), PublishedArticleFactory(bylines=1, quotes=60)
    counts = []
    for article in (small, large):
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/api/v1/articles/{article.slug}/")
        counts.append(len(queries))
    assert counts[0] == counts[1]
