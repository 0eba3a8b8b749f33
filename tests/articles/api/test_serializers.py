"""The hand-built read shapes (articles/api/serializers.py) against DRF's generic output, byte for byte.

The reference is what the same serializer classes produce through DRF's own
``Serializer.to_representation``, field by field, with body blocks spelled out per type.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers as drf

from articles.api import serializers
from articles.content.markup import strip_tags
from articles.models import Article, Block, Byline, Correction, Quote, Rendition
from tests.factories import (
    ArticleFactory,
    BlockFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    EmbedFactory,
    ImageFactory,
    PublishedArticleFactory,
    QuoteFactory,
    RenditionFactory,
    SectionFactory,
    SpeakerFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def reference_block(self, block):
    data = drf.Serializer.to_representation(self, block)
    if block.type in (Block.Type.PARAGRAPH, Block.Type.HEADING):
        data["text"] = strip_tags(block.text)
        data["html"] = block.text
    elif block.type == Block.Type.QUOTE:
        data["quote"] = serializers.QuoteSerializer(block.quote).data
    elif block.type == Block.Type.IMAGE:
        data["image"] = serializers.ImageSerializer(block.image).data
    elif block.type == Block.Type.EMBED:
        data["embed"] = serializers.EmbedSerializer(block.embed).data
    return data


@pytest.fixture
def generic(monkeypatch):
    """Call to switch every read serializer to DRF's generic field-by-field output."""

    def switch():
        monkeypatch.setattr(serializers.HandBuilt, "to_representation", drf.Serializer.to_representation)
        monkeypatch.setattr(serializers.BlockSerializer, "to_representation", reference_block)

    return switch


def pictured(**fields):
    image = ImageFactory(**fields)
    # Made out of srcset order, so the sorting shows.
    for ratio, fmt, width in [
        (Rendition.Ratio.WIDE, Rendition.Format.JPEG, 640),
        (Rendition.Ratio.ORIGINAL, Rendition.Format.JPEG, 1280),
        (Rendition.Ratio.ORIGINAL, Rendition.Format.AVIF, 640),
        (Rendition.Ratio.ORIGINAL, Rendition.Format.JPEG, 320),
        (Rendition.Ratio.WIDE, Rendition.Format.WEBP, 640),
    ]:
        RenditionFactory(image=image, ratio=ratio, format=fmt, width=width, height=width // 2)
    return image


@pytest.fixture
def stories():
    """A story with every kind of content, and a bare one with every optional field empty."""
    now = timezone.now()
    full = PublishedArticleFactory(
        headline="Київ: «Ми не здамося» — a “headline” with 🇺🇦 & <angle> brackets",
        kicker="Exclusive",
        dek="Line\u2028separator, tab\tand the Ω sign.",
        dateline="Kyiv",
        section=SectionFactory(name="Світ", slug="svit"),
        source_credit="CNN",
        canonical_url="https://example.com/original",
        go_live_at=now.replace(microsecond=0) - timedelta(hours=3),
        first_published_at=now - timedelta(hours=3, microseconds=1),
        lead_image=pictured(caption="Caption – with dash", copyright="© Agency", focal_x=0.25, focal_y=1),
        language="uk",
    )
    full.tags.add(TagFactory(name="Війна", slug="viina"), TagFactory(name="Alpha", slug="alpha"))
    BylineFactory(article=full, position=1, role=Byline.Role.INTERVIEWER)
    BylineFactory(article=full, position=0, contributor=ContributorFactory(title="", organisation=""))
    named, anonymous = (
        SpeakerFactory(name="Volodymyr Zelensky"),
        SpeakerFactory(name="a NATO military official", title="", is_anonymous=True),
    )
    pointers = [("image", pictured()), ("image", ImageFactory(caption="")), ("embed", EmbedFactory(title=""))]
    blocks = [
        BlockFactory(article=full, position=0, text="He said <em>“no”</em> &amp; left.<br>Then: &lt;b&gt;"),
        BlockFactory(article=full, position=1, type=Block.Type.HEADING, text="Розділ <strong>два</strong>"),
        *(
            BlockFactory(article=full, position=2 + n, type=kind, text="", **{kind: target})
            for n, (kind, target) in enumerate(pointers)
        ),
    ]
    quotes = [
        QuoteFactory(article=full, block=blocks[0], speaker=named, text="no", position=0, verb="said"),
        QuoteFactory(
            article=full,
            speaker=anonymous,
            text="Не здамося",
            kind=Quote.Kind.PARTIAL,
            position=1,
            is_pull_quote=True,
            is_verified=True,
            occasion="briefing",
        ),
        QuoteFactory(article=full, speaker=None, text="Unattributed words", position=2),
    ]
    for n, quote in enumerate(quotes):
        BlockFactory(article=full, position=5 + n, type=Block.Type.QUOTE, text="", quote=quote)
    CorrectionFactory(article=full, note="First", created_at=now - timedelta(hours=1))
    CorrectionFactory(
        article=full, note="Ðœ second", kind=Correction.Kind.UPDATE, created_at=now - timedelta(minutes=1)
    )
    bare = PublishedArticleFactory(dek="", first_published_at=None, go_live_at=now - timedelta(days=2))
    return full, bare


def responses(client, urls):
    answers = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        answers.append(response.content)
    return answers


def assert_same_bytes(client, generic, urls):
    hand_built = responses(client, urls)
    generic()
    assert responses(client, urls) == hand_built


@pytest.mark.parametrize("time_zone", ["UTC", "Europe/Kyiv"])
def test_articles_are_byte_for_byte_what_drf_would_render(client, settings, generic, stories, time_zone):
    settings.TIME_ZONE = time_zone
    full, bare = stories
    renditions = client.get(f"/api/v1/articles/{full.slug}/").json()["lead_image"]["renditions"]
    assert [(r["ratio"], r["format"], r["width"]) for r in renditions] == [
        ("16:9", "webp", 640),
        ("16:9", "jpeg", 640),
        ("original", "avif", 640),
        ("original", "jpeg", 320),
        ("original", "jpeg", 1280),
    ]
    assert_same_bytes(
        client,
        generic,
        [
            f"/api/v1/articles/{full.slug}/",
            f"/api/v1/articles/{bare.slug}/",
            "/api/v1/articles/",
            "/api/v1/articles/?page_size=1",
        ],
    )


@pytest.mark.parametrize(
    "fields",
    [
        "slug",
        "body,quotes.speaker.name,quotes.speaker.is_anonymous,corrections.created_at,section",
        "lead_image.renditions,lead_image.focal_point,tags.slug,bylines.role,bylines.name,published_at",
        "quotes,lead_image,section.name,url,first_published_at",
    ],
)
def test_sparse_fieldsets_trim_the_hand_built_output_as_they_trim_drf(client, generic, stories, fields):
    full, _ = stories
    urls = [f"/api/v1/articles/{full.slug}/?fields={fields}"]
    if "body" not in fields and "first_published_at" not in fields:
        urls.append(f"/api/v1/articles/?fields={fields}")
    assert_same_bytes(client, generic, urls)


def test_quotes_speakers_and_pictures_are_what_drf_would_render(client, generic, stories):
    full, _ = stories
    speaker = full.quotes.exclude(speaker=None).first().speaker
    contributor = full.bylines.first().contributor
    assert_same_bytes(
        client,
        generic,
        [
            "/api/v1/quotes/",
            "/api/v1/quotes/?fields=text,speaker.slug,article,block_id",
            "/api/v1/speakers/",
            f"/api/v1/speakers/{speaker.slug}/",
            f"/api/v1/contributors/{contributor.slug}/",
            "/api/v1/images/",
            f"/api/v1/images/{full.lead_image_id}/?fields=id,renditions",
            "/api/v1/sections/",
            "/api/v1/tags/",
        ],
    )


def test_the_editorial_view_is_what_drf_would_render(api_client, editor, generic, stories):
    full, _ = stories
    draft = ArticleFactory(kill_notice="", embargo_until=timezone.now() + timedelta(days=1))
    Article.objects.filter(pk=full.pk).update(expires_at=timezone.now() + timedelta(days=9))
    api_client.force_authenticate(editor)
    urls = [f"/api/v1/articles/{full.slug}/edit/", f"/api/v1/articles/{draft.slug}/edit/"]
    assert_same_bytes(api_client, generic, urls)
