"""Editorial reads for frontends built for the newsroom: stories at every stage a staff account may see,
by status, with a total on request, and the pictures it brought in or its stories show. Public reads stay
in views.py and show public content only, whoever asks; nothing here is ever shared or stored.
"""

import django_filters
from rest_framework import mixins, permissions, viewsets

from .. import permissions as roles
from .. import shared_objects
from ..caching import set_private_headers
from ..models import Article, Image
from . import serializers
from .filters import StrictBooleanFilter
from .pagination import CursorPagination
from .sparse import SparseFieldsMixin


class StaffOnly(permissions.BasePermission):
    message = "Only newsroom staff can read stories before they are published."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class DeskFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Article.Status.choices,
        help_text="Only stories at these stages; repeat for several (`?status=draft&status=in_review`).",
    )
    # Read by the paginator; declared here so it is documented and not refused as unknown.
    total = StrictBooleanFilter(
        method=lambda queryset, name, value: queryset,
        help_text="true: the page also carries `total`, the number of stories the whole list holds.",
    )

    class Meta:
        model = Article
        fields = ["status"]


class TotalCursorPagination(CursorPagination):
    """Cursor pages that also count the whole list when asked (`?total=true`): a count costs a query."""

    def paginate_queryset(self, queryset, request, view=None):
        wanted = request.query_params.get("total") in ("true", "1")
        self.total = queryset.order_by().count() if wanted else None
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.total is not None:
            response.data["total"] = self.total
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["total"] = {
            "type": "integer",
            "description": "How many stories the whole list holds; only with `?total=true`.",
        }
        return schema


class DeskArticleViewSet(SparseFieldsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Stories at every stage the token's account may see — reporters their own, editors all — newest
    change first: drafts, stories in review, scheduled, published and killed ones. Each links to its
    editorial read, `/api/v1/articles/{slug}/edit/`."""

    serializer_class = serializers.ArticleDeskSerializer
    permission_classes = [StaffOnly]
    staff_only = True
    filterset_class = DeskFilter
    pagination_class = TotalCursorPagination
    cursor_ordering = ("-updated_at", "-id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, with no account
            return Article.objects.none()
        return roles.visible_articles(self.request.user).with_listing()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # One account's view of the desk: never kept by a browser or a shared cache.
        set_private_headers(response)
        return response


class DeskImageViewSet(
    SparseFieldsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Pictures a staff account may reach before any story shows them — the library's unused pictures,
    its own uploads among them, and those its stories show (editors: every picture) — newest first."""

    serializer_class = serializers.ImageSerializer
    permission_classes = [StaffOnly]
    staff_only = True
    cursor_ordering = ("-created_at", "-id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, with no account
            return Image.objects.none()
        return shared_objects.reachable(Image, self.request.user).prefetch_related("renditions")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        set_private_headers(response)
        return response
