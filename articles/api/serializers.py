from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from contributors.models import Contributor

from ..content.markup import strip_tags
from ..links import absolute
from ..models import Article, Block, Byline, Correction, Embed, Image, Quote, Rendition, Section, Speaker, Tag

# The hot read shapes (stories, their blocks, quotes and pictures) are built as plain dicts: DRF's
# field-by-field machinery costs more than the queries behind a response. Each `represent` gives exactly
# what DRF's generic Serializer.to_representation would for the declared fields, which still describe the
# OpenAPI schema and are what `?fields=` prunes (tests/articles/api/test_serializers.py holds the two
# together).

# DRF's own date-time output: ISO 8601 in the current time zone, "Z" for UTC, as REST_FRAMEWORK sets.
_DATETIME = serializers.DateTimeField()


def moment(value):
    return None if value is None else _DATETIME.to_representation(value)


def _kept(serializer, data):
    """`data` cut down to the fields `?fields=` left on `serializer` (sparse.py), nested ones too.

    A serializer whose fields were never built was never pruned: then all of `data` stands.
    """
    fields = serializer.__dict__.get("fields")
    if fields is None:
        return data
    kept = {}
    for name, field in fields.items():
        value = data[name]
        many = isinstance(field, serializers.ListSerializer)
        nested = field.child if many else field
        if value is not None and "fields" in nested.__dict__ and isinstance(nested, HandBuilt):
            value = [_kept(nested, item) for item in value] if many else _kept(nested, value)
        kept[name] = value
    return kept


# For serializers of read shapes: `represent(instance)` builds the whole output, pruned as asked. (A
# comment, not a docstring: drf-spectacular would print a docstring into every schema that inherits it.)
class HandBuilt:
    def to_representation(self, instance):
        return _kept(self, self.represent(instance))


def name_and_slug(obj):
    return {"name": obj.name, "slug": obj.slug}


def speaker_summary(speaker):
    if speaker is None:
        return None
    return {
        "name": speaker.name,
        # An anonymous source has no public identifier: no slug, so no page or filter to find it by.
        "slug": None if speaker.is_anonymous else speaker.slug,
        "title": speaker.title,
        "is_anonymous": speaker.is_anonymous,
    }


class SectionSerializer(HandBuilt, serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["name", "slug"]

    represent = staticmethod(name_and_slug)


class TagSerializer(HandBuilt, serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    represent = staticmethod(name_and_slug)


class SpeakerSummarySerializer(HandBuilt, serializers.ModelSerializer):
    slug = serializers.SerializerMethodField(help_text="Null for an anonymous source: it has no address.")

    class Meta:
        model = Speaker
        fields = ["name", "slug", "title", "is_anonymous"]

    def get_slug(self, speaker) -> str | None:
        return speaker_summary(speaker)["slug"]

    represent = staticmethod(speaker_summary)


class RenditionSerializer(HandBuilt, serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Rendition
        fields = ["url", "width", "height", "format", "ratio"]

    def get_url(self, rendition) -> str:
        return absolute(rendition.file.url)

    @staticmethod
    def represent(rendition):
        return {
            "url": absolute(rendition.file.url),
            "width": rendition.width,
            "height": rendition.height,
            "format": rendition.format,
            "ratio": rendition.ratio,
        }


# Rendition formats in order of preference, for srcset.
_FORMAT_ORDER = {fmt: n for n, fmt in enumerate(Rendition.Format.values)}


def ordered_renditions(image):
    """Ready for srcset: grouped by crop ratio and format (modern formats first), narrowest first."""
    return sorted(image.renditions.all(), key=lambda r: (r.ratio, _FORMAT_ORDER[r.format], r.width))


class OrderedRenditions(serializers.ListSerializer):
    """A picture's renditions in srcset order (see ordered_renditions)."""

    def get_attribute(self, image):
        return ordered_renditions(image)


class ImageSerializer(HandBuilt, serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    focal_point = serializers.SerializerMethodField()
    renditions = OrderedRenditions(child=RenditionSerializer(), read_only=True)

    class Meta:
        model = Image
        fields = [
            "id",
            "url",
            "width",
            "height",
            "alt_text",
            "caption",
            "credit",
            "copyright",
            "focal_point",
            "renditions",
        ]

    def get_url(self, image) -> str:
        return absolute(image.file.url)

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
            "required": ["x", "y"],
        }
    )
    def get_focal_point(self, image):
        return {"x": image.focal_x, "y": image.focal_y}

    @staticmethod
    def represent(image):
        if image is None:
            return None
        return {
            "id": image.id,
            "url": absolute(image.file.url),
            "width": image.width,
            "height": image.height,
            "alt_text": image.alt_text,
            "caption": image.caption,
            "credit": image.credit,
            "copyright": image.copyright,
            "focal_point": {"x": image.focal_x, "y": image.focal_y},
            "renditions": [RenditionSerializer.represent(r) for r in ordered_renditions(image)],
        }


class EmbedSerializer(HandBuilt, serializers.ModelSerializer):
    class Meta:
        model = Embed
        fields = ["url", "provider", "title", "fallback_text"]

    @staticmethod
    def represent(embed):
        return {
            "url": embed.url,
            "provider": embed.provider,
            "title": embed.title,
            "fallback_text": embed.fallback_text,
        }


class QuoteSerializer(HandBuilt, serializers.ModelSerializer):
    speaker = SpeakerSummarySerializer(allow_null=True)
    block_id = serializers.IntegerField(allow_null=True, help_text="The body block the quote stands in.")

    class Meta:
        model = Quote
        fields = [
            "id",
            "text",
            "kind",
            "speaker",
            "verb",
            "occasion",
            "is_pull_quote",
            "is_verified",
            "block_id",
        ]

    @staticmethod
    def represent(quote):
        return {
            "id": quote.id,
            "text": quote.text,
            "kind": quote.kind,
            "speaker": speaker_summary(quote.speaker),
            "verb": quote.verb,
            "occasion": quote.occasion,
            "is_pull_quote": quote.is_pull_quote,
            "is_verified": quote.is_verified,
            "block_id": quote.block_id,
        }


class QuoteArticleSerializer(HandBuilt, serializers.ModelSerializer):
    """The story a quote stands in."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["slug", "headline", "url"]

    def get_url(self, article) -> str:
        return absolute(article.get_absolute_url())

    @staticmethod
    def represent(article):
        return {
            "slug": article.slug,
            "headline": article.headline,
            "url": absolute(article.get_absolute_url()),
        }


class QuoteWithArticleSerializer(QuoteSerializer):
    article = QuoteArticleSerializer(read_only=True)

    class Meta(QuoteSerializer.Meta):
        fields = [*QuoteSerializer.Meta.fields, "article"]

    @staticmethod
    def represent(quote):
        data = QuoteSerializer.represent(quote)
        data["article"] = QuoteArticleSerializer.represent(quote.article)
        return data


class BlockSerializer(serializers.ModelSerializer):
    """A body block; only the keys for its type are present."""

    class Meta:
        model = Block
        fields = ["id", "type"]

    def to_representation(self, block):
        return self.represent(block)

    @staticmethod
    def represent(block):
        data = {"id": block.id, "type": block.type}
        if block.type in Block.TEXT_TYPES:
            data["text"] = strip_tags(block.text)
            data["html"] = block.text
        elif block.type == Block.Type.QUOTE:
            data["quote"] = QuoteSerializer.represent(block.quote)
        elif block.type == Block.Type.IMAGE:
            data["image"] = ImageSerializer.represent(block.image)
        elif block.type == Block.Type.EMBED:
            data["embed"] = EmbedSerializer.represent(block.embed)
        return data


class TextBlockSchema(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField(help_text="paragraph or heading")
    text = serializers.CharField(help_text="Plain text, for previews, feeds and apps.")
    html = serializers.CharField(help_text="Sanitized inline HTML: <em>, <strong>, <a href>, <br> only.")


class QuoteBlockSchema(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField(help_text="quote")
    quote = QuoteSerializer()


class ImageBlockSchema(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField(help_text="image")
    image = ImageSerializer()


class EmbedBlockSchema(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField(help_text="embed")
    embed = EmbedSerializer()


# What BlockSerializer produces, per block type, for the OpenAPI contract.
BODY_SCHEMA = PolymorphicProxySerializer(
    component_name="BodyBlock",
    serializers={
        "paragraph": TextBlockSchema,
        "heading": TextBlockSchema,
        "quote": QuoteBlockSchema,
        "image": ImageBlockSchema,
        "embed": EmbedBlockSchema,
    },
    resource_type_field_name="type",
    many=True,
)


class BylineSerializer(HandBuilt, serializers.ModelSerializer):
    name = serializers.CharField(source="contributor.name")
    slug = serializers.CharField(source="contributor.slug")
    title = serializers.CharField(source="contributor.title")
    organisation = serializers.CharField(source="contributor.organisation")

    class Meta:
        model = Byline
        fields = ["name", "slug", "role", "title", "organisation"]

    @staticmethod
    def represent(byline):
        contributor = byline.contributor
        return {
            "name": contributor.name,
            "slug": contributor.slug,
            "role": byline.role,
            "title": contributor.title,
            "organisation": contributor.organisation,
        }


class CorrectionSerializer(HandBuilt, serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["kind", "note", "created_at"]

    @staticmethod
    def represent(correction):
        return {"kind": correction.kind, "note": correction.note, "created_at": moment(correction.created_at)}


class ArticleListSerializer(HandBuilt, serializers.ModelSerializer):
    published_at = serializers.DateTimeField(source="go_live_at")
    url = serializers.SerializerMethodField()
    section = SectionSerializer(allow_null=True)
    tags = TagSerializer(many=True)
    bylines = BylineSerializer(many=True)
    lead_image = ImageSerializer(allow_null=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "headline",
            "kicker",
            "dek",
            "dateline",
            "section",
            "tags",
            "language",
            "source_credit",
            "published_at",
            "updated_at",
            "version",
            "bylines",
            "lead_image",
            "url",
        ]

    def get_url(self, article) -> str:
        return absolute(article.get_absolute_url())

    def represent(self, article):
        section = article.section
        return {
            "id": article.pk,
            "slug": article.slug,
            "headline": article.headline,
            "kicker": article.kicker,
            "dek": article.dek,
            "dateline": article.dateline,
            "section": None if section is None else name_and_slug(section),
            "tags": [name_and_slug(tag) for tag in article.tags.all()],
            "language": article.language,
            "source_credit": article.source_credit,
            "published_at": moment(article.go_live_at),
            "updated_at": moment(article.updated_at),
            "version": article.version,
            "bylines": [BylineSerializer.represent(byline) for byline in article.bylines.all()],
            "lead_image": ImageSerializer.represent(article.lead_image),
            "url": self.get_url(article),
        }


class ArticleDetailSerializer(ArticleListSerializer):
    body = serializers.SerializerMethodField(
        help_text="The story in order; each block's keys depend on its type."
    )
    quotes = QuoteSerializer(many=True)
    corrections = CorrectionSerializer(many=True)

    class Meta(ArticleListSerializer.Meta):
        fields = [
            *ArticleListSerializer.Meta.fields,
            "first_published_at",
            "canonical_url",
            "body",
            "quotes",
            "corrections",
        ]

    @extend_schema_field(BODY_SCHEMA)
    def get_body(self, article):
        return BlockSerializer(article.blocks.all(), many=True, context=self.context).data

    def represent(self, article):
        data = super().represent(article)
        data["first_published_at"] = moment(article.first_published_at)
        data["canonical_url"] = article.canonical_url
        data["body"] = [BlockSerializer.represent(block) for block in article.blocks.all()]
        data["quotes"] = [QuoteSerializer.represent(quote) for quote in article.quotes.all()]
        data["corrections"] = [CorrectionSerializer.represent(c) for c in article.corrections.all()]
        return data


# What editors see of a story beyond what readers do: its stage and its times.
EDITORIAL_FIELDS = [
    "status",
    "go_live_at",
    "embargo_until",
    "expires_at",
    "killed_at",
    "kill_notice",
    "created_at",
]


def editorial_state(article):
    return {
        "status": article.status,
        "go_live_at": moment(article.go_live_at),
        "embargo_until": moment(article.embargo_until),
        "expires_at": moment(article.expires_at),
        "killed_at": moment(article.killed_at),
        "kill_notice": article.kill_notice,
        "created_at": moment(article.created_at),
    }


class EditorialState:
    # For serializers of stories at any stage: the reader's shape, then the stage and times.
    def represent(self, article):
        data = super().represent(article)
        data.update(editorial_state(article))
        return data


class ArticleEditorialSerializer(EditorialState, ArticleDetailSerializer):
    """A story as its editors see it, at any stage; answers every write. Send its ETag back as If-Match."""

    published_at = serializers.DateTimeField(source="go_live_at", allow_null=True)

    class Meta(ArticleDetailSerializer.Meta):
        fields = [*ArticleDetailSerializer.Meta.fields, *EDITORIAL_FIELDS]


class ArticleDeskSerializer(EditorialState, ArticleListSerializer):
    """A story in an editor's list, at any stage: the list shape with its stage and times."""

    published_at = serializers.DateTimeField(source="go_live_at", allow_null=True)

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, *EDITORIAL_FIELDS]


class SpeakerSerializer(SpeakerSummarySerializer):
    # Prefetched with the publication rule applied; see SpeakerViewSet.
    quotes = QuoteWithArticleSerializer(many=True, read_only=True, source="public_quotes")

    class Meta(SpeakerSummarySerializer.Meta):
        fields = [*SpeakerSummarySerializer.Meta.fields, "quotes"]

    def represent(self, speaker):
        data = speaker_summary(speaker)
        data["quotes"] = [QuoteWithArticleSerializer.represent(quote) for quote in speaker.public_quotes]
        return data


class SpeakerListSerializer(SpeakerSummarySerializer):
    quote_count = serializers.IntegerField(read_only=True, help_text="Quotes in published stories.")

    class Meta(SpeakerSummarySerializer.Meta):
        fields = [*SpeakerSummarySerializer.Meta.fields, "quote_count"]

    def represent(self, speaker):
        data = speaker_summary(speaker)
        data["quote_count"] = speaker.quote_count
        return data


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"label": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
            "required": ["label", "url"],
        },
    }
)
class LinksField(serializers.JSONField):
    pass


class ContributorSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    links = LinksField(help_text='Public links, e.g. [{"label": "Website", "url": "https://…"}].')

    class Meta:
        model = Contributor
        fields = ["name", "slug", "title", "organisation", "bio", "links", "url"]

    def get_url(self, contributor) -> str:
        return absolute(contributor.get_absolute_url())


class LatestStories(serializers.ListSerializer):
    """A contributor's newest public stories, once each."""

    def get_attribute(self, contributor):
        # public_bylines is prefetched with the publication rule applied; see ContributorViewSet.
        return list({byline.article_id: byline.article for byline in contributor.public_bylines}.values())


class ContributorDetailSerializer(ContributorSerializer):
    # The newest stories only; the full list is /api/v1/articles/?contributor={slug}.
    STORIES = 20

    stories = LatestStories(child=ArticleListSerializer(), read_only=True)

    class Meta(ContributorSerializer.Meta):
        fields = [*ContributorSerializer.Meta.fields, "stories"]


class KilledArticleSerializer(serializers.ModelSerializer):
    """What stands where a withdrawn story stood: an error like any other (`code`, `message`), with the
    notice. `detail` repeats the message for clients written before `code` and `message` were sent."""

    MESSAGE = "This story has been withdrawn."

    code = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["code", "message", "detail", "slug", "kill_notice", "killed_at"]

    def get_code(self, article) -> str:
        return "gone"

    def get_message(self, article) -> str:
        return self.MESSAGE

    def get_detail(self, article) -> str:
        return self.MESSAGE
