from datetime import timedelta

import html5lib
import pytest
from django.utils import timezone

from articles.views import PAGE_SIZE
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    PublishedArticleFactory,
    QuoteFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)


def headlines(doc):
    return ["".join(a.itertext()) for a in doc.findall(".//ol[@class='stories']//h2/a")]


def test_front_page_lists_latest_first_and_paginates(client):
    now = timezone.now()
    for n in range(PAGE_SIZE + 3):
        PublishedArticleFactory(headline=f"Story {n:02}", go_live_at=now - timedelta(minutes=n + 1))
    first = parse(client.get("/"))
    assert headlines(first) == [f"Story {n:02}" for n in range(PAGE_SIZE)]
    nav = first.find(".//nav[@class='pagination']")
    assert nav.find("a[@rel='next']").get("href") == "?page=2"
    second = parse(client.get("/?page=2"))
    assert headlines(second) == [f"Story {n:02}" for n in range(PAGE_SIZE, PAGE_SIZE + 3)]
    assert second.find(".//nav[@class='pagination']/a[@rel='prev']").get("href") == "?page=1"
    assert any(m.get("content") == "noindex, follow" for m in second.iter("meta"))


def test_index_pages_offer_their_feeds(client):
    story = ArticleFactory(dressed=True)
    contributor = story.bylines.first().contributor
    for path, feed in [
        ("/", "/feed/"),
        ("/sections/world/", "/sections/world/feed/"),
        (f"/contributors/{contributor.slug}/", f"/contributors/{contributor.slug}/feed/"),
    ]:
        doc = parse(client.get(path))
        rss = [x.get("href") for x in doc.iter("link") if x.get("type") == "application/rss+xml"]
        assert feed in rss, path


def test_tag_contributor_and_speaker_pages_list_their_stories(client):
    story = ArticleFactory(dressed=True)
    other = PublishedArticleFactory(headline="Unrelated")
    tag = story.tags.get()
    contributor = story.bylines.first().contributor
    speaker = story.quotes.first().speaker
    for path in [tag.get_absolute_url(), contributor.get_absolute_url(), speaker.get_absolute_url()]:
        assert headlines(parse(client.get(path))) == [story.headline], path
    assert other.headline in headlines(parse(client.get("/")))


@pytest.mark.parametrize("stories", [1, PAGE_SIZE + 5])
def test_index_pages_cost_a_fixed_number_of_queries(client, django_assert_num_queries, stories):
    tag = TagFactory(slug="t")
    reporter = ContributorFactory(slug="r")
    speaker = None
    for n in range(stories):
        story = ArticleFactory(dressed=True, quotes=n % 3, tags=[tag])
        BylineFactory(article=story, contributor=reporter, position=50)
        speaker = speaker or QuoteFactory(article=story).speaker
        QuoteFactory(article=story, speaker=speaker)
    # count, page of stories (with section and lead image, and their tags, bylines with contributors
    # and lead images' renditions folded in)
    budgets = {
        "/": 2,
        "/sections/world/": 3,  # plus the section
        "/tags/t/": 3,  # plus the tag
        "/contributors/r/": 3,  # plus the contributor
        f"/speakers/{speaker.slug}/": 3,  # plus the speaker (quoted in a public story)
    }
    for path, queries in budgets.items():
        with django_assert_num_queries(queries):
            assert client.get(path).status_code == 200, path


def test_unknown_index_pages_are_404(client):
    for path in ["/sections/none/", "/tags/none/", "/contributors/none/", "/speakers/none/"]:
        assert client.get(path).status_code == 404
