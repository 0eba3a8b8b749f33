from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from ..links import absolute

INVALID_CURSOR = "Invalid cursor. Use the `next` or `previous` link as given."


class CursorPagination(pagination.CursorPagination):
    """Cursor pages stay stable while new stories are published, and deep pages cost what the first does."""

    ordering = ("-go_live_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.queryset = queryset
        page = super().paginate_queryset(queryset, request, view)
        # `next` and `previous` on SITE_URL, as every public link: then the bytes are the same whatever
        # Host or scheme the request came with, and a cached list never hands one reader another's host.
        self.base_url = absolute(request.get_full_path())
        return page

    def get_ordering(self, request, queryset, view):
        # An allow-listed `?ordering=` wins (the filterset has already refused anything else); then
        # relevance for a ranked search; then the resource's own stable, unique-ending ordering.
        filterset_class = getattr(view, "filterset_class", None)
        ordering_filter = filterset_class.base_filters.get("ordering") if filterset_class else None
        requested = request.query_params.get("ordering")
        if ordering_filter is not None and requested:
            return ordering_filter.ordering_for(requested)
        if "search_rank" in queryset.query.annotations:
            return ("-search_rank", "-id")
        return getattr(view, "cursor_ordering", self.ordering)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isdigit() or int(value) < 1:
            raise ValidationError(
                {self.page_size_query_param: [f"Enter a whole number from 1 to {self.max_page_size}."]}
            )
        # Larger pages are capped rather than refused, so a client asking for "everything" still works.
        return min(int(value), self.max_page_size)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise self.invalid_cursor() from None
        # The position is compared with the ordering's first column: a cursor the server never issued
        # may carry a value that column cannot hold ("not-a-date" for a time), which the database
        # would otherwise meet as a server error.
        if cursor is not None and cursor.position is not None and not self.position_fits(cursor.position):
            raise self.invalid_cursor()
        return cursor

    def position_fits(self, position):
        if "\x00" in position:
            return False  # no column holds it, and PostgreSQL refuses it in a query
        field = self.ordering_field(self.ordering[0].lstrip("-"))
        if field is None:
            return True
        try:
            value = field.to_python(position)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            return False
        # A time without a zone would be read in the server's zone, with a warning; issued cursors carry one.
        return not (hasattr(value, "tzinfo") and hasattr(value, "hour") and timezone.is_naive(value))

    def ordering_field(self, name):
        annotation = self.queryset.query.annotations.get(name)
        if annotation is not None:
            return annotation.output_field
        try:
            return self.queryset.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def invalid_cursor(self):
        return ValidationError({self.cursor_query_param: [INVALID_CURSOR]})
