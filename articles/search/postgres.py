"""Search on PostgreSQL: the stories' search vectors (kept current by triggers, migration 0007) and
their GIN index.

Cost is bounded by the candidate set, not by how common a word is. Only the `limit` most recent matching
stories are ranked, and they are found one of two ways, chosen from how many stories the query's words
are in (the column's lexeme statistics, which ANALYZE keeps):

- a common query walks the publication-time index from the newest story and checks each story's vector
  until it has `limit` matches: about `limit / share` vectors read, whatever the archive's size;
- a rarer one takes every match from the GIN index (no vector read) and keeps the newest: about
  `share × stories` rows, which stays small because the share does.

Each is chosen where it is the cheaper (see `walks`); PostgreSQL's planner would price both without the
cost of reading a vector (several kilobytes, out of line), so the search sets which it may use. Phrases
are matched word by word in that first step (the index cannot check word order without reading the
vector), then checked exactly on the candidates alone.
"""

import math
import time
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import DateTimeField, ExpressionWrapper, F, FloatField, Value
from django.db.models.functions import Cast

from ..models import Article

# Weights of the rank for D, C, B, A: body and quotes (C) count half as much as the standfirst (B), which
# counts 0.4 of the headline (A). Normalisation 1 divides by 1 + log(length), so a long story that
# mentions a word in passing does not outrank a short one about it.
WEIGHTS = [0.05, 0.2, 0.4, 1.0]
NORMALIZATION = 1
# Reading one story's vector to check it costs about this many times taking a match from the GIN index
# (measured: ~24 µs against ~1 µs).
VECTOR_READ_COST = 20
# How long lexeme statistics are kept in a process before they are read again.
STATISTICS_TTL = 600

_statistics = {}


def query(text):
    return SearchQuery(text, search_type="websearch", config=Article.SEARCH_CONFIG)


def search(queryset, terms, *, limit, ranked):
    exact = query(terms.text)
    if not ranked:
        # Reading every story's vector in turn is never the plan.
        return queryset.filter(search_vector=exact), {"enable_seqscan": "off"}
    loose = query(terms.loose_text) if terms.phrases else exact
    matching = queryset.filter(search_vector=loose)
    # Reading every story's vector in turn is never the plan.
    planner = {"enable_seqscan": "off"}
    if walks(queryset.db, terms, limit):
        matching = matching.order_by(*Article.RECENT_FIRST)
        planner["enable_bitmapscan"] = "off"
    else:
        # Ordering by an expression no index provides keeps the planner from walking the index.
        newest = ExpressionWrapper(F("go_live_at") + Value(timedelta(0)), output_field=DateTimeField())
        matching = matching.order_by(newest.desc(), "-id")
    found = queryset.filter(pk__in=matching.values("pk")[:limit])
    if terms.phrases:
        found = found.filter(search_vector=exact)
    # Double precision, so the rank survives the round trip through a pagination cursor.
    rank = SearchRank(F("search_vector"), exact, weights=WEIGHTS, normalization=NORMALIZATION)
    return found.annotate(search_rank=Cast(rank, FloatField())), planner


def walks(using, terms, limit):
    """Whether walking the publication-time index finds `limit` matches more cheaply than the GIN index."""
    if not terms.required and not terms.phrases:
        return False  # only alternatives: rarely common, and the GIN index answers OR without reading
    frequencies, floor, stories = statistics(using)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s))",
            [Article.SEARCH_CONFIG, " ".join(terms.words)],
        )
        lexemes = cursor.fetchone()[0] or []
    if not lexemes:
        return False
    # Words are not independent (phrases, names), so the share is between the product and the minimum.
    shares = sorted(frequencies.get(lexeme, floor) for lexeme in lexemes)
    share = math.sqrt(math.prod(shares) * shares[0])
    walk_reads = limit / share * VECTOR_READ_COST
    gin_rows = share * stories
    return walk_reads < gin_rows


def statistics(using):
    """({lexeme: share of stories}, share assumed for any other lexeme, stories), cached per process."""
    cached = _statistics.get(using)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
            "AND s.tablename = c.relname AND s.attname = 'search_vector' "
            "WHERE c.oid = 'articles_article'::regclass"
        )
        lexemes, shares, stories = cursor.fetchone()
    frequencies = dict(zip(lexemes or [], shares or [], strict=False))
    # Below the least common listed lexeme, as PostgreSQL's own estimate assumes.
    floor = min(frequencies.values(), default=0.001) / 2
    result = (frequencies, floor, max(stories or 0, 1))
    _statistics[using] = (time.monotonic() + STATISTICS_TTL, result)
    return result
