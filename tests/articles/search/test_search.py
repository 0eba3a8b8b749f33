"""Search: what a query may ask, bounded cost for any input, the admin's search box, index upkeep."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Article, Block, Quote
from articles.search import InvalidSearch, SearchTimedOut, Terms, postgres, time_limit
from tests.factories import ArticleFactory, BlockFactory, PublishedArticleFactory, QuoteFactory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
ARTICLES = "/api/v1/articles/"


def slugs(response):
    assert response.status_code == 200, response.content
    return [article["slug"] for article in response.json()["results"]]


# What a query may ask


def test_terms_read_words_phrases_alternatives_and_exclusions():
    terms = Terms('harbour "open road" ferry OR boat -storm')
    assert terms.required == ["harbour"]
    assert terms.phrases == [["open", "road"]]
    assert terms.alternatives == [["ferry", "boat"]]
    assert terms.excluded == ["storm"]
    assert terms.text == 'harbour "open road" ferry OR boat -storm'
    assert terms.loose_text == "harbour open road ferry OR boat -storm"


def test_terms_treat_operators_and_punctuation_as_plain_text():
    terms = Terms("a & b | !c :* (d) <-> 'e' \\ \"unclosed")
    assert terms.required == ["a", "b", "c", "d", "e", "unclosed"]
    assert not Terms("& | ! () :*")


@pytest.mark.parametrize(
    "raw, message",
    [
        ("x" * 201, "at most 200 characters"),
        (" ".join(f"w{n}" for n in range(9)), "at most 8 words"),
        ("null\x00byte", "control characters"),
        ("bell\x07", "control characters"),
    ],
)
def test_terms_refuse_what_no_engine_should_be_asked(raw, message):
    with pytest.raises(InvalidSearch, match=message):
        Terms(raw)


HOSTILE = [
    "x" * 5000,
    " ".join(["word"] * 200),
    " OR ".join(f"w{n}" for n in range(50)),
    "a & b | !c :* (d) <-> 'e'",
    "\\",
    '"""',
    '"unclosed phrase',
    "OR OR OR",
    "- - -",
    "-excluded-only",
    "Київ Бахмут",
    "🦆🦆🦆",
    "\u202eright-to-left\u202c",
    "e\u0301e\u0301e\u0301",
    "%00",
    "null\x00byte",
    "%ff%fe",
    "' OR 1=1 --",
    "the and of",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_400_or_results_never_a_server_error(client, query):
    PublishedArticleFactory(headline="Harbour reopens")
    response = client.get(ARTICLES, {"q": query})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert "q" in response.json()["fields"]


def test_bytes_that_are_not_utf8_answer_400_or_results(client):
    response = client.get(f"{ARTICLES}?q=%ED%A0%80%ff%fe")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_in_the_admin_search_box_never_fail(client, editor, query):
    PublishedArticleFactory(headline="Harbour reopens")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"), {"q": query})
    assert response.status_code == 200


# Bounded cost


def test_a_search_past_its_time_limit_is_stopped():
    with pytest.raises(SearchTimedOut), time_limit("default", milliseconds=50), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(2)")
        else:
            cursor.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
                "SELECT count(*) FROM n"
            )


def test_the_time_limit_ends_with_the_search():
    with time_limit("default", milliseconds=50), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(0.2)")
        else:
            cursor.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) "
                "SELECT count(*) FROM n"
            )


class Stopped:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        raise SearchTimedOut

    def __exit__(self, *exc):
        return False


def test_a_search_stopped_at_its_time_limit_answers_400_naming_q(client, monkeypatch):
    PublishedArticleFactory(headline="Harbour reopens")
    monkeypatch.setattr(search, "time_limit", Stopped)
    response = client.get(f"{ARTICLES}?q=harbour")
    assert response.status_code == 400
    assert "too long" in response.json()["fields"]["q"][0]["message"]


def test_a_search_stopped_at_its_time_limit_in_the_admin_says_so(client, editor, monkeypatch):
    PublishedArticleFactory(headline="Harbour reopens")
    client.force_login(editor)
    monkeypatch.setattr(search, "time_limit", Stopped)
    response = client.get(f"{reverse('admin:articles_article_changelist')}?q=harbour", follow=True)
    assert response.status_code == 200
    assert "takes too long" in response.content.decode()


def test_only_the_newest_matches_are_ranked_and_a_date_order_reaches_every_match(client, settings):
    settings.SEARCH_CANDIDATES = 3
    now = timezone.now()
    stories = [
        PublishedArticleFactory(headline=f"Harbour news {n}", go_live_at=now - timedelta(days=n + 1))
        for n in range(5)
    ]
    ranked = slugs(client.get(f"{ARTICLES}?q=harbour"))
    assert sorted(ranked) == sorted(story.slug for story in stories[:3])
    dated = slugs(client.get(f"{ARTICLES}?q=harbour&ordering=-published_at"))
    assert dated == [story.slug for story in stories]


def test_headline_matches_rank_first_on_every_database(client):
    now = timezone.now()
    in_body = PublishedArticleFactory(go_live_at=now - timedelta(hours=1), bylines=1)
    BlockFactory(article=in_body, position=1, text="The harbour master spoke.")
    in_dek = PublishedArticleFactory(dek="Harbour fees rise.", go_live_at=now - timedelta(hours=2))
    in_headline = PublishedArticleFactory(headline="Harbour reopens", go_live_at=now - timedelta(hours=3))
    assert slugs(client.get(f"{ARTICLES}?q=harbour")) == [in_headline.slug, in_dek.slug, in_body.slug]


def test_phrases_match_words_in_order(client):
    together = PublishedArticleFactory(bylines=1)
    BlockFactory(article=together, position=1, text="An open road to the east.")
    apart = PublishedArticleFactory(bylines=1)
    BlockFactory(article=apart, position=1, text="The road is open again.")
    assert slugs(client.get(f'{ARTICLES}?q="open road"')) == [together.slug]
    assert sorted(slugs(client.get(f"{ARTICLES}?q=open road"))) == sorted([together.slug, apart.slug])


def test_alternatives_and_exclusions(client):
    ferry = PublishedArticleFactory(headline="Ferry strike")
    boat = PublishedArticleFactory(headline="Boat strike")
    PublishedArticleFactory(headline="Rail strike")
    assert sorted(slugs(client.get(f"{ARTICLES}?q=ferry OR boat"))) == sorted([ferry.slug, boat.slug])
    assert slugs(client.get(f"{ARTICLES}?q=strike -rail -boat")) == [ferry.slug]


@on_postgresql
def test_common_words_walk_the_date_index_and_rare_ones_use_the_gin_index(monkeypatch):
    monkeypatch.setattr(postgres, "statistics", lambda using: ({"said": 0.98, "bakhmut": 0.02}, 0.001, 1e6))
    assert postgres.walks("default", Terms("said"), 200)
    assert not postgres.walks("default", Terms("bakhmut"), 200)
    assert not postgres.walks("default", Terms("zanrigorzan"), 200)
    assert not postgres.walks("default", Terms("said bakhmut"), 200)


@on_postgresql
def test_lexeme_statistics_are_read_once_per_process(django_assert_num_queries):
    postgres._statistics.clear()
    with django_assert_num_queries(1):
        postgres.statistics("default")
        postgres.statistics("default")


# The admin's search box


def changelist(client, query):
    return client.get(reverse("admin:articles_article_changelist"), {"q": query}).content.decode()


def test_admin_search_finds_stories_by_headline_standfirst_body_and_quotes(client, editor):
    client.force_login(editor)
    by_headline = ArticleFactory(headline="Harbour reopens")
    by_dek = ArticleFactory(dek="The lighthouse keeper retires.")
    by_body = ArticleFactory()
    BlockFactory(article=by_body, position=0, text="Fishermen mend nets on the quay.")
    by_quote = ArticleFactory()
    QuoteFactory(article=by_quote, text="The tide waits for nobody")
    for word, article in [
        ("harbour", by_headline),
        ("lighthouse", by_dek),
        ("fishermen", by_body),
        ("tide", by_quote),
    ]:
        page = changelist(client, word)
        assert article.headline in page, word
        assert "1 article" in page or "1 result" in page or "1 story" in page, word


def test_admin_search_shows_reporters_their_own_drafts_only(client, reporter, other_reporter):
    mine = ArticleFactory(headline="Harbour draft of mine", created_by=reporter)
    theirs = ArticleFactory(headline="Harbour draft of theirs", created_by=other_reporter)
    client.force_login(reporter)
    page = changelist(client, "harbour")
    assert mine.headline in page
    assert theirs.headline not in page


def test_admin_search_uses_the_search_engine_not_substring_matching(client, editor):
    client.force_login(editor)
    ArticleFactory(headline="Harbour reopens")
    with CaptureQueriesContext(connection) as queries:
        changelist(client, "harbour")
    sql = " ".join(query["sql"] for query in queries.captured_queries if "articles_block" in query["sql"])
    if connection.vendor == "postgresql":
        assert "@@" in " ".join(query["sql"] for query in queries.captured_queries)
        assert "articles_block" not in sql


def test_admin_story_list_costs_the_same_queries_whatever_the_number_of_matches(client, editor):
    client.force_login(editor)
    counts = []
    for extra in (1, 6):
        for _ in range(extra):
            ArticleFactory(headline="Harbour news", bylines=1, quotes=2)
        with CaptureQueriesContext(connection) as queries:
            changelist(client, "harbour")
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_admin_counts_exactly_up_to_the_limit_and_estimates_beyond(client, editor, monkeypatch):
    from articles.admin import search as search_admin

    client.force_login(editor)
    monkeypatch.setattr(search_admin, "EXACT_COUNT_LIMIT", 3)
    for n in range(5):
        ArticleFactory(headline=f"Harbour news {n}")
    page = changelist(client, "harbour")
    # Past the limit: the exact count elsewhere, the planner's estimate (at least the limit) on PostgreSQL.
    assert "Harbour news 4" in page


# Keeping the index right


@on_postgresql
def test_search_index_follows_every_change_to_headline_standfirst_blocks_and_quotes(client):
    article = PublishedArticleFactory(bylines=1)

    def found(word):
        return article.slug in slugs(client.get(f"{ARTICLES}?q={word}"))

    Article.objects.filter(pk=article.pk).update(headline="Pelican lands")
    assert found("pelican")
    Article.objects.filter(pk=article.pk).update(dek="A heron watches.")
    assert found("heron")
    block = BlockFactory(article=article, position=1, text="A cormorant dives.")
    assert found("cormorant")
    Block.objects.filter(pk=block.pk).update(text="A gannet dives.")
    assert found("gannet") and not found("cormorant")
    other = PublishedArticleFactory(bylines=1)
    Block.objects.filter(pk=block.pk).update(article=other)
    assert not found("gannet")
    assert other.slug in slugs(client.get(f"{ARTICLES}?q=gannet"))
    quote = QuoteFactory(article=article, text="Puffins everywhere")
    assert found("puffins")
    Quote.objects.filter(pk=quote.pk).update(text="Albatross overhead")
    assert found("albatross") and not found("puffins")
    quote.delete()
    assert not found("albatross")


# Demo content


def test_demo_content_makes_searchable_stories_with_a_zipf_vocabulary(client):
    call_command("generate_demo_content", stories=40, batch=15, stdout=io.StringIO())
    demo = Article.objects.filter(slug__startswith="demo-1-")
    assert demo.count() == 40
    assert Block.objects.filter(article__in=demo).count() >= 40 * 3
    assert Quote.objects.filter(article__in=demo).count() >= 40 * 2
    if connection.vendor == "postgresql":
        assert not demo.filter(search_vector__isnull=True).exists()
    # The most common content word is in nearly every story; a tail word in a few.
    story = demo.filter(status=Article.Status.PUBLISHED).first()
    topic = story.headline.split(":")[0]
    assert story.slug in slugs(client.get(f"{ARTICLES}?q={topic}&page_size=100&ordering=-published_at"))
    said = client.get(f"{ARTICLES}?q=said&page_size=100&ordering=-published_at")
    assert len(slugs(said)) >= 0.8 * demo.filter(status=Article.Status.PUBLISHED).count()


def test_demo_content_continues_the_sequence_when_run_again():
    call_command("generate_demo_content", stories=5, stdout=io.StringIO())
    call_command("generate_demo_content", stories=5, stdout=io.StringIO())
    assert Article.objects.filter(slug__startswith="demo-1-").count() == 10


def test_demo_content_is_the_same_for_a_seed_however_it_is_batched():
    undo = transaction.savepoint()
    call_command("generate_demo_content", stories=6, batch=4, stdout=io.StringIO())
    first = list(Article.objects.filter(slug__startswith="demo-1-").order_by("slug").values("slug", "dek"))
    transaction.savepoint_rollback(undo)
    assert not Article.objects.filter(slug__startswith="demo-1-").exists()
    call_command("generate_demo_content", stories=6, batch=6, stdout=io.StringIO())
    again = list(Article.objects.filter(slug__startswith="demo-1-").order_by("slug").values("slug", "dek"))
    assert again == first


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_content_written_by_parallel_jobs_is_complete_and_searchable(client):
    call_command("generate_demo_content", stories=30, batch=7, jobs=2, stdout=io.StringIO())
    demo = Article.objects.filter(slug__startswith="demo-1-")
    assert demo.count() == 30
    numbers = sorted(int(slug.split("-")[2]) for slug in demo.values_list("slug", flat=True))
    assert numbers == list(range(30))
    for article in demo.prefetch_related("blocks", "quotes", "bylines"):
        blocks = list(article.blocks.all())
        assert len(blocks) >= 3 and sorted(block.position for block in blocks) == list(range(len(blocks)))
        assert all(block.text or block.quote_id for block in blocks)
        assert article.quotes.count() >= 2 and article.bylines.count() >= 1
        assert article.section_id is not None
    # Every vector is the one the search triggers would build: body, quotes, headline and standfirst.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE slug LIKE 'demo-1-%%' AND search_vector IS "
            "DISTINCT FROM articles_article_search_document(id, headline, dek)"
        )
        assert cursor.fetchone()[0] == 0
    story = demo.filter(status=Article.Status.PUBLISHED).prefetch_related("quotes").first()
    word = max(re.findall(r"[A-Za-z]+", story.quotes.first().text), key=len)
    assert story.slug in slugs(client.get(f"{ARTICLES}?q={word}&page_size=100&ordering=-published_at"))
