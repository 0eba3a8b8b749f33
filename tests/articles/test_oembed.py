import html5lib
import pytest

from tests.factories import ArticleFactory, BylineFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db


def oembed(client, **params):
    return client.get("/oembed/", params)


def test_oembed_describes_a_story_as_a_rich_card(client, settings):
    story = ArticleFactory(dressed=True)
    url = f"{settings.SITE_URL}{story.get_absolute_url()}"
    response = oembed(client, url=url, format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["title"] == story.headline
    assert data["provider_name"] == settings.SITE_NAME
    assert (data["width"], data["height"]) == (600, 200)
    assert data["author_name"].startswith(story.bylines.order_by("position").first().contributor.name)
    card = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(data["html"])
    assert card.find(".//a").get("href") == url
    assert data["thumbnail_url"] == f"{settings.SITE_URL}{story.lead_image.file.url}"


def test_oembed_is_discoverable_from_the_story_page(client, settings):
    story = ArticleFactory(dressed=True)
    page = client.get(story.get_absolute_url())
    doc = html5lib.HTMLParser(namespaceHTMLElements=False).parse(page.content)
    [link] = [x for x in doc.iter("link") if x.get("type") == "application/json+oembed"]
    assert client.get(link.get("href").removeprefix(settings.SITE_URL)).json()["title"] == story.headline


def test_oembed_respects_max_width_and_height(client, settings):
    story = ArticleFactory(dressed=True)
    data = oembed(
        client, url=f"{settings.SITE_URL}{story.get_absolute_url()}", maxwidth=400, maxheight=100
    ).json()
    assert (data["width"], data["height"]) == (400, 100)
    assert "thumbnail_url" not in data, "the 800px lead picture is larger than the consumer allows"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "http://127.0.0.1:8000/",
        "http://127.0.0.1:8000/sections/world/",
        "http://127.0.0.1:8000/stories/no-such-story/",
        "https://evil.example/stories/{slug}/",
        "javascript:alert(1)",
    ],
)
def test_oembed_refuses_anything_but_a_story_on_this_site_with_404(client, settings, url):
    settings.SITE_URL = "http://127.0.0.1:8000"
    story = PublishedArticleFactory()
    assert oembed(client, url=url.format(slug=story.slug)).status_code == 404


def test_oembed_answers_bad_sizes_with_400_and_other_formats_with_501(client, settings):
    story = PublishedArticleFactory()
    url = f"{settings.SITE_URL}{story.get_absolute_url()}"
    assert oembed(client, url=url, maxwidth="wide").status_code == 400
    assert oembed(client, url=url, maxwidth="-5").status_code == 400
    assert oembed(client, url=url, format="xml").status_code == 501


def test_hostile_headline_is_inert_in_the_oembed_card(client, settings):
    story = PublishedArticleFactory(headline="<script>alert(1)</script>", dek="<img src=x onerror=alert(1)>")
    data = oembed(client, url=f"{settings.SITE_URL}{story.get_absolute_url()}").json()
    assert data["title"] == "<script>alert(1)</script>"
    assert "<script>" not in data["html"] and "<img" not in data["html"]
    card = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(data["html"])
    assert "<script>alert(1)</script>" in "".join(card.itertext())


@pytest.mark.parametrize("bylines", [0, 6])
def test_oembed_costs_one_query(client, settings, django_assert_num_queries, bylines):
    story = ArticleFactory(dressed=True)
    for n in range(bylines):
        BylineFactory(article=story, position=100 + n)
    # story with lead image, and folded in: tags, bylines with contributors, the lead image's renditions
    with django_assert_num_queries(1):
        oembed(client, url=f"{settings.SITE_URL}{story.get_absolute_url()}")
