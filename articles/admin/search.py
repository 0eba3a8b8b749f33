"""The story list's search box, filters and paging, held to the same costs at 100,000 stories as at 100.

The search box asks the search engine (articles/search/) — headline, standfirst, body and quotes through
the search index — over the stories the user may open, drafts included; the list's own ordering applies.
Counting every match or every story on each page would cost as much as listing them all, so counts
are exact up to a thousand and estimated by the database beyond. The year and language filters list
what is in use with one index probe per year or language, never a scan of every story.
"""

import datetime

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Min
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.functional import cached_property

from articles import search

# Exact counts up to this many rows; beyond, the planner's estimate (PostgreSQL) or the exact count.
EXACT_COUNT_LIMIT = 1_000


class EstimatingPaginator(Paginator):
    @cached_property
    def count(self):
        queryset = self.object_list
        # Unordered, so the database may stop at the first rows it finds rather than the newest.
        counted = queryset.order_by()[: EXACT_COUNT_LIMIT + 1].count()
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


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        stories = model_admin.model.objects.order_by()
        years, start = [], None
        while True:
            remaining = stories if start is None else stories.filter(go_live_at__gte=start)
            first = remaining.aggregate(first=Min("go_live_at"))["first"]
            if first is None:
                break
            year = timezone.localtime(first).year
            years.append((str(year), str(year)))
            start = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
        return years[::-1]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        year = int(self.value())
        start = timezone.make_aware(datetime.datetime(year, 1, 1))
        return queryset.filter(go_live_at__gte=start, go_live_at__lt=start.replace(year=year + 1))


class LanguageFilter(admin.SimpleListFilter):
    title = "language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        stories = model_admin.model.objects.order_by()
        languages, last = [], None
        while True:
            remaining = stories if last is None else stories.filter(language__gt=last)
            last = remaining.aggregate(next=Min("language"))["next"]
            if last is None:
                return languages
            languages.append((last, last))

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class StorySearchAdminMixin:
    paginator = EstimatingPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        if getattr(request.resolver_match, "url_name", None) == "autocomplete":
            # Picking a story in a form is typing its headline, a few letters at a time: the search index
            # matches whole words only, so the picker matches the letters typed so far in headlines.
            return queryset.filter(headline__icontains=search_term.strip()), False
        try:
            return search.search_stories(queryset, search_term, ranked=False), False
        except search.InvalidSearch as error:
            self.message_user(request, f"Search: {error}", messages.ERROR)
            return queryset.none(), False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
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
