import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(root, tag="sm:url"):
    return [el.findtext("sm:loc", namespaces=NS) for el in root.findall(tag, NS)]


def test_sitemap_index_lists_every_sitemap_on_the_site_address(client, settings):
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert locations(root, "sm:sitemap") == [
        f"{settings.SITE_URL}/sitemap-{name}.xml" for name in ("stories", "pages", "news")
    ]


def test_story_sitemap_lists_public_stories_with_last_change(client, settings):
    story = ArticleFactory(dressed=True)
    root = xml(client, "/sitemap-stories.xml")
    [url] = root.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == f"{settings.SITE_URL}{story.get_absolute_url()}"
    assert url.findtext("sm:lastmod", namespaces=NS) == story.modified_at.date().isoformat()


def test_pages_sitemap_lists_the_front_page_and_sections_with_stories(client, settings):
    ArticleFactory(dressed=True)
    assert locations(xml(client, "/sitemap-pages.xml")) == [
        f"{settings.SITE_URL}/",
        f"{settings.SITE_URL}/sections/world/",
    ]


def test_news_sitemap_carries_publication_language_date_and_title_for_the_last_two_days(client, settings):
    fresh = ArticleFactory(dressed=True, language="en-GB", headline="Fresh & <new>")
    PublishedArticleFactory(headline="Old news", go_live_at=timezone.now() - timedelta(days=2, minutes=1))
    root = xml(client, "/sitemap-news.xml")
    [url] = root.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == f"{settings.SITE_URL}{fresh.get_absolute_url()}"
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == settings.SITE_NAME
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:publication_date", namespaces=NS) == fresh.go_live_at.isoformat()
    assert news.findtext("news:title", namespaces=NS) == "Fresh & <new>"


def test_news_sitemap_keeps_the_chinese_script_codes_google_asks_for(client):
    ArticleFactory(dressed=True, language="zh-TW")
    root = xml(client, "/sitemap-news.xml")
    assert root.findtext(".//news:language", namespaces=NS) == "zh-tw"


def test_hostile_headline_is_inert_in_the_news_sitemap(client):
    PublishedArticleFactory(headline="</news:title><script>alert(1)</script>")
    response = client.get("/sitemap-news.xml")
    assert b"<script>" not in response.content
    assert (
        ET.fromstring(response.content).findtext(".//news:title", namespaces=NS).startswith("</news:title>")
    )


def test_unknown_sitemap_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("stories", [1, 4])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/sitemap.xml", 3),  # one count per sitemap (stories, news) and the section list
        ("/sitemap-stories.xml", 2),  # count, page of stories
        ("/sitemap-news.xml", 2),  # count, page of stories
        ("/sitemap-pages.xml", 1),  # sections with public stories
    ],
)
def test_sitemap_query_budget_is_fixed(client, django_assert_num_queries, path, queries, stories):
    for n in range(stories):
        ArticleFactory(dressed=True, quotes=n)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


def test_robots_txt_points_at_the_sitemaps(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines
