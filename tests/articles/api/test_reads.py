"""The read API: filters, ordering, search, pagination, sparse fields, errors and query budgets."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from articles import search
from articles.models import Article, Block, Image
from articles.services.seeding import placeholder_jpeg
from tests.factories import (
    ArticleFactory,
    BlockFactory,
    BylineFactory,
    PublishedArticleFactory,
    QuoteFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/articles/",
    "/api/v1/quotes/",
    "/api/v1/speakers/",
    "/api/v1/contributors/",
    "/api/v1/images/",
    "/api/v1/sections/",
    "/api/v1/tags/",
]

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


def image(caption="A picture"):
    return Image.objects.create(
        file=SimpleUploadedFile("picture.jpg", placeholder_jpeg(caption, size=(320, 200))), caption=caption
    )


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


# Errors


@pytest.mark.parametrize("path", LISTS)
def test_unknown_query_parameters_are_refused_by_name_on_every_list(client, path):
    response = client.get(f"{path}?secton=world")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "secton" in body["fields"] and "Unknown query parameter" in body["fields"]["secton"][0]["message"]


def test_errors_are_json_with_a_code_and_a_message(client, published_article):
    missing = client.get("/api/v1/articles/no-such-story/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert missing.json()["message"]
    nowhere = client.get("/api/v1/no-such-endpoint/")
    assert nowhere.status_code == 404 and nowhere.json()["code"] == "not_found"
    not_allowed = client.delete("/api/v1/quotes/")
    assert not_allowed.status_code in (401, 403, 405) and not_allowed.json()["code"]
    not_acceptable = client.get("/api/v1/articles/", HTTP_ACCEPT="application/xml")
    assert not_acceptable.status_code == 406 and not_acceptable.json()["code"] == "not_acceptable"


def test_a_crash_is_a_json_500_without_details(monkeypatch, published_article):
    from articles.api import views

    def explode(self):
        raise RuntimeError("SELECT secret FROM somewhere")

    monkeypatch.setattr(views.ArticleViewSet, "get_queryset", explode)
    response = Client(raise_request_exception=False).get("/api/v1/articles/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert b"SELECT" not in response.content and b"Traceback" not in response.content


def test_reader_pages_keep_html_errors(client):
    response = client.get("/stories/no-such-story/")
    assert response.status_code == 404 and not response["Content-Type"].startswith("application/json")


# Filtering and ordering


def test_articles_filter_by_section_tag_contributor_speaker_and_language(client):
    world, tag = SectionFactory(slug="world"), TagFactory(slug="bakhmut")
    match = PublishedArticleFactory(section=world, language="uk", bylines=1, quotes=1)
    match.tags.add(tag)
    other = PublishedArticleFactory(bylines=1, quotes=1)
    contributor = match.bylines.first().contributor
    speaker = match.quotes.first().speaker
    for query in [
        "section=world",
        "tag=bakhmut",
        f"contributor={contributor.slug}",
        f"speaker={speaker.slug}",
        "language=uk",
    ]:
        assert slugs(client.get(f"/api/v1/articles/?{query}")) == [match.slug], query
    assert other.slug in slugs(client.get("/api/v1/articles/"))


def test_a_contributor_credited_twice_on_a_story_lists_it_once(client):
    article = PublishedArticleFactory(bylines=1)
    byline = article.bylines.first()
    BylineFactory(article=article, contributor=byline.contributor, role="photographer")
    assert slugs(client.get(f"/api/v1/articles/?contributor={byline.contributor.slug}")) == [article.slug]


@pytest.mark.parametrize(
    "query, field",
    [
        ("section=nowhere", "section"),
        ("tag=nothing", "tag"),
        ("contributor=nobody", "contributor"),
        ("speaker=nobody", "speaker"),
        ("language=not a language", "language"),
        ("published_after=2024-05-01T00:00:00Z&published_before=2024-04-01T00:00:00Z", "published_before"),
        ("ordering=headline", "ordering"),
        ("page_size=ten", "page_size"),
        ("page_size=0", "page_size"),
        ("cursor=garbage", "cursor"),
        ("q=" + "x" * 201, "q"),
        ("q=null%00byte", "q"),
    ],
)
def test_invalid_article_filters_are_a_400_naming_the_parameter(client, query, field):
    response = client.get(f"/api/v1/articles/?{query}")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]


def test_articles_filter_by_publication_window(client):
    now = timezone.now()
    old = PublishedArticleFactory(go_live_at=now - timedelta(days=10))
    new = PublishedArticleFactory(go_live_at=now - timedelta(days=1))
    after = (now - timedelta(days=5)).isoformat().replace("+00:00", "Z")
    assert slugs(client.get(f"/api/v1/articles/?published_after={after}")) == [new.slug]
    assert slugs(client.get(f"/api/v1/articles/?published_before={after}")) == [old.slug]


def test_publication_window_takes_any_offset_python_reads_and_refuses_dates_off_the_calendar(client):
    story = PublishedArticleFactory(go_live_at=timezone.now() - timedelta(days=1))
    # PostgreSQL refuses offsets past 15:59; the filter compares in UTC instead.
    assert slugs(client.get("/api/v1/articles/?published_after=0121-10-11T20:59:43.6-18:13")) == [story.slug]
    response = client.get("/api/v1/articles/?published_before=0001-01-01T00:00:00%2B23:59")
    assert response.status_code == 400
    assert "published_before" in response.json()["fields"]


def test_articles_order_by_allow_listed_fields_in_either_direction(client):
    now = timezone.now()
    first = PublishedArticleFactory(go_live_at=now - timedelta(days=2))
    second = PublishedArticleFactory(go_live_at=now - timedelta(days=1))
    first.save()  # edited last
    assert slugs(client.get("/api/v1/articles/")) == [second.slug, first.slug]
    assert slugs(client.get("/api/v1/articles/?ordering=published_at")) == [first.slug, second.slug]
    assert slugs(client.get("/api/v1/articles/?ordering=-updated_at")) == [first.slug, second.slug]
    assert slugs(client.get("/api/v1/articles/?ordering=updated_at")) == [second.slug, first.slug]


def test_people_order_by_name_either_way(client):
    PublishedArticleFactory(bylines=1, quotes=1)
    PublishedArticleFactory(bylines=1, quotes=1)
    names = [s["name"] for s in client.get("/api/v1/speakers/").json()["results"]]
    assert names == sorted(names)
    assert [s["name"] for s in client.get("/api/v1/speakers/?ordering=-name").json()["results"]] == names[
        ::-1
    ]


def test_quotes_filter_by_article_and_refuse_hidden_stories(client, interview):
    draft = ArticleFactory(bylines=1, quotes=1)
    quotes = client.get(f"/api/v1/quotes/?article={interview.slug}").json()["results"]
    assert quotes and all(q["article"]["slug"] == interview.slug for q in quotes)
    assert client.get(f"/api/v1/quotes/?article={draft.slug}").status_code == 400


# Search


def test_search_finds_words_in_headline_dek_body_and_quotes(client):
    by_headline = PublishedArticleFactory(headline="Harbour reopens")
    by_dek = PublishedArticleFactory(dek="The lighthouse keeper retires.")
    by_body = PublishedArticleFactory(bylines=1)
    BlockFactory(article=by_body, position=1, text="Fishermen mend <em>nets</em> on the quay.")
    by_quote = PublishedArticleFactory(bylines=1)
    QuoteFactory(article=by_quote, text="The tide waits for nobody")
    for word, article in [
        ("harbour", by_headline),
        ("lighthouse", by_dek),
        ("nets", by_body),
        ("tide", by_quote),
    ]:
        assert slugs(client.get(f"/api/v1/articles/?q={word}")) == [article.slug], word


def test_search_obeys_the_publication_rule(client):
    PublishedArticleFactory(headline="Harbour reopens")
    ArticleFactory(headline="Harbour secret draft")
    ArticleFactory(
        headline="Harbour embargoed",
        status=Article.Status.PUBLISHED,
        go_live_at=timezone.now() - timedelta(hours=1),
        embargo_until=timezone.now() + timedelta(hours=1),
    )
    assert len(slugs(client.get("/api/v1/articles/?q=harbour"))) == 1


def test_search_needs_every_word(client):
    both = PublishedArticleFactory(headline="Harbour reopens", dek="Ferries are back.")
    PublishedArticleFactory(headline="Harbour closes")
    assert slugs(client.get("/api/v1/articles/?q=harbour ferries")) == [both.slug]


@on_postgresql
def test_postgresql_search_stems_and_ranks(client):
    in_body = PublishedArticleFactory(bylines=1)
    BlockFactory(article=in_body, position=1, text="Commanders discussed a retreat from the city.")
    in_headline = PublishedArticleFactory(headline="Zelensky resists calls to retreat")
    # "retreating" is stemmed to "retreat"; a headline match outranks a body match.
    assert slugs(client.get("/api/v1/articles/?q=retreating")) == [in_headline.slug, in_body.slug]


@on_postgresql
def test_postgresql_search_vector_follows_edits_to_blocks_and_quotes(client):
    article = PublishedArticleFactory(bylines=1)
    block = BlockFactory(article=article, position=1, text="Nothing to see.")
    assert slugs(client.get("/api/v1/articles/?q=pelican")) == []
    Block.objects.filter(pk=block.pk).update(text="A pelican landed.")
    assert slugs(client.get("/api/v1/articles/?q=pelican")) == [article.slug]
    block.delete()
    assert slugs(client.get("/api/v1/articles/?q=pelican")) == []


@on_postgresql
def test_postgresql_search_uses_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM articles_article "
            "WHERE search_vector @@ websearch_to_tsquery('english', 'bakhmut')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "articles_article_search_gin" in plan


@on_postgresql
def test_ranked_search_pages_through_every_result_once(client):
    for n in range(7):
        PublishedArticleFactory(headline=f"Harbour news {n}", dek="harbour " * n)
    seen, url = [], "/api/v1/articles/?q=harbour&page_size=3"
    while url:
        page = client.get(url).json()
        seen += [a["slug"] for a in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 7


# Pagination


def test_cursor_pages_stay_stable_while_new_stories_are_published(client):
    now = timezone.now()
    for n in range(4):
        PublishedArticleFactory(go_live_at=now - timedelta(hours=n + 1))
    first = client.get("/api/v1/articles/?page_size=2").json()
    PublishedArticleFactory(go_live_at=now - timedelta(minutes=1))
    second = client.get(first["next"]).json()
    seen = [a["slug"] for a in first["results"] + second["results"]]
    assert len(set(seen)) == 4 and second["next"] is None


# Sparse fields


def test_fields_trims_list_items_including_nested_objects(client, interview):
    data = client.get("/api/v1/articles/?fields=slug,headline,lead_image.url").json()
    assert data["results"] == [
        {
            "slug": interview.slug,
            "headline": interview.headline,
            "lead_image": {"url": data["results"][0]["lead_image"]["url"]},
        }
    ]
    assert data["results"][0]["lead_image"]["url"].startswith("http")


def test_fields_trims_the_detail_and_each_item_of_embedded_lists(client, interview):
    data = client.get(f"/api/v1/articles/{interview.slug}/?fields=headline,bylines.name").json()
    assert set(data) == {"headline", "bylines"}
    assert data["bylines"][0] == {"name": "Wolf Blitzer"}


@pytest.mark.parametrize("fields", ["slug,nonsense", "lead_image.nonsense", "headline.length", ","])
def test_unknown_fields_are_a_400_naming_them(client, interview, fields):
    response = client.get(f"/api/v1/articles/?fields={fields}")
    assert response.status_code == 400
    assert "fields" in response.json()["fields"]


# Resources


def test_images_are_those_shown_in_public_stories_only(client):
    lead, in_body, unused, in_draft = image("lead"), image("body"), image("unused"), image("draft")
    public = PublishedArticleFactory(lead_image=lead)
    Block.objects.create(article=public, position=0, type=Block.Type.IMAGE, image=in_body)
    ArticleFactory(lead_image=in_draft)
    listed = {item["id"] for item in client.get("/api/v1/images/").json()["results"]}
    assert listed == {lead.pk, in_body.pk}
    assert client.get(f"/api/v1/images/{lead.pk}/").json()["caption"] == "lead"
    for hidden in (unused, in_draft):
        assert client.get(f"/api/v1/images/{hidden.pk}/").status_code == 404


def test_sections_and_tags(client, interview):
    SectionFactory(slug="sport", name="Sport")  # on nothing public, like the tag below
    TagFactory(slug="secret-merger")  # only on nothing public
    sections = client.get("/api/v1/sections/").json()["results"]
    assert [s["slug"] for s in sections] == ["world"]
    assert client.get("/api/v1/sections/sport/").status_code == 404
    assert client.get("/api/v1/sections/world/").json() == {"name": "World", "slug": "world"}
    tags = [t["slug"] for t in client.get("/api/v1/tags/").json()["results"]]
    assert tags == ["bakhmut", "russia", "ukraine"]
    assert client.get("/api/v1/tags/secret-merger/").status_code == 404


def test_speaker_list_counts_public_quotes_only(client, interview):
    zelensky = next(
        s for s in client.get("/api/v1/speakers/").json()["results"] if s["slug"] == "volodymyr-zelensky"
    )
    assert zelensky["quote_count"] == interview.quotes.filter(speaker__slug="volodymyr-zelensky").count()
    QuoteFactory(article=ArticleFactory(), speaker=interview.quotes.first().speaker)
    again = client.get("/api/v1/speakers/?fields=slug,quote_count").json()["results"]
    assert {"slug": "volodymyr-zelensky", "quote_count": zelensky["quote_count"]} in again


def test_staff_read_endpoints_show_public_content_only(client, editor):
    draft = ArticleFactory(created_by=editor)
    client.force_login(editor)
    assert client.get(f"/api/v1/articles/{draft.slug}/").status_code == 404
    assert draft.slug not in slugs(client.get("/api/v1/articles/"))


# Query budgets: a fixed number of queries whatever the size of the content.


@pytest.mark.parametrize("quotes", [5, 200])
def test_read_endpoints_cost_a_fixed_number_of_queries(client, django_assert_num_queries, quotes):
    article = PublishedArticleFactory(section=SectionFactory(), lead_image=image(), bylines=1, quotes=quotes)
    article.tags.add(TagFactory())
    speaker = article.quotes.first().speaker
    contributor = article.bylines.first().contributor
    for _ in range(3):
        PublishedArticleFactory(bylines=1, quotes=2)
    if connection.vendor == "postgresql":
        search.postgres.statistics("default")
    budgets = [
        # Read first: 1 the page of stories with their stored rows (none yet), 2-3 their empty documents
        # made and their stamps read, 4 the stories with section and lead image, their tags, bylines with
        # contributors and the lead images' renditions folded in (articles/folding.py), 5 the rows kept
        ("/api/v1/articles/", 5),
        # Then: 1 the page of stories with their stored rows
        ("/api/v1/articles/", 1),
        # Read first: 1 the story and its document (the list made it, empty), 2 the article with the same
        # folded in, plus corrections, 3 blocks with quotes/images/embeds and the pictures' renditions,
        # 4 quotes with speakers, 5 the document kept
        (f"/api/v1/articles/{article.slug}/", 5),
        # Then: 1 the story and its current document
        (f"/api/v1/articles/{article.slug}/", 1),
        # 1 the section (filter value), then the list's 1
        (f"/api/v1/articles/?section={article.section.slug}", 2),
        # 1 the ranked matches. On PostgreSQL also: the query's lexemes (to choose the plan), and around
        # the matches the search's time limit — SET LOCAL, and inside the test's transaction a savepoint,
        # the settings' reset and the release (the column's statistics are read once per process).
        ("/api/v1/articles/?q=words", 6 if connection.vendor == "postgresql" else 1),
        # 1 quotes with speakers and stories
        ("/api/v1/quotes/", 1),
        # 1 the speaker (filter value), 2 quotes
        (f"/api/v1/quotes/?speaker={speaker.slug}", 2),
        # 1 speakers with their public quote counts
        ("/api/v1/speakers/", 1),
        # 1 the speaker, 2 their public quotes with stories
        (f"/api/v1/speakers/{speaker.slug}/", 2),
        ("/api/v1/contributors/", 1),
        # 1 the contributor, 2 latest bylines with stories, 3 their tags, 4 renditions of their lead images,
        # 5 their bylines with contributors
        (f"/api/v1/contributors/{contributor.slug}/", 5),
        # 1 images, 2 their renditions
        ("/api/v1/images/", 2),
        (f"/api/v1/images/{article.lead_image_id}/", 2),
        ("/api/v1/sections/", 1),
        ("/api/v1/tags/", 1),
        # Details of the small resources: one query each.
        (f"/api/v1/quotes/{article.quotes.first().pk}/", 1),
        (f"/api/v1/sections/{article.section.slug}/", 1),
        (f"/api/v1/tags/{article.tags.first().slug}/", 1),
    ]
    for path, queries in budgets:
        with django_assert_num_queries(queries):
            response = client.get(path)
        assert response.status_code == 200, path


# Limits and cross-origin


def test_too_many_requests_answer_429_with_retry_after(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "1000/min"})
    assert [client.get("/api/v1/sections/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/sections/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and int(response["Retry-After"]) > 0


def test_configured_frontend_origins_may_call_the_api(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.com"]
    allowed = client.get("/api/v1/articles/", HTTP_ORIGIN="https://www.example.com")
    assert allowed["Access-Control-Allow-Origin"] == "https://www.example.com"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/articles/",
        HTTP_ORIGIN="https://www.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, if-match",
    )
    assert "if-match" in preflight["Access-Control-Allow-Headers"]
    other = client.get("/api/v1/articles/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
