from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Cursor pages stay stable while new stories are published, and deep pages cost what the first does."""

    ordering = ("-go_live_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request, queryset, view):
        # Each resource names its own stable, unique-ending ordering.
        return getattr(view, "cursor_ordering", self.ordering)
