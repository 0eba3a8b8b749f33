"""What staff clients send to write stories. The shape differs from what they read back, so it is its own.

A story travels whole: fields, `body` (blocks in order), `quotes` and `bylines`. Blocks and quotes
refer to each other by their index in those lists, since neither has an id before it is saved.
Workflow fields (status, times, version, authorship) are not accepted here; the workflow endpoints
change them.
"""

from rest_framework import serializers

from contributors.models import Contributor

from .. import shared_objects
from ..content import limits, rules
from ..media.processing import UploadRefused, prepare_upload
from ..media.uploads import image_create
from ..models import Article, Block, Byline, Correction, Embed, Image, Quote, Section, Speaker, Tag, addresses

READ_ONLY = {
    "status": "Change it with the workflow endpoints: submit, publish, schedule, unpublish, kill.",
    "version": "It grows by itself with every published change.",
    "created_by": "Set from your token.",
    "updated_by": "Set from your token.",
    "created_at": "Set by the server.",
    "updated_at": "Set by the server; send it back as If-Match (the ETag) instead.",
    "first_published_at": "Set when the story is first published.",
    "published_at": "Set by the publish and schedule endpoints.",
    "go_live_at": "Set by the publish and schedule endpoints.",
    "embargo_until": "Set by the publish and schedule endpoints.",
    "expires_at": "Set by the schedule endpoint.",
    "killed_at": "Set by the kill endpoint.",
    "kill_notice": "Set by the kill endpoint.",
}


class StrictInput:
    """Refuses keys the serializer does not declare, instead of dropping them without a word."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = {
                key: [f"Read-only. {READ_ONLY[key]}" if key in READ_ONLY else "Unknown field."]
                for key in data
                if key not in self.fields
            }
            if unknown:
                raise serializers.ValidationError(unknown)
        return super().to_internal_value(data)


class BoundedList(serializers.ListSerializer):
    """A list refused as a whole when it is longer than `max_length`, before any item is read.

    DRF's own check files its message under `non_field_errors`; this one stands at the list's path.
    """

    def to_internal_value(self, data):
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            what = self.field_name.replace("_", " ") if self.field_name != "body" else "blocks"
            raise serializers.ValidationError(
                [limits.too_many(what, len(data), self.max_length)], code="max_length"
            )
        return super().to_internal_value(data)


class BodyList(BoundedList):
    """The body, also refused when its text together is over the limit, before any of it is sanitized."""

    def to_internal_value(self, data):
        if isinstance(data, list):
            typed = sum(
                len(block["text"])
                for block in data
                if isinstance(block, dict) and isinstance(block.get("text"), str)
            )
            if typed > limits.MAX_BODY_TEXT:
                raise serializers.ValidationError([limits.body_too_long(typed)], code="max_length")
        return super().to_internal_value(data)


class BoundedManyRelatedField(serializers.ManyRelatedField):
    """Many related objects by slug or id, refused when there are too many before any is looked up."""

    def __init__(self, *, max_length, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > self.max_length:
            raise serializers.ValidationError(
                limits.too_many(self.field_name, len(data), self.max_length), code="max_length"
            )
        return super().to_internal_value(data)


class ReachableRelated:
    """Mixed into a related field: it accepts only shared objects the requesting user may reach.

    The same rule as the admin's choices (shared_objects.reachable): naming a picture, speaker,
    section or tag that only another reporter's draft shows is "does not exist", not a way to read it.
    """

    def get_queryset(self):
        model = self.queryset.model
        request = self.context.get("request")
        return shared_objects.reachable(model, request.user) if request else model.objects.none()


class ReachablePrimaryKey(ReachableRelated, serializers.PrimaryKeyRelatedField):
    pass


class ReachableSlug(ReachableRelated, serializers.SlugRelatedField):
    pass


class EmbedInput(StrictInput, serializers.ModelSerializer):
    class Meta:
        model = Embed
        fields = ["url", "provider", "title", "fallback_text"]


class BlockInput(StrictInput, serializers.Serializer):
    type = serializers.ChoiceField(choices=Block.Type.choices)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=limits.MAX_BLOCK_TEXT,
        help_text="Paragraphs and headings: <em>, <strong>, <a href>, <br>. Stored escaped (`&` as `&amp;`), "
        f"it may not grow past {limits.MAX_BLOCK_TEXT:,} characters either.",
    )
    image = ReachablePrimaryKey(
        queryset=Image.objects.all(), required=False, help_text="Image blocks: the id of an uploaded image."
    )
    embed = EmbedInput(required=False, help_text="Embed blocks: the content to embed.")
    quote_index = serializers.IntegerField(
        min_value=0, required=False, help_text="Quote blocks: the position of the quote in `quotes`."
    )

    class Meta:
        list_serializer_class = BodyList

    # The model's pointer fields as this input names them: quote blocks point into `quotes` by index.
    FIELDS = {"quote": "quote_index", "image": "image", "embed": "embed", "text": "text"}

    def validate(self, data):
        pointers = {name for name in rules.POINTER_TYPES if data.get(self.FIELDS[name]) not in ("", None)}
        if errors := rules.block_problems(data["type"], text=data.get("text", ""), pointers=pointers):
            raise serializers.ValidationError({self.FIELDS[name]: [msg] for name, msg in errors.items()})
        if data["type"] in rules.TEXT_TYPES:
            data["text"] = limits.stored_text(data["text"])
        return data


class QuoteInput(StrictInput, serializers.ModelSerializer):
    speaker = ReachableSlug(
        slug_field="slug", queryset=Speaker.objects.all(), allow_null=True, required=False
    )
    block_index = serializers.IntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        help_text="The paragraph the quote stands in (its position in `body`); it must contain the quote.",
    )

    class Meta:
        model = Quote
        list_serializer_class = BoundedList
        fields = [
            "text",
            "speaker",
            "kind",
            "verb",
            "occasion",
            "is_pull_quote",
            "is_verified",
            "block_index",
        ]


class BylineInput(StrictInput, serializers.ModelSerializer):
    contributor = serializers.SlugRelatedField(slug_field="slug", queryset=Contributor.objects.all())

    class Meta:
        model = Byline
        list_serializer_class = BoundedList
        fields = ["contributor", "role"]


class ArticleInput(StrictInput, serializers.ModelSerializer):
    """A story as a client files or edits it (POST, PUT, PATCH /api/v1/articles/)."""

    slug = serializers.SlugField(
        max_length=200,
        required=False,
        help_text="The story's permanent address; made from the headline if left out.",
    )
    section = ReachableSlug(
        slug_field="slug", queryset=Section.objects.all(), allow_null=True, required=False
    )
    tags = BoundedManyRelatedField(
        child_relation=ReachableSlug(slug_field="slug", queryset=Tag.objects.all()),
        max_length=limits.MAX_TAGS,
        required=False,
    )
    lead_image = ReachablePrimaryKey(queryset=Image.objects.all(), allow_null=True, required=False)
    body = BlockInput(
        many=True,
        required=False,
        max_length=limits.MAX_BLOCKS,
        help_text=f"At most {limits.MAX_BLOCKS} blocks; their text together at most "
        f"{limits.MAX_BODY_TEXT:,} characters.",
    )
    quotes = QuoteInput(many=True, required=False, max_length=limits.MAX_QUOTES)
    bylines = BylineInput(many=True, required=False, max_length=limits.MAX_BYLINES)

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "kicker",
            "dek",
            "dateline",
            "section",
            "tags",
            "language",
            "source_credit",
            "lead_image",
            "canonical_url",
            "body",
            "quotes",
            "bylines",
        ]

    def validate_slug(self, slug):
        # A published story may move: its old address answers 301 to the new one (models/addresses.py).
        article = self.instance
        if addresses.slug_owner(slug, article=article) is not None:
            raise serializers.ValidationError(
                "This was the address of another story, which still answers there."
            )
        taken = Article.objects.filter(slug=slug)
        if article is not None:
            taken = taken.exclude(pk=article.pk)
        if taken.exists():
            raise serializers.ValidationError("Another story already has this address.")
        return slug

    def validate(self, data):
        if self.partial and ("body" in data) != ("quotes" in data):
            raise serializers.ValidationError(
                {
                    "body" if "quotes" in data else "quotes": [
                        "Send body and quotes together: they refer to each other."
                    ]
                }
            )
        body, quotes = data.get("body", []), data.get("quotes", [])
        errors = {}
        for index, block in enumerate(body):
            if block["type"] == Block.Type.QUOTE and block["quote_index"] >= len(quotes):
                errors[f"body.{index}.quote_index"] = [f"There is no quote {block['quote_index']} in quotes."]
        for index, quote in enumerate(quotes):
            where = quote.get("block_index")
            if where is None:
                continue
            if where >= len(body):
                errors[f"quotes.{index}.block_index"] = [f"There is no block {where} in body."]
                continue
            paragraph = body[where]
            problems = rules.quote_problems(
                text=quote["text"], paragraph_type=paragraph["type"], paragraph_text=paragraph.get("text", "")
            )
            for name, message in problems.items():
                errors[f"quotes.{index}.{'block_index' if name == 'block' else name}"] = [message]
        seen = set()
        for index, byline in enumerate(data.get("bylines", [])):
            key = (byline["contributor"].pk, byline["role"])
            if key in seen:
                errors[f"bylines.{index}"] = ["This contributor is already credited in this role."]
            seen.add(key)
        if errors:
            raise serializers.ValidationError(errors)
        return data

    def to_service(self):
        """The validated data split the way services.editing.article_create / article_update take it.

        A PUT replaces the whole story: whatever it leaves out goes back to empty.
        """
        data = dict(self.validated_data)
        if self.instance is not None and not self.partial:
            for name in self.Meta.fields:
                if name not in data and name != "slug":
                    data[name] = self.empty_value(name)
        content = {name: data.pop(name) for name in ("tags", "body", "quotes", "bylines") if name in data}
        return {"fields": data, **content}

    def empty_value(self, name):
        field = self.fields[name]
        if isinstance(field, serializers.ListSerializer | serializers.ManyRelatedField):
            return []
        model_field = Article._meta.get_field(name)
        return None if model_field.null else model_field.get_default()


class NoteInput(StrictInput, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="For the audit log.")


class PublishInput(StrictInput, serializers.Serializer):
    embargo_until = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Keep the story hidden until then."
    )


class ScheduleInput(StrictInput, serializers.Serializer):
    go_live_at = serializers.DateTimeField(help_text="When the story goes public; in the future.")
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    embargo_until = serializers.DateTimeField(required=False, allow_null=True, default=None)


class KillInput(StrictInput, serializers.Serializer):
    notice = serializers.CharField(
        max_length=Article._meta.get_field("kill_notice").max_length,
        help_text="Shown to readers where the story stood.",
    )


class CorrectionInput(StrictInput, serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["kind", "note"]


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
