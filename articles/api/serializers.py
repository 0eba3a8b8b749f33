from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from contributors.models import Contributor

from ..links import absolute
from ..media.processing import UploadRefused, prepare_upload
from ..media.uploads import image_create
from ..models import Article, Block, Byline, Correction, Embed, Image, Quote, Rendition, Section, Speaker, Tag
from ..text import strip_tags


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["name", "slug"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["name", "slug"]


class SpeakerSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["name", "slug", "title", "is_anonymous"]


class RenditionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Rendition
        fields = ["url", "width", "height", "format", "ratio"]

    def get_url(self, rendition) -> str:
        return absolute(rendition.file.url)


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    focal_point = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()

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

    @extend_schema_field({"type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "number"}}})
    def get_focal_point(self, image):
        return {"x": image.focal_x, "y": image.focal_y}

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, image):
        """Ready for srcset: grouped by crop ratio and format (modern formats first), narrowest first."""
        order = {fmt: n for n, fmt in enumerate(Rendition.Format.values)}
        renditions = sorted(image.renditions.all(), key=lambda r: (r.ratio, order[r.format], r.width))
        return RenditionSerializer(renditions, many=True).data


class ImageUploadSerializer(serializers.ModelSerializer):
    """A new picture: multipart `file` plus its editorial fields."""

    file = serializers.FileField(
        help_text="JPEG, PNG, WebP, AVIF, GIF or HEIC. Location, camera and other hidden data are removed."
    )

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "copyright", "focal_x", "focal_y"]

    def validate_file(self, upload):
        try:
            self.prepared = prepare_upload(upload)
        except UploadRefused as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return upload

    def create(self, validated_data):
        validated_data.pop("file")
        return image_create(prepared=self.prepared, **validated_data)


class EmbedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Embed
        fields = ["url", "provider", "title", "fallback_text"]


class QuoteSerializer(serializers.ModelSerializer):
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


class QuoteWithArticleSerializer(QuoteSerializer):
    article = serializers.SerializerMethodField()

    class Meta(QuoteSerializer.Meta):
        fields = [*QuoteSerializer.Meta.fields, "article"]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "slug": {"type": "string"},
                "headline": {"type": "string"},
                "url": {"type": "string"},
            },
        }
    )
    def get_article(self, quote):
        article = quote.article
        return {
            "slug": article.slug,
            "headline": article.headline,
            "url": absolute(article.get_absolute_url()),
        }


class BlockSerializer(serializers.ModelSerializer):
    """A body block; only the keys for its type are present."""

    class Meta:
        model = Block
        fields = ["id", "type"]

    def to_representation(self, block):
        data = {"id": block.id, "type": block.type}
        if block.type in (Block.Type.PARAGRAPH, Block.Type.HEADING):
            data["text"] = strip_tags(block.text)
            data["html"] = block.text
        elif block.type == Block.Type.QUOTE:
            data["quote"] = QuoteSerializer(block.quote, context=self.context).data
        elif block.type == Block.Type.IMAGE:
            data["image"] = ImageSerializer(block.image, context=self.context).data
        elif block.type == Block.Type.EMBED:
            data["embed"] = EmbedSerializer(block.embed).data
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


class BylineSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="contributor.name")
    slug = serializers.CharField(source="contributor.slug")
    title = serializers.CharField(source="contributor.title")
    organisation = serializers.CharField(source="contributor.organisation")

    class Meta:
        model = Byline
        fields = ["name", "slug", "role", "title", "organisation"]


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["kind", "note", "created_at"]


class ArticleListSerializer(serializers.ModelSerializer):
    published_at = serializers.DateTimeField(source="go_live_at")
    url = serializers.SerializerMethodField()
    section = SectionSerializer(allow_null=True)
    tags = TagSerializer(many=True)
    bylines = BylineSerializer(many=True)
    lead_image = ImageSerializer(allow_null=True)

    class Meta:
        model = Article
        fields = [
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


class ArticleEditorialSerializer(ArticleDetailSerializer):
    """A story as its editors see it, at any stage; answers every write. Send its ETag back as If-Match."""

    published_at = serializers.DateTimeField(source="go_live_at", allow_null=True)

    class Meta(ArticleDetailSerializer.Meta):
        fields = [
            *ArticleDetailSerializer.Meta.fields,
            "status",
            "go_live_at",
            "embargo_until",
            "expires_at",
            "killed_at",
            "kill_notice",
            "created_at",
        ]


class SpeakerSerializer(SpeakerSummarySerializer):
    quotes = serializers.SerializerMethodField()

    class Meta(SpeakerSummarySerializer.Meta):
        fields = [*SpeakerSummarySerializer.Meta.fields, "quotes"]

    @extend_schema_field(QuoteWithArticleSerializer(many=True))
    def get_quotes(self, speaker):
        # Prefetched with the publication rule applied; see SpeakerViewSet.
        return QuoteWithArticleSerializer(speaker.public_quotes, many=True).data


class SpeakerListSerializer(SpeakerSummarySerializer):
    quote_count = serializers.IntegerField(read_only=True, help_text="Quotes in published stories.")

    class Meta(SpeakerSummarySerializer.Meta):
        fields = [*SpeakerSummarySerializer.Meta.fields, "quote_count"]


class ContributorSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Contributor
        fields = ["name", "slug", "title", "organisation", "bio", "links", "url"]

    def get_url(self, contributor) -> str:
        return absolute(contributor.get_absolute_url())


class ContributorDetailSerializer(ContributorSerializer):
    # The newest stories only; the full list is /api/v1/articles/?contributor={slug}.
    STORIES = 20

    stories = serializers.SerializerMethodField()

    class Meta(ContributorSerializer.Meta):
        fields = [*ContributorSerializer.Meta.fields, "stories"]

    @extend_schema_field(ArticleListSerializer(many=True))
    def get_stories(self, contributor):
        # public_bylines is prefetched with the publication rule applied; see ContributorViewSet.
        stories = list({byline.article_id: byline.article for byline in contributor.public_bylines}.values())
        return ArticleListSerializer(stories, many=True, context=self.context).data


class KilledArticleSerializer(serializers.ModelSerializer):
    """What stands where a withdrawn story stood."""

    detail = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["detail", "slug", "kill_notice", "killed_at"]

    def get_detail(self, article) -> str:
        return "This story has been withdrawn."
