"""Writing stories through the API: staff with a token, the same role rules as the admin.

Every write goes through `articles.services`; this module only parses requests, maps the services'
errors to HTTP, and enforces optimistic concurrency (`If-Match` with the story's ETag on PUT/PATCH).
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from .. import permissions, preview
from ..links import absolute
from ..models import Article
from ..services.editing import article_create, article_update
from ..services.errors import NotReadyToPublish, SlugTaken, StaleEdit, TransitionError, WorkflowError
from ..services.previews import preview_link_make, preview_links_revoke
from ..services.scheduling import article_schedule
from ..services.workflow import (
    article_correct,
    article_kill,
    article_publish,
    article_submit,
    article_unpublish,
)
from . import examples, inputs, previews, serializers
from .errors import Conflict, PreconditionFailed, PreconditionRequired


class StaffWrites(drf_permissions.BasePermission):
    """Anyone reads public content; only active staff accounts write. Roles are checked per story."""

    message = "Only newsroom staff can change stories."

    def has_permission(self, request, view):
        if (
            request.method in drf_permissions.SAFE_METHODS
            and view.action not in ArticleWriteMixin.STAFF_READS
        ):
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class WorkflowRefused(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "workflow_error"


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The story's ETag as you last received it. Stale: 412; missing: 428.",
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Optional: the story's ETag; the move is refused with 412 if the story changed since.",
)


def _response(article, status_code=status.HTTP_200_OK, context=None):
    article = Article.objects.with_related().get(pk=article.pk)
    data = serializers.ArticleEditorialSerializer(article, context=context).data
    # Write responses describe one editor's view of a story: never stored by a shared cache.
    headers = {"ETag": article.etag, "Cache-Control": "private, no-store"}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = f"/api/v1/articles/{article.slug}/edit/"
    return Response(data, status=status_code, headers=headers)


def _if_match(request, *, required):
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise PreconditionRequired()
        return None
    etags = parse_etags(header)
    if etags == ["*"] or not etags:
        raise PreconditionRequired("Send the story's ETag itself in If-Match; * is not accepted.")
    return etags


def _run(service, **kwargs):
    """Call a workflow service, turning its refusals into API errors with the service's own sentence."""
    try:
        return service(**kwargs)
    except StaleEdit:
        raise PreconditionFailed() from None
    except (TransitionError, SlugTaken) as exc:
        raise Conflict(exc.message) from None
    except NotReadyToPublish as exc:
        raise ValidationError({"article": exc.problems}) from None
    except WorkflowError as exc:
        raise WorkflowRefused(exc.message) from None


MOVES = ("submit", "publish", "schedule", "unpublish", "kill", "corrections")


class ArticleWriteMixin:
    """POST/PUT/PATCH on /api/v1/articles/ and the workflow verbs, for ArticleViewSet."""

    write_serializer_class = inputs.ArticleInput
    WRITES = {"create", "update", "partial_update", "submit", "publish", "schedule", "unpublish", "kill"}
    WRITES |= {"preview_links", "revoke_preview_links"}
    STAFF_READS = {"edit"}
    IF_MATCH_ACTIONS = MOVES
    # Workflow verbs can meet a story in a state that does not allow them; a create can lose its slug
    # to a story filed at the same moment.
    extra_error_codes = dict.fromkeys((*MOVES, "create"), ("409",))

    def get_permissions(self):
        return [StaffWrites()]

    def is_editorial(self):
        return self.action in self.WRITES | self.STAFF_READS | {"corrections"}

    def editorial_queryset(self):
        # Reporters reach their own stories only; anyone else's is a 404, as in the admin.
        user = self.request.user
        return permissions.visible_articles(user) if user.is_authenticated else Article.objects.none()

    def filter_queryset(self, queryset):
        # Query-string filters describe public lists, not the story being edited.
        return queryset if self.is_editorial() else super().filter_queryset(queryset)

    def check_etag(self, article, *, required):
        etags = _if_match(self.request, required=required)
        if etags is not None and article.etag not in etags:
            raise PreconditionFailed()
        return article.etag if etags is not None else None

    @extend_schema(
        request=inputs.ArticleInput,
        responses={201: serializers.ArticleEditorialSerializer},
        summary="File a new draft with its body, quotes and bylines",
        examples=[examples.article_create, examples.validation_error],
    )
    def create(self, request, *args, **kwargs):
        data = inputs.ArticleInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        article = _run(article_create, by=request.user, **data.to_service())
        return _response(article, status.HTTP_201_CREATED, self.get_serializer_context())

    @extend_schema(
        request=inputs.ArticleInput,
        parameters=[IF_MATCH],
        responses={200: serializers.ArticleEditorialSerializer},
        summary="Replace a story's content",
        examples=[examples.stale_edit],
    )
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        article = self.get_object()
        if_match = self.check_etag(article, required=True)
        data = inputs.ArticleInput(
            instance=article, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        _run(article_update, article=article, by=request.user, if_match=if_match, **data.to_service())
        return _response(article, context=self.get_serializer_context())

    @extend_schema(
        request=inputs.ArticleInput,
        parameters=[IF_MATCH],
        responses={200: serializers.ArticleEditorialSerializer},
        summary="Change some of a story's content",
        examples=[examples.stale_edit],
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        responses={200: serializers.ArticleEditorialSerializer},
        summary="A story as its editors see it, with the ETag to send back as If-Match",
    )
    @action(detail=True, methods=["get"])
    def edit(self, request, *args, **kwargs):
        return _response(self.get_object(), context=self.get_serializer_context())

    def _move(self, service, input_class=None, **fixed):
        article = self.get_object()
        self.check_etag(article, required=False)
        values = {}
        if input_class is not None:
            data = input_class(data=self.request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
        _run(service, article=article, by=self.request.user, **values, **fixed)
        return article

    @extend_schema(
        request=inputs.NoteInput,
        parameters=[IF_MATCH_OPTIONAL],
        responses={200: serializers.ArticleEditorialSerializer},
        summary="Submit a draft for review",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return _response(self._move(article_submit, inputs.NoteInput), context=self.get_serializer_context())

    @extend_schema(
        request=inputs.PublishInput,
        parameters=[IF_MATCH_OPTIONAL],
        responses={200: serializers.ArticleEditorialSerializer},
        summary="Publish now (editors)",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        return _response(
            self._move(article_publish, inputs.PublishInput), context=self.get_serializer_context()
        )

    @extend_schema(
        request=inputs.ScheduleInput,
        parameters=[IF_MATCH_OPTIONAL],
        responses={200: serializers.ArticleEditorialSerializer},
        summary="Schedule to go live later (editors)",
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request, *args, **kwargs):
        return _response(
            self._move(article_schedule, inputs.ScheduleInput), context=self.get_serializer_context()
        )

    @extend_schema(
        request=inputs.NoteInput,
        parameters=[IF_MATCH_OPTIONAL],
        responses={200: serializers.ArticleEditorialSerializer},
        summary="Take a story off the site, back to draft (editors)",
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request, *args, **kwargs):
        return _response(
            self._move(article_unpublish, inputs.NoteInput), context=self.get_serializer_context()
        )

    @extend_schema(
        request=inputs.KillInput,
        parameters=[IF_MATCH_OPTIONAL],
        responses={200: serializers.ArticleEditorialSerializer},
        summary="Withdraw a story for good (editors)",
    )
    @action(detail=True, methods=["post"])
    def kill(self, request, *args, **kwargs):
        return _response(self._move(article_kill, inputs.KillInput), context=self.get_serializer_context())

    @extend_schema(
        request=inputs.CorrectionInput,
        parameters=[IF_MATCH_OPTIONAL],
        responses={
            201: OpenApiResponse(
                serializers.CorrectionSerializer, description="The correction; ETag is the story's new one."
            )
        },
        summary="Append a public correction to a published story (editors)",
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, *args, **kwargs):
        article = self.get_object()
        self.check_etag(article, required=False)
        data = inputs.CorrectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        correction = _run(article_correct, article=article, by=request.user, **data.validated_data)
        article.refresh_from_db()
        return Response(
            serializers.CorrectionSerializer(correction).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": article.etag, "Cache-Control": "private, no-store"},
        )

    @extend_schema(
        request=previews.PreviewLinkInput,
        responses={201: previews.PreviewLinkSerializer},
        summary="Make a signed, expiring preview link to a story (editors; never for a killed story)",
    )
    @action(detail=True, methods=["post"], url_path="preview-links")
    def preview_links(self, request, *args, **kwargs):
        article = self.get_object()
        data = previews.PreviewLinkInput(data=request.data)
        data.is_valid(raise_exception=True)
        lifetime = timedelta(hours=data.validated_data["hours"])
        token = preview_link_make(article=article, by=request.user, lifetime=lifetime)
        links = {name: absolute(url) for name, url in preview.links(article, token).items()}
        body = previews.PreviewLinkSerializer({**links, "expires_at": timezone.now() + lifetime}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "private, no-store"})

    @extend_schema(
        request=None,
        responses={204: None},
        summary="End every preview link of a story made so far (editors)",
    )
    @action(detail=True, methods=["post"], url_path="preview-links/revoke")
    def revoke_preview_links(self, request, *args, **kwargs):
        preview_links_revoke(article=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
