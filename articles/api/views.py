from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response

from contributors.models import Contributor

from .. import preview
from ..models import Article, Byline, Quote, Speaker
from . import serializers
from .filters import ArticleFilter, QuoteFilter
from .ninjs import NinjsRenderer, NinjsSerializer


def public_quotes():
    return Quote.objects.filter(article__in=Article.objects.public()).select_related("speaker", "article")


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Published stories. Drafts, scheduled, embargoed, expired and killed stories do not exist here."""

    lookup_field = "slug"
    filterset_class = ArticleFilter

    def get_queryset(self):
        articles = Article.objects.public()
        if self.action == "retrieve":
            # A valid preview token opens its one unpublished story, in the same shape as a public one.
            token = self.request.query_params.get(preview.PARAMETER)
            return preview.readable_articles(token).with_related()
        return articles.with_listing()

    def get_renderers(self):
        # A single story is also offered as IPTC ninjs (?format=ninjs or Accept: application/ninjs+json).
        renderers = super().get_renderers()
        return [*renderers, NinjsRenderer()] if self.action == "retrieve" else renderers

    @extend_schema(
        parameters=[
            OpenApiParameter(
                preview.PARAMETER,
                OpenApiTypes.STR,
                description="A signed preview token from the admin: shows that one unpublished story.",
            )
        ],
        responses={
            200: serializers.ArticleDetailSerializer,
            410: OpenApiResponse(serializers.KilledArticleSerializer, description="The story was withdrawn."),
        },
    )
    def retrieve(self, request, *args, **kwargs):
        try:
            response = super().retrieve(request, *args, **kwargs)
        except Http404:
            killed = Article.objects.killed().filter(slug=kwargs[self.lookup_field]).first()
            if killed is None:
                raise
            return Response(serializers.KilledArticleSerializer(killed).data, status=status.HTTP_410_GONE)
        if request.query_params.get(preview.PARAMETER):
            response.headers.update(preview.PRIVATE_HEADERS)
        return response

    def get_serializer_class(self):
        if self.action == "retrieve":
            renderer = getattr(self.request, "accepted_renderer", None)
            if isinstance(renderer, NinjsRenderer):
                return NinjsSerializer
            return serializers.ArticleDetailSerializer
        return serializers.ArticleListSerializer


class QuoteViewSet(viewsets.ReadOnlyModelViewSet):
    """Quotes from published stories, with their speakers."""

    serializer_class = serializers.QuoteWithArticleSerializer
    filterset_class = QuoteFilter
    cursor_ordering = ("-id",)

    def get_queryset(self):
        return public_quotes()


class SpeakerViewSet(viewsets.ReadOnlyModelViewSet):
    """People and sources quoted in published stories, with those quotes."""

    lookup_field = "slug"
    serializer_class = serializers.SpeakerSerializer
    cursor_ordering = ("name", "id")

    def get_queryset(self):
        # A speaker quoted only in unpublished stories is not public: it could reveal the story.
        return Speaker.objects.filter(
            Exists(public_quotes().filter(speaker=OuterRef("pk")))
        ).prefetch_related(
            Prefetch(
                "quotes",
                queryset=public_quotes().order_by("-article__go_live_at", "position"),
                to_attr="public_quotes",
            )
        )


class ContributorViewSet(viewsets.ReadOnlyModelViewSet):
    """Journalists credited on stories, with their latest public stories."""

    lookup_field = "slug"
    cursor_ordering = ("name", "id")

    def get_queryset(self):
        contributors = Contributor.objects.all()
        if self.action == "retrieve":
            contributors = contributors.prefetch_related(
                Prefetch(
                    "bylines",
                    queryset=Byline.objects.filter(article__in=Article.objects.public())
                    .select_related("article__section", "article__lead_image")
                    .prefetch_related("article__tags", "article__bylines__contributor")
                    .order_by("-article__go_live_at"),
                    to_attr="public_bylines",
                )
            )
        return contributors

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ContributorDetailSerializer
        return serializers.ContributorSerializer
