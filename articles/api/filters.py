"""Query parameters of the list endpoints.

Every parameter is declared here or by the paginator; anything else is refused with a 400 that names it,
so a misspelt filter never quietly returns the unfiltered list.
"""

import datetime

import django_filters
from django.core.exceptions import ValidationError as FieldError
from django.core.validators import RegexValidator
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from .. import search
from ..models import Article, Quote, Section, Speaker, Tag, public_contributors

# Accepted on every list besides its filters: the paginator's, sparse fields and DRF's format override.
COMMON_LIST_PARAMETERS = ("cursor", "page_size", "fields", "format")
# Accepted on every detail, besides the view's own `detail_parameters` (a story's preview token).
COMMON_DETAIL_PARAMETERS = ("fields", "format")


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter that refuses unknown query parameters on lists and details (invalid values are refused
    already)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        filters = filterset_class.base_filters if filterset_class else {}
        action = getattr(view, "action", None)
        if action == "list":
            self.refuse_unknown_parameters(request, {*COMMON_LIST_PARAMETERS, *filters})
        elif action == "retrieve":
            # A detail has no filters: a list's filter or a misspelt parameter sent here would be ignored.
            self.refuse_unknown_parameters(
                request, {*COMMON_DETAIL_PARAMETERS, *getattr(view, "detail_parameters", ())}
            )
            return queryset
        if not any(name in filters for name in request.query_params):
            # Nothing to filter by: every filter would pass the queryset through untouched, and building
            # the filterset and its form would cost about 2 ms a request for nothing.
            return queryset
        return super().filter_queryset(request, queryset, view)

    def refuse_unknown_parameters(self, request, known):
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            allowed = ", ".join(sorted(known))
            raise ValidationError(
                {name: [f"Unknown query parameter. This address accepts: {allowed}."] for name in unknown}
            )


class CursorOrderingFilter(django_filters.ChoiceFilter):
    """`?ordering=name` or `-name` among allow-listed fields.

    The cursor paginator applies the order (it must own it to build cursors), so filtering is a no-op here;
    see CursorPagination.get_ordering.
    """

    def __init__(self, fields, **kwargs):
        self.fields_map = dict(fields)
        choices = [(f"{sign}{name}", f"{sign}{name}") for name in self.fields_map for sign in ("", "-")]
        kwargs.setdefault("help_text", "Sort order; prefix with - for descending.")
        super().__init__(choices=choices, method=lambda queryset, name, value: queryset, **kwargs)

    def ordering_for(self, value):
        field = self.fields_map[value.lstrip("-")]
        # `id` breaks ties so a cursor always points at one place in the list.
        return (f"-{field}", "-id") if value.startswith("-") else (field, "id")


def slug_choice(queryset, field_name, help_text, **kwargs):
    """A filter by slug that answers 400 for a slug the caller cannot see, instead of an empty list.

    `queryset` is a callable so the publication rule is applied at request time, not at import.
    """
    return django_filters.ModelChoiceFilter(
        queryset=lambda request: queryset(),
        to_field_name="slug",
        field_name=field_name,
        help_text=help_text,
        **kwargs,
    )


def searchable(value):
    try:
        search.Terms(value)
    except search.InvalidSearch as error:
        raise FieldError(str(error)) from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time, compared in UTC.

    Python accepts offsets up to a day; PostgreSQL only up to 15:59, so a value such as
    `2024-01-01T00:00:00-18:13` is converted before it reaches the database, and one that leaves the
    calendar once converted is refused like any other invalid date.
    """

    def filter(self, queryset, value):
        if value:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:
                name = next(name for name, known in self.parent.filters.items() if known is self)
                raise ValidationError({name: ["Enter a valid date/time."]}) from None
        return super().filter(queryset, value)


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        validators=[searchable],
        help_text="Search over headline, standfirst, body and quotes: words (all must match), "
        '"a phrase", `a OR b`, `-word` to exclude; at most 8 words and 200 characters. The most recent '
        "200 matches are ranked by relevance (headline first), unless `ordering` is given.",
    )
    section = slug_choice(Section.objects.public, "section", "Section slug.")
    tag = slug_choice(Tag.objects.public, "tags", "Tag slug.")
    contributor = slug_choice(
        public_contributors,
        "bylines__contributor",
        "Slug of a contributor credited on the story.",
        distinct=True,
    )
    speaker = slug_choice(
        Speaker.objects.public, "quotes__speaker", "Slug of a speaker quoted in the story.", distinct=True
    )
    language = django_filters.CharFilter(
        validators=[
            RegexValidator(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", "Enter a language code such as en.")
        ],
        help_text="BCP 47 language code, e.g. en.",
    )
    published_after = UtcDateTimeFilter(
        field_name="go_live_at", lookup_expr="gte", help_text="ISO 8601 date-time, inclusive."
    )
    published_before = UtcDateTimeFilter(
        field_name="go_live_at", lookup_expr="lt", help_text="ISO 8601 date-time, exclusive."
    )
    ordering = CursorOrderingFilter({"published_at": "go_live_at", "updated_at": "updated_at"})

    class Meta:
        model = Article
        fields = [
            "q",
            "section",
            "tag",
            "contributor",
            "speaker",
            "language",
            "published_after",
            "published_before",
            "ordering",
        ]

    def search(self, queryset, name, value):
        # A date order asks for every match, newest (or oldest) first; otherwise the best of the newest.
        ranked = not self.data.get("ordering")
        return search.search_stories(queryset, value, ranked=ranked)

    def is_valid(self):
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        after, before = data.get("published_after"), data.get("published_before")
        if after and before and after >= before:
            self.form.add_error("published_before", "Must be later than published_after.")
            return False
        return valid


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """Accepts true/false (or 1/0) and refuses anything else instead of silently ignoring it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")])
        kwargs.setdefault("coerce", lambda value: value in ("true", "1"))
        super().__init__(*args, **kwargs)


class QuoteFilter(django_filters.FilterSet):
    speaker = slug_choice(Speaker.objects.public, "speaker", "Speaker slug.")
    article = slug_choice(Article.objects.public, "article", "Story slug.")
    is_pull_quote = StrictBooleanFilter(help_text="true for pull quotes only, false for the others.")

    class Meta:
        model = Quote
        fields = ["speaker", "article", "is_pull_quote"]


class NameOrderingFilterSet(django_filters.FilterSet):
    """People, sections and tags: alphabetical by default, either way on request."""

    ordering = CursorOrderingFilter({"name": "name"})
