from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


class CursorPagination(pagination.CursorPagination):
    """Cursor pages stay stable while new stories are published, and deep pages cost what the first does."""

    ordering = ("-go_live_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

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
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {self.cursor_query_param: ["Invalid cursor. Use the `next` or `previous` link as given."]}
            ) from None
