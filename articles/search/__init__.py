"""Story search: the one function every surface calls — the API's `?q=`, the admin's story list.

`search_stories` is the place to plug in another engine (OpenSearch, Elasticsearch): it receives the
stories a caller may see and the parsed terms, and returns those stories that match, best first. See the
README's "Search" section. Engines are chosen by SEARCH_BACKEND: `postgres` (full-text search over the
search vectors), `portable` (substring matching, any database) or `auto` (PostgreSQL's where available).
"""

import functools

from django.conf import settings
from django.db import connections

from . import portable, postgres
from .limits import SearchTimedOut, time_limit
from .terms import InvalidSearch, Terms

__all__ = ["InvalidSearch", "SearchTimedOut", "Terms", "engine", "search_stories", "time_limit"]

ENGINES = {"postgres": postgres, "portable": portable}


def engine(using):
    name = settings.SEARCH_BACKEND
    if name == "auto":
        name = "postgres" if connections[using].vendor == "postgresql" else "portable"
    return ENGINES[name]


def search_stories(queryset, terms, *, limit=None, ranked=True):
    """Return the stories of `queryset` that match `terms` (a Terms or the raw query).

    When `ranked`, the `limit` (default SEARCH_CANDIDATES) most recent matches are annotated with
    `search_rank` (higher is better) for the caller to order by; otherwise every match is returned for
    the caller to order (by date, say: the newest matches come from the publication-time index). The queryset
    is evaluated within the search time limit (SearchTimedOut past it). Raises InvalidSearch for a
    query over the length or word limits.
    """
    if not isinstance(terms, Terms):
        terms = Terms(terms)
    if not terms:
        return queryset.none()
    limit = limit or settings.SEARCH_CANDIDATES
    found, planner = engine(queryset.db).search(queryset, terms, limit=limit, ranked=ranked)
    return found.within(functools.partial(time_limit, planner=planner))
