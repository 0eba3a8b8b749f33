import django_filters

from ..models import Article, Quote


class ArticleFilter(django_filters.FilterSet):
    section = django_filters.CharFilter(field_name="section__slug", help_text="Section slug.")
    tag = django_filters.CharFilter(field_name="tags__slug", help_text="Tag slug.")
    contributor = django_filters.CharFilter(
        field_name="bylines__contributor__slug", help_text="Contributor slug."
    )
    speaker = django_filters.CharFilter(
        field_name="quotes__speaker__slug", distinct=True, help_text="Slug of a speaker quoted in the story."
    )
    language = django_filters.CharFilter()
    published_after = django_filters.IsoDateTimeFilter(field_name="go_live_at", lookup_expr="gte")
    published_before = django_filters.IsoDateTimeFilter(field_name="go_live_at", lookup_expr="lt")

    class Meta:
        model = Article
        fields = [
            "section",
            "tag",
            "contributor",
            "speaker",
            "language",
            "published_after",
            "published_before",
        ]


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """Accepts true/false (or 1/0) and refuses anything else instead of silently ignoring it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")])
        kwargs.setdefault("coerce", lambda value: value in ("true", "1"))
        super().__init__(*args, **kwargs)


class QuoteFilter(django_filters.FilterSet):
    speaker = django_filters.CharFilter(field_name="speaker__slug", help_text="Speaker slug.")
    article = django_filters.CharFilter(field_name="article__slug", help_text="Story slug.")
    is_pull_quote = StrictBooleanFilter()

    class Meta:
        model = Quote
        fields = ["speaker", "article", "is_pull_quote"]
