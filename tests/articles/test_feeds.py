import feedparser
import pytest

from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db

HOSTILE = "</title><script>alert('pwned')</script> & more"


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


FEEDS = {
    "latest rss": ("/feed/", "rss20"),
    "latest atom": ("/feed/atom/", "atom10"),
    "section rss": ("/sections/world/feed/", "rss20"),
    "section atom": ("/sections/world/feed/atom/", "atom10"),
}


@pytest.mark.parametrize("name", FEEDS)
def test_feeds_parse_and_carry_each_story(client, settings, name):
    story = ArticleFactory(dressed=True)
    path, version = FEEDS[name]
    _, feed = parse(client, path)
    assert feed.version == version
    [entry] = feed.entries
    url = f"{settings.SITE_URL}{story.get_absolute_url()}"
    assert entry.title == story.headline
    assert entry.link == url
    assert entry.id == url
    assert entry.summary == story.dek
    names = [b.contributor.name for b in story.bylines.order_by("position")]
    assert entry.author == ", ".join(names)
    assert [t.term for t in entry.tags] == ["Ukraine"]
    assert entry.published_parsed[:6] == story.go_live_at.utctimetuple()[:6]


def test_contributor_feeds_list_only_their_stories(client):
    mine = PublishedArticleFactory(headline="Mine")
    reporter = ContributorFactory(slug="me")
    BylineFactory(article=mine, contributor=reporter)
    BylineFactory(article=PublishedArticleFactory(headline="Someone else's"))
    for path in ["/contributors/me/feed/", "/contributors/me/feed/atom/"]:
        _, feed = parse(client, path)
        assert [e.title for e in feed.entries] == ["Mine"]
        assert "Mine" in feed.feed.title or reporter.name in feed.feed.title


def test_unknown_section_or_contributor_feed_is_404(client):
    assert client.get("/sections/nowhere/feed/").status_code == 404
    assert client.get("/contributors/nobody/feed/atom/").status_code == 404


@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/"])
def test_hostile_headline_is_inert_in_feeds(client, path):
    PublishedArticleFactory(headline=HOSTILE, dek=HOSTILE)
    response, feed = parse(client, path)
    assert b"<script>" not in response.content
    # The title survives as text: a reader shows the characters, it runs nothing.
    assert "alert('pwned')" in feed.entries[0].title


FEED_BUDGETS = {
    # stories with their tags, bylines with contributors and lead images' renditions folded in
    "/feed/": 1,
    "/feed/atom/": 1,
    # the section or contributor first, then the same one
    "/sections/world/feed/": 2,
    "/contributors/me/feed/atom/": 2,
}


@pytest.mark.parametrize("stories", [1, 5])
@pytest.mark.parametrize("path", FEED_BUDGETS)
def test_feed_query_budget_is_fixed_however_many_stories(client, django_assert_num_queries, path, stories):
    reporter = ContributorFactory(slug="me")
    for n in range(stories):
        story = ArticleFactory(dressed=True, quotes=n)
        BylineFactory(article=story, contributor=reporter, position=10)
    with django_assert_num_queries(FEED_BUDGETS[path]):
        response = client.get(path)
    assert response.content.count(b"Mayor promises") == stories
