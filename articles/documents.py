"""Stored documents: each public story's API representation, kept with the story in the database.

The detail a reader asks for is read in one indexed query — the story's row, to which the publication
rule applies at that moment, joined with its document — and answered in front of Django with the bytes
and headers the full stack built (see ``edge.py``). No cache server is needed, so the default install
(SQLite, no Redis) reads as fast as the largest one.

What keeps a document true is its ``stamp``: every change to the story or to anything it shows (the same
signals that turn the edge's tokens, ``invalidation.py``) raises it in the change's own transaction and
empties the document. A document is only ever written under the stamp read *before* the stack read the
story, and only if the stamp is still that one, so bytes built from rows a change has since replaced are
never kept. A story never read has no row; the first reader makes an empty one before building, so a change
committing during that build finds a row to raise.

Each story's row in API lists is stored beside its detail, under the same stamp: a list is its page's one
query with the rows joined in, and the rows missing or stale built in one more (``api/views.StoredRows``).
"""

import functools
import json
import operator
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from .models import StoryDocument

DATABASE = "default"  # documents are written by readers: always the primary


def mark_stale(article_ids):
    """Empty the documents of these stories and raise their stamps, in the caller's transaction."""
    article_ids = list(article_ids)
    if article_ids:
        StoryDocument.objects.using(DATABASE).filter(article_id__in=article_ids).update(
            stamp=F("stamp") + 1, body=None, headers="", etag="", row=None, row_keys=""
        )


# Where the prepared query takes the slug asked for and the time now.
SLUG, NOW = object(), object()


@dataclass(frozen=True)
class Found:
    """A public story found at an address, and what is stored for it."""

    article_id: int
    expires_at: float | None
    stamp: int | None  # None: no document row yet
    variant: str
    body: bytes | None
    headers: str
    etag: str
    last_modified: float

    def current(self, variant):
        return self.body is not None and self.variant == variant


class PublicStoryQuery:
    """The one query: a public story by slug, with its document.

    The SQL is compiled once from ``Article.objects.public()`` (so the publication rule is written in one
    place only) with stand-in values, which each call replaces by the slug asked for and the time now.
    """

    SLUG = "\x00slug\x00"

    def __init__(self):
        self._compiled = {}

    def _compile(self, connection):
        Article = apps.get_model("articles", "Article")
        at = timezone.now().replace(year=2000, month=1, day=1, microsecond=123457)
        queryset = Article.objects.using(connection.alias).public(at=at).filter(slug=self.SLUG)
        queryset = queryset.values_list(
            "pk",
            "expires_at",
            "document__stamp",
            "document__variant",
            "document__body",
            "document__headers",
            "document__etag",
            "document__last_modified",
        )
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
        moment = connection.ops.adapt_datetimefield_value(at)
        template = [SLUG if param == self.SLUG else NOW if param == moment else param for param in params]
        if SLUG not in template or NOW not in template:
            raise RuntimeError("The public story query could not be prepared.")
        return sql, template

    def __call__(self, slug, now):
        connection = connections[DATABASE]
        if connection.vendor not in self._compiled:
            self._compiled[connection.vendor] = self._compile(connection)
        sql, template = self._compiled[connection.vendor]
        moment = connection.ops.adapt_datetimefield_value(now)
        values = [slug if param is SLUG else moment if param is NOW else param for param in template]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            row = cursor.fetchone()
        if row is None:
            return None
        pk, expires_at, stamp, variant, body, headers, etag, last_modified = row
        if isinstance(expires_at, str):  # SQLite keeps times as text, in UTC
            expires_at = datetime.fromisoformat(expires_at).replace(tzinfo=UTC)
        return Found(
            article_id=pk,
            expires_at=expires_at.timestamp() if expires_at else None,
            stamp=stamp,
            variant=variant or "",
            body=bytes(body) if body is not None else None,
            headers=headers or "",
            etag=etag or "",
            last_modified=last_modified or 0.0,
        )


public_story = PublicStoryQuery()


def begin(article_id):
    """The stamp to build a document under: the row's, made first if the story has none yet."""
    return begin_many([article_id]).get(article_id)


def begin_many(article_ids):
    """{story: the stamp to build its document under}, making the rows stories lack first."""
    manager = StoryDocument.objects.using(DATABASE)
    manager.bulk_create([StoryDocument(article_id=pk) for pk in article_ids], ignore_conflicts=True)
    return dict(manager.filter(article_id__in=article_ids).values_list("article_id", "stamp"))


def keep(article_id, stamp, variant, *, body, headers, etag, last_modified):
    """Store a document built under `stamp`, unless a change has raised the stamp since."""
    StoryDocument.objects.using(DATABASE).filter(article_id=article_id, stamp=stamp).update(
        variant=variant,
        body=body,
        headers=json.dumps(headers),
        etag=etag,
        last_modified=last_modified,
    )


# In development the code changes without a new RELEASE: each start of the server (runserver restarts on
# every edit) builds documents afresh.
_STARTED = f"@{time.time():.0f}"


def variant(scheme):
    release = settings.NEWSROOM_RELEASE + (_STARTED if settings.DEBUG else "")
    return f"{release}|{scheme}"


_detail_prefix = None


def detail_slug(path):
    """The slug in a story's API address (/api/v1/articles/<slug>/), or None for any other path."""
    global _detail_prefix
    if _detail_prefix is None:
        _detail_prefix = reverse("article-detail", kwargs={"slug": "x"})[:-2]
    if not path.startswith(_detail_prefix) or not path.endswith("/"):
        return None
    slug = path[len(_detail_prefix) : -1]
    if not slug or not all(char.isalnum() or char in "-_" for char in slug) or not slug.isascii():
        return None
    return slug


# List rows --------------------------------------------------------------------------------------------

# Annotations that bring a story's stored list row along with it in a list's own query.
ROW_COLUMNS = {
    "stored_row": F("document__row"),
    "stored_row_keys": F("document__row_keys"),
    "stored_row_release": F("document__row_release"),
    "stored_stamp": F("document__stamp"),
}


def with_rows(articles):
    return articles.annotate(**ROW_COLUMNS)


def stored_row(article):
    """The story's list row as stored, when it was built by this release; else None."""
    row = article.stored_row
    if row is None or article.stored_row_release != settings.NEWSROOM_RELEASE:
        return None
    return bytes(row)


def keep_rows(built):
    """Store list rows built under known stamps: {story: (stamp, row, keys)}; a raised stamp keeps none."""
    if not built:
        return
    current = [Q(article_id=pk, stamp=stamp) for pk, (stamp, _, _) in built.items()]

    def each(position, field):
        whens = [When(article_id=pk, then=Value(value[position])) for pk, value in built.items()]
        return Case(*whens, output_field=field)

    # One statement, whatever the page's size.
    StoryDocument.objects.using(DATABASE).filter(functools.reduce(operator.or_, current)).update(
        row=each(1, models.BinaryField()),
        row_keys=each(2, models.TextField()),
        row_release=settings.NEWSROOM_RELEASE,
    )
