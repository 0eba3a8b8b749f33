"""Caching of public responses: HTTP validators and headers, a server-side response cache, surrogate keys.

A response to a request without credentials is the same for everyone, so browsers and the CDN may keep it
(``Cache-Control: public``) and the server keeps its rendered bytes. Entries are found through what they
were built from — a story's version and update time, or the "content generation" for lists — so an edit
leads to a new key instead of a flush. Anything authenticated is ``private, no-store`` and never stored.

Surrogate keys name the stories and people in a response (``article-12 contributor-3 speaker-7``) so a
CDN can drop exactly the responses a change affects; ``articles.purge`` sends those purges.
"""

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from functools import wraps
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from contributors.models import Contributor

from . import documents, purge
from .models import Article, Image, Quote, Section, Speaker, Tag

GENERATION_KEY = "newsroom:content-generation"
VARY = ("Accept", "Authorization", "Cookie")
SAFE_METHODS = ("GET", "HEAD")


def cache():
    return caches[settings.NEWSROOM_RESPONSE_CACHE_ALIAS]


# Query parameters that make a response personal: a preview token opens an unpublished story.
PRIVATE_PARAMETERS = ("preview",)


def shareable(environ):
    """A safe request carrying no credentials: its response may be shared with every reader.

    Read from the WSGI environ (a request's META), so the edge can decide before Django builds a request.
    """
    if environ.get("REQUEST_METHOD") not in SAFE_METHODS or "HTTP_AUTHORIZATION" in environ:
        return False
    cookies = environ.get("HTTP_COOKIE")
    if cookies and settings.SESSION_COOKIE_NAME in parse_cookie(cookies):
        return False
    query = environ.get("QUERY_STRING")
    # A name may arrive percent-encoded ("%70review"), which Django decodes: only parsing can tell.
    if query and ("%" in query or any(name in query for name in PRIVATE_PARAMETERS)):
        names = {name for name, _ in parse_qsl(query, keep_blank_values=True)}
        return not any(name in names for name in PRIVATE_PARAMETERS)
    return True


def is_shareable(request):
    return shareable(request.META)


# Surrogate keys ---------------------------------------------------------------------------------------


def _prefetched(obj, name):
    # Only what is already loaded: naming keys must never cost a query.
    return getattr(obj, "_prefetched_objects_cache", {}).get(name, ())


def article_keys(article):
    stored = getattr(article, "stored_row_keys", None)
    if stored:  # a story shown by its stored list row (documents.py) names what the row shows
        return stored.split()
    keys = [f"article-{article.pk}"]
    keys += [f"contributor-{byline.contributor_id}" for byline in _prefetched(article, "bylines")]
    keys += [f"speaker-{quote.speaker_id}" for quote in _prefetched(article, "quotes") if quote.speaker_id]
    return keys


def surrogate_keys(obj):
    """The keys naming the stories, people, pictures, sections and tags an object's representation shows."""
    if isinstance(obj, Article):
        return article_keys(obj)
    if isinstance(obj, Quote):
        return [f"article-{obj.article_id}", *([f"speaker-{obj.speaker_id}"] if obj.speaker_id else [])]
    if isinstance(obj, Speaker):
        quotes = getattr(obj, "public_quotes", ())
        return [f"speaker-{obj.pk}", *(f"article-{quote.article_id}" for quote in quotes)]
    if isinstance(obj, Contributor):
        bylines = getattr(obj, "public_bylines", ())
        return [f"contributor-{obj.pk}", *(f"article-{byline.article_id}" for byline in bylines)]
    if isinstance(obj, Image):
        return [f"image-{obj.pk}"]
    if isinstance(obj, Section):
        return [f"section-{obj.pk}"]
    if isinstance(obj, Tag):
        return [f"tag-{obj.pk}"]
    return []


def story_purge_keys(article, people=(), slugs=()):
    """What to purge when a story changes state: the story, every list, the people in it, and the
    "not found" answers cached for its addresses before it was public.

    People pages must be purged as well as the story's own key: a newly published story is not yet named
    by the responses that will show it.
    """
    missing = [missing_key(slug) for slug in (article.slug, *slugs)]
    return [f"article-{article.pk}", *LIST_KEYS, *people, *missing]


# Every list, page, feed and sitemap names at least one of these: any change to what is public purges them.
LIST_KEYS = (
    "articles-list",
    "quotes-list",
    "speakers-list",
    "contributors-list",
    "images-list",
    "sections-list",
    "tags-list",
    "pages",
    "feeds",
    "sitemaps",
)


def missing_key(slug):
    """The key of a story address's cached "not found", purged when a story goes live there."""
    return f"slug-{slug}"


def join_keys(keys):
    return " ".join(dict.fromkeys(keys))


# Content generation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generation:
    token: str
    born: float  # when it started: no list built under it can be older
    valid_until: float  # the next time a story goes live, leaves embargo or expires


def content_generation():
    """The generation every list and people page is cached under.

    It changes when a story's public state changes (see ``bump_generation``) and, without anyone acting,
    at the next go-live, embargo or expiry time, which the one query here finds.
    """
    now = time.time()
    generation = cache().get(GENERATION_KEY)
    if generation is None or now >= generation.valid_until:
        change = Article.objects.next_visibility_change()
        valid_until = change.timestamp() if change else now + settings.NEWSROOM_RESPONSE_CACHE_TIMEOUT
        generation = Generation(uuid.uuid4().hex, now, valid_until)
        cache().set(GENERATION_KEY, generation, None)
    return generation


def bump_generation():
    # Now, and again once the change commits: a reader between the two made a new generation and built
    # its lists from the rows as they were before the commit.
    cache().delete(GENERATION_KEY)
    transaction.on_commit(lambda: cache().delete(GENERATION_KEY))


def stamp_key(article_id):
    return f"newsroom:article-stamp:{article_id}"


def get_or_make(key, make):
    """The value under `key`, made and kept now if there is none (never made, or evicted)."""
    value = make()
    if cache().add(key, value, None):
        return value
    return cache().get(key) or value


def stamp_articles(article_ids):
    """Mark stories as changed where their own version and update time do not show it.

    A contributor renamed, a caption fixed, a block saved outside the story's form: the story's row is not
    touched, so its stored responses also record a stamp — the time of such a change — that this replaces.
    """
    article_ids = list(article_ids)

    def stamp():
        cache().set_many({stamp_key(pk): time.time() for pk in article_ids}, None)

    # Again once the change commits, as for state tokens: a response built between the two from the rows
    # as they were was stored under the first stamp, which the second makes old.
    stamp()
    transaction.on_commit(stamp)
    rotate_story_states(article_ids)
    bump_generation()


# Story states: what the edge (articles/edge.py) checks a stored story response against ------------------


def story_state_key(article_id):
    return f"newsroom:story-state:{article_id}"


def new_token():
    # When it was made comes first: the edge holds back responses a lagging replica may have built.
    return f"{time.time():.6f}/{secrets.token_hex(6)}"


def token_born(token):
    return float(token.split("/", 1)[0])


def story_state(article_id):
    """The story's current state token, made if it has none."""
    return get_or_make(story_state_key(article_id), new_token)


def rotate_story_states(article_ids):
    """Give each story a new state token, now and again once the change commits.

    The second turn is the one that matters: a response built from the rows as they were before the
    commit was stored, if at all, under a token that this makes old. The stories' stored documents are
    marked stale too, in the change's own transaction (documents.py).
    """
    article_ids = list(article_ids)
    if not article_ids:
        return
    # Stored documents are in the database: marked in the change's own transaction, once.
    documents.mark_stale(article_ids)

    def rotate():
        cache().set_many({story_state_key(pk): new_token() for pk in article_ids}, None)

    rotate()
    transaction.on_commit(rotate)


# Stored responses -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    body: bytes
    content_type: str
    etag: str
    last_modified: float
    keys: str


def ordered_query(query):
    """A query string in a stable order, so that ?a=1&b=2 and ?b=2&a=1 are one request.

    By name only, and stably: of repeated values Django reads the last, so their order is kept.
    """
    return "&".join(sorted(query.split("&"), key=lambda pair: pair.split("=")[0]))


def variant(request, media_type):
    """What else the bytes depend on: the negotiated media type and the query string, in a stable order."""
    query = ordered_query(request.GET.urlencode())
    digest = hashlib.blake2b(f"{media_type}|{query}".encode(), digest_size=10).hexdigest()
    return f"{settings.NEWSROOM_RELEASE}:{digest}"


def store(key, response, *, keys, last_modified):
    body = response.content
    entry = Entry(
        body=body,
        content_type=response["Content-Type"],
        # Strong: it is the hash of the exact bytes, whatever they were built from.
        etag='"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"',
        last_modified=int(last_modified),  # HTTP dates have whole seconds
        keys=join_keys(keys),
    )
    if key is not None:
        cache().set(key, entry, settings.NEWSROOM_RESPONSE_CACHE_TIMEOUT)
    return entry


@dataclass(frozen=True)
class EdgeMark:
    """Tells the edge what a public response depends on, so it can keep the finished response."""

    story: int | None  # the story whose state token it depends on; None: the content generation
    generation: Generation | None
    last_modified: float
    fresh_until: float | None
    throttled: bool  # an API response: the edge applies the API's throttles before answering


def serve(request, entry, *, fresh_until=None, mark=None):
    """The stored bytes, or 304 when the caller already has them."""
    not_modified = get_conditional_response(request, etag=entry.etag, last_modified=entry.last_modified)
    response = not_modified or HttpResponse(entry.body, content_type=entry.content_type)
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(entry.last_modified)
    set_public_headers(response, entry.keys, fresh_until=fresh_until)
    if mark is not None and settings.NEWSROOM_RESPONSE_CACHE:
        response.edge_mark = mark
    return response


def cdn_max_age():
    """How long the CDN may keep a public response: long only while purges can keep it true."""
    if purge.purging_enabled():
        return settings.NEWSROOM_CDN_MAX_AGE
    return settings.NEWSROOM_CACHE_MAX_AGE


def freshness_headers(fresh_until=None, *, max_age=None, cdn_age=None):
    """How long browsers and the CDN may keep a public response."""
    max_age = settings.NEWSROOM_CACHE_MAX_AGE if max_age is None else max_age
    cdn_age = cdn_max_age() if cdn_age is None else cdn_age
    if fresh_until is not None:
        # Nobody may keep a response past the moment it stops being true (an expiry, a go-live).
        remaining = max(0, int(fresh_until - time.time()))
        max_age, cdn_age = min(max_age, remaining), min(cdn_age, remaining)
    stale = (
        f"stale-while-revalidate={settings.NEWSROOM_CACHE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.NEWSROOM_CACHE_STALE_IF_ERROR}"
    )
    return {
        "Cache-Control": f"public, max-age={max_age}, {stale}",
        # The CDN may keep responses much longer than browsers: purges by key keep it right.
        "Surrogate-Control": f"max-age={cdn_age}, {stale}",
    }


def set_public_headers(response, keys, *, fresh_until=None, **ages):
    for name, value in freshness_headers(fresh_until, **ages).items():
        response[name] = value
    response["Surrogate-Key"] = keys
    response["Cache-Tag"] = keys.replace(" ", ",")
    patch_vary_headers(response, VARY)


def set_missing_headers(response, slug):
    """A story address with nothing public behind it: kept briefly, and purged when a story goes live there
    (its key is in ``story_purge_keys``), so a reader retrying at go-live time does not reach the app
    every time, nor wait long."""
    cdn_age = settings.NEWSROOM_MISSING_CDN_MAX_AGE if purge.purging_enabled() else 0
    set_public_headers(response, missing_key(slug), max_age=0, cdn_age=cdn_age)


def set_uncached_headers(response):
    """A public answer that is not a page (an error, a refusal): to be asked again every time."""
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, VARY)


def set_private_headers(response):
    response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, VARY)


# The layer around views -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The one public object a detail response shows, found in one cheap query."""

    pk: int
    stamp_key: str
    last_modified: float
    fresh_until: float | None = None


class PublicCacheMixin:
    """HTTP caching for a read-only DRF viewset, with the server-side response cache behind it.

    Anonymous JSON GETs of ``list`` and ``retrieve`` are answered from the cache when it holds the bytes
    for the current state, else built, stored and answered. Authentication, permissions, throttling and
    content negotiation still run first. Responses are stored under the content generation unless the view
    gives a ``detail_target`` (see ArticleViewSet): such a detail is built afresh and kept by the edge and,
    for a story, as its stored document (documents.py), which an edit to that one story replaces.
    """

    cached_list_key = None  # e.g. "articles-list"; added to the surrogate keys of list responses
    stores_documents = False  # whether a retrieved object's response is its stored document (documents.py)

    def detail_target(self):
        """A Target for the object about to be retrieved, None when there is none, ... for the generation."""
        return ...

    def list(self, request, *args, **kwargs):
        if not self._shareable(request):
            return super().list(request, *args, **kwargs)
        return self._respond(request, super().list, ..., *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        if not self._shareable(request):
            return super().retrieve(request, *args, **kwargs)
        target = self.detail_target() if settings.NEWSROOM_RESPONSE_CACHE else ...
        if target is None:  # no such public object: the view answers 404 as it always does
            return super().retrieve(request, *args, **kwargs)
        return self._respond(request, super().retrieve, target, *args, **kwargs)

    def get_object(self):
        obj = super().get_object()
        self._shown = [obj]
        return obj

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._shown = page if page is not None else []
        return page

    def _shareable(self, request):
        # The browsable API is for people trying things out; only JSON (and ninjs) is shared and stored.
        return is_shareable(request._request) and getattr(request.accepted_renderer, "format", None) in (
            "json",
            "ninjs",
        )

    def _respond(self, request, handler, target, *args, **kwargs):
        media_type = request.accepted_media_type
        if not settings.NEWSROOM_RESPONSE_CACHE:
            # Headers and validators all the same, from the freshly built bytes.
            key = fresh_until = last_modified = entry = generation = None
        elif isinstance(target, Target):
            # Built afresh every time: the edge and the story's stored document (documents.py) keep it.
            stamp = cache().get(target.stamp_key)
            if stamp is None:
                # Never written, or evicted (Redis runs allkeys-lru): a new stamp, so the time of the
                # latest change outside the story's row is never older than one a response was sent with.
                stamp = get_or_make(target.stamp_key, time.time)
            key = entry = generation = None
            last_modified, fresh_until = max(target.last_modified, stamp), target.fresh_until
        else:
            generation = content_generation()
            key = (
                f"newsroom:response:{request._request.path}:{generation.token}:{variant(request, media_type)}"
            )
            entry = cache().get(key)
            last_modified, fresh_until = generation.born, generation.valid_until
        built = entry is None
        if built:
            self._shown = []
            response = handler(request, *args, **kwargs)
            self._render(request, response)
            if response.status_code != 200:
                return response
            keys = [name for obj in self._shown for name in surrogate_keys(obj)]
            if self.cached_list_key and self.action == "list":
                keys.insert(0, self.cached_list_key)
            if last_modified is None:
                last_modified = self._last_modified()
            entry = store(key, response, keys=keys, last_modified=last_modified)
        mark = EdgeMark(
            story=target.pk if isinstance(target, Target) else None,
            generation=generation,
            last_modified=entry.last_modified,
            fresh_until=fresh_until,
            throttled=True,
        )
        response = serve(request, entry, fresh_until=fresh_until, mark=mark)
        if built and self.stores_documents and self.action == "retrieve":
            # Bytes just built from the database: the edge may keep them as the story's document.
            response.document_of = self._shown[0].pk
        return response

    def _last_modified(self):
        if self.action == "retrieve" and self._shown and hasattr(self._shown[0], "updated_at"):
            return self._shown[0].updated_at.timestamp()
        return time.time()

    def _render(self, request, response):
        # What finalize_response and the handler would do later, done now to keep the bytes.
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        response.render()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not is_shareable(request._request):
            set_private_headers(response)
            shown = getattr(self, "_shown", ())
            if (
                self.action == "retrieve"
                and response.status_code == 200
                and len(shown) == 1
                and "ETag" not in response
            ):
                # Editors reading a story get the validator their next write must send as If-Match.
                etag = getattr(shown[0], "etag", None)
                if etag:
                    response["ETag"] = etag
        elif "Cache-Control" not in response:
            if response.status_code >= 300:
                set_uncached_headers(response)
            patch_vary_headers(response, VARY)
        return response


def public_cache(*keys):
    """The same caching for a reader page or feed, named by `keys` and by any `surrogate_keys` the view
    puts on its response (a story page names its story and people).

    Pages are stored under the content generation, like lists: a story page also shows links and people
    that change when other stories do, which the generation follows.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_shareable(request):
                response = view(request, *args, **kwargs)
                if "Cache-Control" not in response:
                    set_private_headers(response)
                return response
            key, entry, born, fresh_until, generation = None, None, None, None, None
            if settings.NEWSROOM_RESPONSE_CACHE:
                generation = content_generation()
                key = f"newsroom:response:{request.path}:{generation.token}:{variant(request, 'page')}"
                entry, born, fresh_until = cache().get(key), generation.born, generation.valid_until
            if entry is None:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
                if response.status_code != 200:
                    if "Cache-Control" not in response:
                        set_uncached_headers(response)
                    return response
                names = [*keys, *getattr(response, "surrogate_keys", ())]
                entry = store(key, response, keys=names, last_modified=born or time.time())
            mark = EdgeMark(None, generation, entry.last_modified, fresh_until, throttled=False)
            return serve(request, entry, fresh_until=fresh_until, mark=mark if generation else None)

        return wrapped

    return decorator


def name_lifetime(request, response, *keys):
    """Headers for a public response that is not stored here because it depends on more than its address
    (content negotiation) and nothing purges it (the API's root, schema and docs change with a deploy):
    every cache keeps it as briefly as browsers do."""
    if "Cache-Control" in response:
        return response
    if not is_shareable(request):
        set_private_headers(response)
    elif response.status_code == 200:
        age = settings.NEWSROOM_CACHE_MAX_AGE
        set_public_headers(response, join_keys(keys), max_age=age, cdn_age=age)
    else:
        set_uncached_headers(response)
    return response


def short_lived(*keys):
    """``name_lifetime`` for a view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return name_lifetime(request, view(request, *args, **kwargs), *keys)

        return wrapped

    return decorator


def story_target(articles, **lookup):
    """The Target of one public story, or None: a single query for its update and expiry times."""
    row = articles.filter(**lookup).values_list("pk", "updated_at", "expires_at")[:1]
    if not row:
        return None
    pk, updated_at, expires_at = row[0]
    return Target(
        pk=pk,
        stamp_key=stamp_key(pk),
        last_modified=updated_at.timestamp(),
        fresh_until=expires_at.timestamp() if expires_at else None,
    )
