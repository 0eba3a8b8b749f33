import json
from datetime import timedelta
from types import SimpleNamespace

import html5lib
import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from pyld import jsonld

from articles.media.renditions import generate_renditions
from articles.models import Article, Rendition
from articles.pictures import picture
from articles.views import story_context
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"
HOSTILE = "</script><script>alert('pwned')</script> & <b>bold</b>"


def parse(response):
    """The page through a WHATWG-conforming parser in strict mode: any parse error fails the test."""
    assert response.status_code == 200
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)


def text(element):
    return " ".join("".join(element.itertext()).split())


def meta(doc, key):
    for tag in doc.iter("meta"):
        if key in (tag.get("property"), tag.get("name")):
            return tag.get("content")
    return None


def schema_org_loader(url, options=None):
    # Tests run offline. schema.org's published context maps its terms into the schema.org
    # vocabulary; @vocab does the same for every term this page uses.
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": SCHEMA}}}


def json_ld(doc):
    scripts = [s for s in doc.iter("script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    data = json.loads(scripts[0].text)
    [expanded] = jsonld.expand(data, {"documentLoader": schema_org_loader})
    return data, expanded


def values(node, prop):
    return [v.get("@value", v) for v in node.get(SCHEMA + prop, [])]


@pytest.fixture
def story():
    return ArticleFactory(dressed=True)


def test_story_page_is_valid_html_with_landmarks_and_one_heading_outline(client, story):
    doc = parse(client.get(story.get_absolute_url()))
    assert doc.get("lang") == "en"
    body = doc.find("body")
    assert [child.tag for child in body if child.tag in ("header", "main", "footer")] == [
        "header",
        "main",
        "footer",
    ]
    assert all(nav.get("aria-label") for nav in doc.iter("nav")), "each navigation landmark is named"
    levels = [int(h.tag[1]) for h in doc.iter() if h.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert doc.find(".//a[@class='skip']").get("href") == "#content"
    assert all(img.get("alt") for img in doc.iter("img")), "every picture has alt text"
    # No fonts, scripts, styles or images from other hosts.
    for tag, attr in [("script", "src"), ("link", "href"), ("img", "src"), ("source", "srcset")]:
        for element in doc.iter(tag):
            value = element.get(attr) or ""
            if tag == "link" and element.get("rel") in ("canonical", "alternate"):
                continue
            assert not value.startswith(("http://", "https://", "//")), (tag, value)


def test_story_page_shows_header_bylines_dateline_times_and_body_in_order(client, story):
    doc = parse(client.get(story.get_absolute_url()))
    article = doc.find(".//main/article")
    head = article.find("header")
    assert text(head.find("p[@class='kicker']")) == "Exclusive"
    assert text(head.find("h1")) == story.headline
    assert text(head.find("p[@class='dek']")) == story.dek
    bylines = [text(p) for p in head.findall("p[@class='byline']")]
    names = [b.contributor.name for b in story.bylines.all()]
    assert bylines[0].startswith(f"By {names[0]}")
    assert bylines[1].startswith(f"Interview by {names[1]}")
    assert bylines[2].startswith(f"Contributing reporting by {names[2]}")
    assert bylines[3].startswith(f"Photographs by {names[3]}")
    links = {a.get("href") for p in head.findall("p[@class='byline']") for a in p.iter("a")}
    assert links == {b.contributor.get_absolute_url() for b in story.bylines.all()}
    meta_line = head.find("p[@class='meta']")
    assert text(meta_line.find("span[@class='dateline']")) == "KYIV"
    assert meta_line.find("time").get("datetime") == story.go_live_at.isoformat()

    body = article.find("div[@class='story-body']")
    kinds = [child.tag if child.tag != "figure" else child.get("class") for child in body]
    assert kinds == ["h2", "p", "aside", "p", "p", "quote", "image", "embed", "p"]


def test_inline_quotes_are_marked_and_a_pull_quote_is_set_apart(client, story):
    doc = parse(client.get(story.get_absolute_url()))
    quotes = {q.pk: q for q in story.quotes.all()}
    marked = {int(q.get("id").removeprefix("quote-")): text(q) for q in doc.iter("q")}
    assert marked == {pk: q.text for pk, q in quotes.items() if q.block_id}
    [pull] = doc.findall(".//aside[@class='pull-quote']")
    assert pull.get("aria-label") == "Pull quote"
    assert text(pull.find(".//blockquote")) == "We will rebuild it, number 0,"
    assert "Olena Kovalenko, Mayor" in text(pull.find(".//figcaption"))


def test_quote_block_is_a_blockquote_with_its_speaker_and_anonymous_sources_are_not_linked(client, story):
    doc = parse(client.get(story.get_absolute_url()))
    [figure] = doc.findall(".//figure[@class='quote']")
    assert text(figure.find("blockquote")) == "The old piers are sound."
    caption = figure.find("figcaption")
    assert text(caption) == "— a city engineer"
    assert caption.find("a") is None


def test_image_is_a_picture_with_caption_and_credit_and_embed_keeps_its_fallback(client, story):
    doc = parse(client.get(story.get_absolute_url()))
    [figure] = doc.findall(".//figure[@class='image']")
    img = figure.find("picture/img")
    assert img.get("src") == story.lead_image.file.url
    assert (img.get("width"), img.get("height")) == ("800", "450")
    assert img.get("alt") == story.lead_image.alt_text
    assert (
        text(figure.find("figcaption")) == "Artillery near the front line. Credit: Jane Photographer / Agency"
    )
    [embed] = doc.findall(".//figure[@class='embed']")
    assert "View this interactive content on example.com" in text(embed)
    assert embed.find(".//a").get("href") == "https://example.com/interactive"
    assert doc.find(".//iframe") is None


def test_corrections_are_in_a_labelled_box_announced_at_the_top(client, story):
    doc = parse(client.get(story.get_absolute_url()))
    box = doc.find(".//section[@id='corrections']")
    assert box.get("aria-labelledby") == "corrections-heading"
    assert text(box.find("h2")) == "Corrections and updates"
    assert "Correction" in text(box) and "An earlier version gave the wrong river." in text(box)
    assert doc.find(".//header//p[@class='notice']/a").get("href") == "#corrections"


def test_picture_offers_modern_renditions_first_and_keeps_the_original_as_fallback(settings):
    def rendition(fmt, width, height):
        return SimpleNamespace(
            format=fmt, width=width, height=height, file=SimpleNamespace(url=f"/r/{width}.{fmt}")
        )

    versions = [
        rendition("jpeg", 640, 360),
        rendition("webp", 1280, 720),
        rendition("webp", 640, 360),
        rendition("avif", 640, 360),
        SimpleNamespace(
            format="avif", width=640, height=640, ratio="1:1", file=SimpleNamespace(url="/sq.avif")
        ),
    ]
    image = SimpleNamespace(
        width=1600,
        height=900,
        alt_text="Alt",
        file=SimpleNamespace(url="/original.jpg", name="original.jpg"),
        renditions=SimpleNamespace(all=lambda: versions),
    )
    html = render_to_string("articles/_picture.html", {"pic": picture(image), "loading": "lazy"})
    doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(html)
    sources = doc.findall(".//source")
    assert [s.get("type") for s in sources] == ["image/avif", "image/webp"]
    assert sources[0].get("srcset") == "/r/640.avif 640w"
    assert sources[1].get("srcset") == "/r/640.webp 640w, /r/1280.webp 1280w"
    img = doc.find(".//img")
    assert (img.get("src"), img.get("srcset")) == ("/original.jpg", "/r/640.jpeg 640w")


def test_story_page_serves_stored_renditions_as_picture_sources(client, story):
    generate_renditions(story.lead_image.pk)
    doc = parse(client.get(story.get_absolute_url()))
    [picture_element] = doc.findall(".//figure[@class='image']/picture")
    sources = {s.get("type"): s.get("srcset") for s in picture_element.findall("source")}
    assert list(sources) == ["image/avif", "image/webp"]
    stored = Rendition.objects.filter(image=story.lead_image, ratio="original")
    for fmt, media in [("avif", "image/avif"), ("webp", "image/webp")]:
        expected = ", ".join(f"{r.file.url} {r.width}w" for r in stored.filter(format=fmt).order_by("width"))
        assert sources[media] == expected
    img = picture_element.find("img")
    assert img.get("src") == story.lead_image.file.url
    assert img.get("srcset").endswith(" 800w") and ".jpg 320w" in img.get("srcset")
    assert "1x1" not in html5lib.serialize(picture_element), "square crops are not for the story column"


def test_picture_without_renditions_is_the_original_alone(db):
    image = ImageFactory(photo=True)
    pic = picture(image)
    assert (pic.sources, pic.srcset, pic.src) == ([], "", image.file.url)


def test_story_page_metadata_canonical_open_graph_and_twitter_card(client, story, settings):
    doc = parse(client.get(story.get_absolute_url()))
    url = f"{settings.SITE_URL}{story.get_absolute_url()}"
    canonical = [link for link in doc.iter("link") if link.get("rel") == "canonical"]
    assert [link.get("href") for link in canonical] == [url]
    assert meta(doc, "og:type") == "article"
    assert meta(doc, "og:title") == story.headline
    assert meta(doc, "og:url") == url
    assert meta(doc, "og:description") == story.dek
    assert meta(doc, "og:image") == f"{settings.SITE_URL}{story.lead_image.file.url}"
    assert meta(doc, "og:image:alt") == story.lead_image.alt_text
    assert meta(doc, "article:published_time") == story.go_live_at.isoformat()
    assert meta(doc, "twitter:card") == "summary_large_image"
    assert meta(doc, "twitter:title") == story.headline
    oembed = [link for link in doc.iter("link") if link.get("type") == "application/json+oembed"]
    assert len(oembed) == 1 and "format=json" in oembed[0].get("href")


def test_a_story_from_elsewhere_points_its_canonical_there(client):
    story = ArticleFactory(dressed=True, canonical_url="https://www.cnn.com/2023/03/07/europe/story")
    doc = parse(client.get(story.get_absolute_url()))
    assert [x.get("href") for x in doc.iter("link") if x.get("rel") == "canonical"] == [story.canonical_url]


def test_json_ld_is_a_news_article_a_json_ld_processor_understands(client, story, settings):
    doc = parse(client.get(story.get_absolute_url()))
    data, node = json_ld(doc)
    page = f"{settings.SITE_URL}{story.get_absolute_url()}"
    assert node["@type"] == [SCHEMA + "NewsArticle"]
    assert node["@id"] == page
    assert values(node, "headline") == [story.headline]
    assert values(node, "dateline") == ["Kyiv"]
    assert values(node, "datePublished") == [story.go_live_at.isoformat()]
    assert values(node, "dateModified") == [story.modified_at.isoformat()]
    [place] = node[SCHEMA + "locationCreated"]
    assert values(place, "name") == ["Kyiv"]

    bylines = list(story.bylines.select_related("contributor").order_by("position"))
    authors = node[SCHEMA + "author"]
    assert [a["@type"] for a in authors] == [[SCHEMA + "Person"]] * 2
    assert [values(a, "url") for a in authors] == [
        [f"{settings.SITE_URL}{b.contributor.get_absolute_url()}"] for b in bylines[:2]
    ]
    assert [values(c, "name") for c in node[SCHEMA + "contributor"]] == [
        [b.contributor.name] for b in bylines[2:]
    ]
    [image] = node[SCHEMA + "image"]
    assert values(image, "url") == [f"{settings.SITE_URL}{story.lead_image.file.url}"]
    assert values(image, "width") == [800]
    [publisher] = node[SCHEMA + "publisher"]
    assert values(publisher, "name") == [settings.SITE_NAME]

    [correction] = node[SCHEMA + "correction"]
    assert correction["@type"] == [SCHEMA + "CorrectionComment"]
    assert values(correction, "text") == ["Correction: An earlier version gave the wrong river."]

    quotations = node[SCHEMA + "hasPart"]
    assert all(q["@type"] == [SCHEMA + "Quotation"] for q in quotations)
    spoken = {values(q, "text")[0]: q[SCHEMA + "spokenByCharacter"][0] for q in quotations}
    assert set(spoken) == {q.text for q in story.quotes.all()}
    mayor = spoken["We will rebuild it, number 1,"]
    assert mayor["@type"] == [SCHEMA + "Person"]
    assert values(mayor, "name") == ["Olena Kovalenko"]
    speaker = story.quotes.get(text="We will rebuild it, number 1,").speaker
    assert values(mayor, "url") == [f"{settings.SITE_URL}{speaker.get_absolute_url()}"]
    assert SCHEMA + "url" not in spoken["The old piers are sound."], "anonymous sources get no page"


def test_hostile_headline_is_printed_inert_in_html_and_json_ld(client):
    story = ArticleFactory(dressed=True, headline=HOSTILE, dek=HOSTILE, kicker="<i>k</i>")
    response = client.get(story.get_absolute_url())
    doc = parse(response)
    assert b"<script>alert" not in response.content
    assert b"<b>bold" not in response.content
    assert [s.get("type") for s in doc.iter("script")] == ["application/ld+json"]
    assert text(doc.find(".//h1")) == " ".join(HOSTILE.split())
    assert meta(doc, "og:title") == HOSTILE
    data, node = json_ld(doc)
    assert data["headline"] == HOSTILE
    assert values(node, "headline") == [HOSTILE]


@pytest.mark.parametrize("paragraphs", [1, 12])
def test_story_page_costs_three_queries_whatever_its_size(client, django_assert_num_queries, paragraphs):
    story = ArticleFactory(dressed=True, quotes=paragraphs)
    # 1 story with section and lead image, and folded in: tags, bylines with contributors, corrections,
    # the lead image's renditions; 2 blocks with their quote/speaker/image/embed and the pictures'
    # renditions; 3 quotes with speakers
    with django_assert_num_queries(3):
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200


def test_preview_flag_marks_the_page_and_keeps_it_out_of_search(db):
    story = ArticleFactory(dressed=True, status=Article.Status.DRAFT, go_live_at=None)
    story = Article.objects.with_related().get(pk=story.pk)
    request = RequestFactory().get("/preview/")
    html = render_to_string("articles/article.html", story_context(story, preview=True), request=request)
    doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    assert "Preview — not published" in text(doc.find(".//p[@class='preview-banner']"))
    assert meta(doc, "robots") == "noindex, nofollow"
    assert not [x for x in doc.iter("link") if x.get("type") == "application/json+oembed"]
    assert text(doc.find(".//h1")) == story.headline
    assert "Not yet published" in text(doc.find(".//header/p[@class='meta']"))
    data, node = json_ld(doc)
    assert "datePublished" not in data and values(node, "headline") == [story.headline]
    public = render_to_string("articles/article.html", story_context(story), request=request)
    assert "Preview — not published" not in public and "noindex" not in public


def test_updated_time_appears_once_the_story_changes_after_going_live(client, story):
    Article.objects.filter(pk=story.pk).update(updated_at=story.go_live_at + timedelta(seconds=20))
    doc = parse(client.get(story.get_absolute_url()))
    assert "Updated" not in text(doc.find(".//header/p[@class='meta']"))
    later = story.go_live_at + timedelta(hours=3)
    Article.objects.filter(pk=story.pk).update(updated_at=later)
    doc = parse(client.get(story.get_absolute_url()))
    times = [t.get("datetime") for t in doc.findall(".//header/p[@class='meta']/time")]
    assert times == [story.go_live_at.isoformat(), later.isoformat()]
