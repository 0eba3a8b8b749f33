"""The story list's search box and paging, held to the same costs at 100,000 stories as at 100.

The search box asks the search engine (articles/search/) — headline, standfirst, body and quotes through
the search index — over the stories the user may open, drafts included; the list's own ordering applies.
Counting every match or every story on each page would cost as much as listing them all, so counts
are exact up to a thousand and estimated by the database beyond.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connections
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property

from . import search

# Exact counts up to this many rows; beyond, the planner's estimate (PostgreSQL) or the exact count.
EXACT_COUNT_LIMIT = 1_000


class EstimatingPaginator(Paginator):
    @cached_property
    def count(self):
        queryset = self.object_list
        counted = queryset[: EXACT_COUNT_LIMIT + 1].count()
        if counted <= EXACT_COUNT_LIMIT or connections[queryset.db].vendor != "postgresql":
            return counted if counted <= EXACT_COUNT_LIMIT else queryset.count()
        return max(estimated_rows(queryset), counted)


def estimated_rows(queryset):
    """The planner's estimate of how many rows `queryset` returns (PostgreSQL)."""
    sql, params = queryset.values("pk").order_by().query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return int(plan[0]["Plan"]["Plan Rows"])


class StorySearchAdminMixin:
    paginator = EstimatingPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        try:
            return search.search_stories(queryset, search_term, ranked=False), False
        except search.InvalidSearch as error:
            self.message_user(request, f"Search: {error}", messages.ERROR)
            return queryset.none(), False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if changelist.query:
            # Years of every match would cost as much as listing them all; the list is by date anyway.
            changelist.date_hierarchy = None
        # Fetch the page here, within the search's time limit, rather than while the template renders.
        changelist.result_list = list(changelist.result_list)
        return changelist

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except search.SearchTimedOut as error:
            self.message_user(request, f"Search: {error}", messages.ERROR)
            remaining = request.GET.copy()
            remaining.pop("q", None)
            return HttpResponseRedirect(f"{request.path}?{remaining.urlencode()}")
