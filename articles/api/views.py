"""Read endpoints: public content only, whoever asks (staff included; previews have their own door).

Each viewset loads everything its serializer renders in `get_queryset`, so a response costs a fixed
number of queries whatever the size of the story (see tests/articles/api/test_views.py for the budgets).
"""

from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .. import caching, documents, preview, shared_objects
from ..caching import PublicCacheMixin, story_target
from ..links import redirect_to
from ..media.uploads import DuplicateImage
from ..models import Article, Byline, Image, Quote, Section, Speaker, Tag, addresses, public_contributors
from ..search import SearchTimedOut
from . import examples, inputs, serializers, sparse
from .errors import Conflict
from .filters import ArticleFilter, NameOrderingFilterSet, QuoteFilter
from .ninjs import NinjsRenderer, NinjsSerializer
from .sparse import SparseReadsMixin
from .writes import ArticleWriteMixin, StaffWrites

PREVIEW_PARAMETER = OpenApiParameter(
    preview.PARAMETER,
    OpenApiTypes.STR,
    description="A signed preview token from the admin: shows that one unpublished story.",
)


class ReadOnlyViewSet(PublicCacheMixin, SparseReadsMixin, viewsets.ReadOnlyModelViewSet):
    pass


@extend_schema_view(list=extend_schema(examples=[examples.article_list]))
class ArticleViewSet(ArticleWriteMixin, ReadOnlyViewSet):
    """Published stories. Drafts, scheduled, embargoed, expired and killed stories do not exist here.

    Staff write through the same resource (see writes.py): those actions reach the stories their role
    may see, at any stage.
    """

    lookup_field = "slug"
    filterset_class = ArticleFilter
    cached_list_key = "articles-list"
    stores_documents = True
    detail_parameters = (preview.PARAMETER,)
    # Actions answered exactly as `retrieve` is (see initial), described alike in the schema.
    detail_aliases = ("by_id",)

    def detail_target(self):
        # One query decides both visibility and whether the stored response is current.
        return story_target(Article.objects.public(), slug=self.kwargs["slug"])

    def get_queryset(self):
        if self.is_editorial():
            return self.editorial_queryset()
        articles = Article.objects.public()
        if self.action == "retrieve":
            # A valid preview token opens its one unpublished story, in the same shape as a public one.
            token = self.request.query_params.get(preview.PARAMETER)
            return preview.readable_articles(token).with_related()
        if self.reads_stored_rows():
            # Only what the cursor may order by: the rest of each story is in its row.
            return documents.with_rows(articles.only("id", "go_live_at", "updated_at"))
        return articles.with_listing()

    def reads_stored_rows(self):
        """Whether this list is made of the rows stored with its stories (documents.py): whole, in JSON."""
        renderer = getattr(self.request, "accepted_renderer", None)
        return (
            self.action == "list"
            and not self.is_editorial()
            and renderer is not None
            and renderer.format == "json"
            and sparse.PARAMETER not in self.request.query_params
        )

    def get_serializer(self, *args, **kwargs):
        if args and kwargs.get("many") and self.reads_stored_rows():
            return StoredRows(args[0], context=self.get_serializer_context())
        return super().get_serializer(*args, **kwargs)

    def get_paginated_response(self, data):
        if isinstance(data, StoredRows.Rows):
            return StoredRows.response(self.paginator.get_paginated_response([]).data, data)
        return super().get_paginated_response(data)

    def list(self, request, *args, **kwargs):
        try:
            return super().list(request, *args, **kwargs)
        except SearchTimedOut as error:
            raise ValidationError({"q": [str(error)]}) from None

    def get_renderers(self):
        # A single story is also offered as IPTC ninjs (?format=ninjs or Accept: application/ninjs+json).
        renderers = super().get_renderers()
        return (
            [*renderers, NinjsRenderer()] if self.action in ("retrieve", *self.detail_aliases) else renderers
        )

    @extend_schema(
        parameters=[PREVIEW_PARAMETER],
        responses={
            200: serializers.ArticleDetailSerializer,
            301: OpenApiResponse(
                description="The story's address changed: `Location` names the new one (query kept)."
            ),
            410: OpenApiResponse(serializers.KilledArticleSerializer, description="The story was withdrawn."),
        },
        examples=[examples.article_detail],
    )
    def retrieve(self, request, *args, **kwargs):
        try:
            response = super().retrieve(request, *args, **kwargs)
        except Http404 as exc:
            slug = kwargs[self.lookup_field]
            killed = Article.objects.killed().filter(slug=slug).first()
            shareable = caching.is_shareable(request._request)
            moved = addresses.moved_to(slug) if killed is None else None
            if moved is not None and (moved.is_public() or moved.status == Article.Status.KILLED):
                # The story's old address: readers and clients follow it to the new one.
                response = redirect_to(request, reverse("article-detail", kwargs={"slug": moved.slug}))
                if shareable:
                    caching.set_public_headers(response, f"article-{moved.pk}")
                return response
            if killed is None:
                response = self.handle_exception(exc)
                if shareable:
                    caching.set_missing_headers(response, slug)
                return response
            response = Response(serializers.KilledArticleSerializer(killed).data, status=status.HTTP_410_GONE)
            if shareable:
                caching.set_public_headers(response, f"article-{killed.pk}")
            return response
        if request.query_params.get(preview.PARAMETER):
            preview.mark_private(response)
        return response

    @extend_schema(
        operation_id="articles_retrieve_by_id",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH), PREVIEW_PARAMETER],
        responses={
            200: serializers.ArticleDetailSerializer,
            410: OpenApiResponse(serializers.KilledArticleSerializer, description="The story was withdrawn."),
        },
        description="A story by its `id`, which never changes (its slug may): the same answer as by slug.",
    )
    @action(detail=False, methods=["get"], url_path=r"id/(?P<id>[0-9]+)", url_name="by-id")
    def by_id(self, request, *args, **kwargs):
        return self.retrieve(request, slug=self.kwargs["slug"])

    def initial(self, request, *args, **kwargs):
        if self.action == "by_id":
            # Answered exactly as the story's address is: same renderers, caching and representation.
            slug = Article.objects.filter(pk=self.kwargs.pop("id")).values_list("slug", flat=True).first()
            if slug is None:
                raise Http404("No such story.")
            self.action, self.kwargs["slug"] = "retrieve", slug
        super().initial(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.action == "retrieve":
            renderer = getattr(self.request, "accepted_renderer", None)
            if isinstance(renderer, NinjsRenderer):
                return NinjsSerializer
            return serializers.ArticleDetailSerializer
        if self.request is not None and self.request.method in ("POST", "PUT", "PATCH"):
            # What OPTIONS describes for writes: the shape a client sends.
            return self.write_serializer_class
        return serializers.ArticleListSerializer


class StoredRows:
    """A page of stories as the bytes stored with each (documents.py), building the rows missing or stale
    in one more query and keeping them under the stamps read with the page."""

    class Rows(list):
        pass

    renderer = JSONRenderer()

    def __init__(self, page, *, context):
        self.page, self.context = page, context

    @property
    def data(self):
        rows = {article.pk: documents.stored_row(article) for article in self.page}
        missing = [article for article in self.page if rows[article.pk] is None]
        if missing:
            rows.update(self.build(missing))
        return self.Rows(rows[article.pk] for article in self.page)

    def build(self, missing):
        stamps = {article.pk: article.stored_stamp for article in missing}
        if None in stamps.values():
            # Stories never read yet: their documents are made before their rows are read.
            stamps.update(documents.begin_many([pk for pk, stamp in stamps.items() if stamp is None]))
        serializer = serializers.ArticleListSerializer(context=self.context)
        built, kept = {}, {}
        for article in Article.objects.filter(pk__in=stamps).with_listing():
            row = self.renderer.render(serializer.to_representation(article))
            keys = caching.join_keys(caching.article_keys(article))
            built[article.pk] = row
            kept[article.pk] = (stamps[article.pk], row, keys)
        for article in missing:
            article.stored_row_keys = kept[article.pk][2]
        documents.keep_rows(kept)
        return built

    @classmethod
    def response(cls, envelope, rows):
        # The page's own fields as DRF renders them, with the stored rows spliced into its results.
        head = cls.renderer.render({**envelope, "results": []})
        return AssembledResponse(head.removesuffix(b"[]}") + b"[" + b",".join(rows) + b"]}")


class AssembledResponse(Response):
    """A JSON response whose bytes are already made."""

    def __init__(self, content):
        super().__init__()
        self.assembled = content

    @property
    def rendered_content(self):
        self["Content-Type"] = "application/json"
        return self.assembled


class QuoteViewSet(ReadOnlyViewSet):
    """Quotes from published stories, with their speakers."""

    serializer_class = serializers.QuoteWithArticleSerializer
    filterset_class = QuoteFilter
    cached_list_key = "quotes-list"
    cursor_ordering = ("-id",)

    def get_queryset(self):
        return Quote.objects.public().select_related("speaker", "article")


class SpeakerViewSet(ReadOnlyViewSet):
    """People and sources quoted in published stories; the detail carries those quotes."""

    lookup_field = "slug"
    filterset_class = NameOrderingFilterSet
    cached_list_key = "speakers-list"
    cursor_ordering = ("name", "id")

    def get_queryset(self):
        # A speaker quoted only in unpublished stories is not public: it could reveal the story.
        speakers = Speaker.objects.public()
        if self.action == "retrieve":
            return speakers.prefetch_related(
                Prefetch(
                    "quotes",
                    queryset=Quote.objects.public()
                    .select_related("speaker", "article")
                    .order_by("-article__go_live_at", "position", "id"),
                    to_attr="public_quotes",
                )
            )
        counts = (
            Quote.objects.public()
            .filter(speaker=OuterRef("pk"))
            .order_by()
            .values("speaker")
            .annotate(n=Count("id"))
            .values("n")
        )
        return speakers.annotate(quote_count=Coalesce(Subquery(counts), 0))

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SpeakerSerializer
        return serializers.SpeakerListSerializer


class ContributorViewSet(ReadOnlyViewSet):
    """Journalists credited on published stories; the detail carries their latest stories."""

    lookup_field = "slug"
    filterset_class = NameOrderingFilterSet
    cached_list_key = "contributors-list"
    cursor_ordering = ("name", "id")

    def get_queryset(self):
        contributors = public_contributors()
        if self.action == "retrieve":
            latest = (
                Byline.objects.filter(article__in=Article.objects.public())
                .select_related("article__section", "article__lead_image")
                .prefetch_related(
                    "article__tags",
                    "article__lead_image__renditions",
                    Prefetch(
                        "article__bylines",
                        queryset=Byline.objects.select_related("contributor").order_by("position"),
                    ),
                )
                .defer("article__search_vector")
                .order_by("-article__go_live_at", "-article_id")
            )
            # Sliced prefetch: the newest stories only, however long the career.
            contributors = contributors.prefetch_related(
                Prefetch(
                    "bylines",
                    queryset=latest[: serializers.ContributorDetailSerializer.STORIES],
                    to_attr="public_bylines",
                )
            )
        return contributors

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ContributorDetailSerializer
        return serializers.ContributorSerializer


class DuplicateUpload(Conflict):
    default_code = "duplicate"

    def __init__(self, message, existing):
        super().__init__(message, "duplicate")
        self.extra = {"existing": existing}


class ImageViewSet(
    PublicCacheMixin,
    SparseReadsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Pictures shown in published stories, with their renditions. Staff who may add images upload
    new ones here (multipart); a new picture is not listed until a public story shows it (its uploader
    reads it at once at /api/v1/desk/images/{id}/)."""

    serializer_class = serializers.ImageSerializer
    cursor_ordering = ("-created_at", "-id")
    cached_list_key = "images-list"
    extra_error_codes = {"create": ("409",)}
    # Uploads need a staff account as well as the role's permission to add pictures.
    permission_classes = [StaffWrites, permissions.DjangoModelPermissionsOrAnonReadOnly]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return Image.objects.public().prefetch_related("renditions")

    def get_serializer_class(self):
        if self.action == "create":
            return inputs.ImageUploadSerializer
        return serializers.ImageSerializer

    @extend_schema(
        request=inputs.ImageUploadSerializer,
        responses={201: serializers.ImageSerializer},
        description="Upload a picture. A file already in the library answers 409, naming the existing "
        "image when the uploader may reach it.",
    )
    def create(self, request, *args, **kwargs):
        upload = self.get_serializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            # The image and its queued renditions commit together; the worker makes them.
            with transaction.atomic():
                image = upload.save(uploaded_by=request.user)
        except DuplicateImage as exc:
            if not shared_objects.may_reach(request.user, exc.existing):
                raise Conflict(shared_objects.DUPLICATE_OUT_OF_REACH, "duplicate") from exc
            raise DuplicateUpload(str(exc), self._represent(exc.existing)) from exc
        image = Image.objects.prefetch_related("renditions").get(pk=image.pk)
        return Response(self._represent(image), status=status.HTTP_201_CREATED)

    def _represent(self, image):
        return serializers.ImageSerializer(image, context=self.get_serializer_context()).data


class SectionViewSet(ReadOnlyViewSet):
    """The site's sections, for navigation; stories in one: /api/v1/articles/?section={slug}."""

    lookup_field = "slug"
    serializer_class = serializers.SectionSerializer
    filterset_class = NameOrderingFilterSet
    cursor_ordering = ("name", "id")
    cached_list_key = "sections-list"

    def get_queryset(self):
        return Section.objects.public()


class TagViewSet(ReadOnlyViewSet):
    """Tags on published stories; stories with one: /api/v1/articles/?tag={slug}."""

    lookup_field = "slug"
    serializer_class = serializers.TagSerializer
    filterset_class = NameOrderingFilterSet
    cursor_ordering = ("name", "id")
    cached_list_key = "tags-list"

    def get_queryset(self):
        return Tag.objects.public()
