"""Search on any database (SQLite, the default install): substring matching, bounded like PostgreSQL's.

Every word (or phrase) must appear in the headline, standfirst, a block or a quote, ignoring case for
ASCII letters. The `limit` most recent matching stories are the candidates; they are ranked by where the
words stand: all in the headline first, then all in the standfirst, then the rest, newest first within each.
"""

from django.db.models import Case, Exists, FloatField, OuterRef, Q, Value, When

from ..models import Article, Block, Quote


def contains(phrase):
    return (
        Q(headline__icontains=phrase)
        | Q(dek__icontains=phrase)
        | Exists(Block.objects.filter(article=OuterRef("pk"), text__icontains=phrase))
        | Exists(Quote.objects.filter(article=OuterRef("pk"), text__icontains=phrase))
    )


def search(queryset, terms, *, limit, ranked):
    phrases = [*terms.required, *(" ".join(phrase) for phrase in terms.phrases)]
    matches = Q()
    for phrase in phrases:
        matches &= contains(phrase)
    for group in terms.alternatives:
        alternatives = Q()
        for phrase in group:
            alternatives |= contains(phrase)
        matches &= alternatives
    for word in terms.excluded:
        matches &= ~contains(word)
    if not ranked:
        return queryset.filter(matches), {}
    recent = queryset.filter(matches).order_by(*Article.RECENT_FIRST).values("pk")[:limit]
    found = queryset.filter(pk__in=recent)
    if not phrases:
        return found.annotate(search_rank=Value(0.0, output_field=FloatField())), {}
    in_headline = Q(*(Q(headline__icontains=phrase) for phrase in phrases))
    in_dek = Q(*(Q(dek__icontains=phrase) for phrase in phrases))
    rank = Case(
        When(in_headline, then=Value(1.0)),
        When(in_dek, then=Value(0.5)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return found.annotate(search_rank=rank), {}
