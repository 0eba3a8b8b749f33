"""The edge: warm public responses answered before Django's request handling starts.

A public response is the same for every reader, so once the full stack has built one — views, DRF,
security, CSP and CORS headers and all — the finished response is kept, headers included, and later
requests for the same thing get it back after one cache round trip: no middleware, no DRF dispatch, no
database. ``EdgeApplication`` wraps the WSGI application and answers there, before Django builds a request
object; ``EdgeCacheMiddleware``, first in MIDDLEWARE, keeps what the stack built (and answers when the
application is entered some other way, as by the test client).

What keeps it true is a token per dependency, fetched in the same round trip as the response:

- a story's detail depends on the story's **state token**, which every change to the story — a save, a
  workflow step, an edit to a block, a quote, a byline, a picture or a person it shows — replaces, at
  once and again when the change commits (``caching.rotate_story_states``). A response is kept under the
  token read *before* the full stack read the database, so a response built from rows a commit has since
  replaced is kept under a token already gone, and is never served;
- lists, pages and feeds depend on the content generation (``caching.content_generation``), which also
  ends by itself at the next go-live, embargo or expiry.

Without a cache server, or when the cache misses, a story's JSON detail asked for plainly (no query
string, no Origin, JSON or anything accepted) is answered here from the story's stored document, in one
query that also applies the publication rule (``documents.py``); with the cache on, that answer is kept
under the token read before the query. A missing or stale document is built by the stack and kept under
the document's stamp read before it ran.

A story response is never served past the story's expiry. Requests with credentials, a preview token or
a precondition never meet the edge; responses that set a cookie are never kept. API throttles apply here
as in DRF. Which story an address shows is learnt per process from the responses the full stack built (an
address can pass to another story, so the stored response names its story and is checked).
"""

import hashlib
import json
import logging
import time
from dataclasses import dataclass, replace
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, HttpResponseNotModified
from django.http.request import HttpHeaders
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date
from rest_framework.settings import api_settings

from newsroom import throttling
from newsroom.cache import count_and_get_many
from newsroom.db_router import replica_configured

from . import caching, documents

logger = logging.getLogger(__name__)

# The format of Stored is part of the key: a deploy that changes it starts afresh.
ENTRY_PREFIX = "newsroom:edge:1:"
# Request headers a response may vary on beyond its address and host: the negotiated format, CORS.
VARYING = ("HTTP_ACCEPT", "HTTP_ORIGIN")
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# Preconditions are left to the full stack, which answers them per RFC 9110.
PRECONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
NOT_IN_304 = {"content-type", "content-length"}  # as in Django's own 304s
FRESHNESS = {"cache-control", "surrogate-control"}
# What a client may accept to be given the stored JSON document, as DRF would negotiate it.
PLAIN_ACCEPT = ("*/*", "application/json", "")
API_PREFIX = "/api/"  # responses under it are throttled (Stored.throttled), so their counters are fetched
KNOWN_PATHS = 50_000  # addresses remembered per process; past that the map starts again
PENDING = "newsroom.edge"  # environ key: what a miss in front of Django found, for the middleware
STATUS_LINES = {
    status: f"{status.value} {status.phrase}" for status in (HTTPStatus.OK, HTTPStatus.NOT_MODIFIED)
}

# Address → the story it showed last, learnt from the stack's own responses.
_stories = {}


@dataclass(frozen=True)
class Stored:
    headers: tuple  # (name, value) pairs as the stack sent them
    body: bytes
    etag: str
    last_modified: float
    story: int | None  # the story whose state token this depends on; None: the content generation
    token: str
    fresh_until: float | None
    throttled: bool


@dataclass(frozen=True)
class Pending:
    """A miss: where to keep the response, and the story token read before the stack ran."""

    key: str | None  # None: the response cache is off
    path: str
    story: int | None
    token: str | None
    document: tuple | None = None  # (story, stamp, variant) to store the story's document under


class EnvironRequest:
    """The little of a request that conditional responses and DRF's throttles read."""

    def __init__(self, environ):
        self.META = environ
        self.method = environ["REQUEST_METHOD"]
        self.user = AnonymousUser()

    @property
    def headers(self):
        return HttpHeaders(self.META)


def scheme(environ):
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        if environ.get(header, "").split(",")[0].strip() == secure:
            return "https"
    return environ.get("wsgi.url_scheme", "http")


def host(environ):
    # As HttpRequest.get_host finds it; only a host the stack accepted ever has a response kept.
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        return environ["HTTP_X_FORWARDED_HOST"]
    return environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"


def reachable(environ):
    """A shareable request for something the edge may hold: not the admin, static files or media."""
    path = path_info(environ)
    return (
        caching.shareable(environ)
        and not path.startswith(("/admin/", settings.STATIC_URL, settings.MEDIA_URL))
        and not any(name in environ for name in PRECONDITIONS)
    )


def entry_key(environ):
    query = caching.ordered_query(environ.get("QUERY_STRING", ""))
    parts = [settings.NEWSROOM_RELEASE, scheme(environ), environ.get("SCRIPT_NAME", ""), path_info(environ)]
    parts += [query, host(environ), *(environ.get(name, "") for name in VARYING)]
    return ENTRY_PREFIX + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def path_info(environ):
    # A server may leave PATH_INFO out for the root; Django then reads "/".
    return environ.get("PATH_INFO", "/")


def lookup(environ):
    """(stored response to answer with, None) on a hit; (None, Pending or None) otherwise."""
    if not reachable(environ):
        return None, None
    path = path_info(environ)
    slug = documents.detail_slug(path) if _plain(environ) else None
    if settings.NEWSROOM_RESPONSE_CACHE:
        stored, pending, allowed = _cached(environ, path)
        if stored is not None:
            return stored, None
    else:
        pending, allowed = None, lambda: _allowed(environ, [], {})
    if slug is None:
        return None, pending
    return _documented(environ, path, slug, pending, allowed)


def _cached(environ, path):
    """(stored, pending, allowed): what the response cache holds for the request."""
    key = entry_key(environ)
    story = _stories.get(path)
    # One round trip: the response, the token it most likely depends on, and the API's rate-limit counters.
    state = caching.story_state_key(story) if story is not None else caching.GENERATION_KEY
    applying = _counters(environ, path)
    # Limits that share a counter (same client, same period) count the request once.
    counters = list(dict.fromkeys((counter_key, lifetime) for _, (counter_key, lifetime, _) in applying))
    found, counts = count_and_get_many(caching.cache(), [key, state], counters)
    counted = dict(zip((k for k, _ in counters), counts, strict=True))
    if applying:
        # Counted once: on a miss, DRF's throttles read these instead of counting the request again.
        environ[throttling.COUNTED] = counted
    stored = found.get(key)
    if stored is not None:
        needed = caching.GENERATION_KEY if stored.story is None else caching.story_state_key(stored.story)
        if needed != state:  # the address shows another story now, or a list, or is new to this process
            story, state = stored.story, needed
            found[state] = caching.cache().get(state)
            if story is not None:
                remember(path, story)
    token = found.get(state) if story is not None else None
    current = stored is not None and _current(stored, token, found.get(caching.GENERATION_KEY))
    if current and (not stored.throttled or _allowed(environ, applying, counted)):
        return stored, None, None
    if story is not None and token is None:
        # Read (or made) before the stack reads the database: see the module's docstring.
        token = caching.story_state(story)
    return None, Pending(key, path, story, token), lambda: _allowed(environ, applying, counted)


def _plain(environ):
    """A request for a story's JSON as most clients ask: the one variant stored with the story."""
    return (
        not environ.get("QUERY_STRING")
        and "HTTP_ORIGIN" not in environ
        and environ.get("HTTP_ACCEPT", "*/*") in PLAIN_ACCEPT
        and environ["REQUEST_METHOD"] == "GET"
    )


def _documented(environ, path, slug, pending, allowed):
    """A story's stored document (see documents.py), answered when current; else the stamp to build under."""
    found = documents.public_story(slug, timezone.now())
    if found is None:  # not public: the stack answers 404, 410 or a redirect
        return None, pending
    variant = documents.variant(scheme(environ))
    if pending is None:
        pending = Pending(None, path, None, None)
    elif pending.story != found.article_id:
        remember(path, found.article_id)
    if not found.current(variant):
        stamp = found.stamp if found.stamp is not None else documents.begin(found.article_id)
        return None, replace(pending, document=(found.article_id, stamp, variant))
    if not allowed():
        return None, pending  # the stack answers 429
    stored = Stored(
        headers=tuple(tuple(pair) for pair in json.loads(found.headers)),
        body=found.body,
        etag=found.etag,
        last_modified=found.last_modified,
        story=found.article_id,
        token=pending.token,
        fresh_until=found.expires_at,
        throttled=True,
    )
    if pending.key is not None and pending.story == found.article_id and pending.token is not None:
        # Current under the token read before the query: the response cache may keep it.
        _store(pending.key, stored, caching.token_born(pending.token))
    return stored, None


def remember(path, story):
    if len(_stories) >= KNOWN_PATHS:
        _stories.clear()
    _stories[path] = story


def safe_lookup(environ):
    """`lookup`, except that a failure of the edge never fails the request: the stack answers it."""
    try:
        return lookup(environ)
    except Exception:
        # In front of Django an exception would also bypass its error handling.
        logger.exception("Edge lookup failed for %s", path_info(environ))
        return None, None


def _current(stored, token, generation):
    now = time.time()
    if stored.fresh_until is not None and now >= stored.fresh_until:
        return False
    if stored.story is not None:
        return token is not None and stored.token == token
    return generation is not None and stored.token == generation.token and now < generation.valid_until


def _counters(environ, path):
    """[(throttle, its counter)] for the API's throttles, when all of them can be counted in the lookup's
    round trip; otherwise [] and, on a hit, they are asked one by one."""
    if not path.startswith(API_PREFIX):
        return []
    throttles = [throttle() for throttle in api_settings.DEFAULT_THROTTLE_CLASSES]
    if not all(isinstance(throttle, throttling.WindowThrottle) for throttle in throttles):
        return []
    return throttling.counters(throttles, EnvironRequest(environ))


def _allowed(environ, applying, counted):
    # A refusal goes on to the stack, which answers 429 with its usual body.
    if applying:
        return all(throttle.settle(counted[key], end) for throttle, (key, _, end) in applying)
    request = EnvironRequest(environ)
    return all(throttle().allow_request(request, None) for throttle in api_settings.DEFAULT_THROTTLE_CLASSES)


def answer(environ, stored):
    """(status, headers, body) for a hit: the stored response, or 304 when the caller has it."""
    headers = stored.headers
    if stored.fresh_until is not None:
        fresh = caching.freshness_headers(stored.fresh_until)
        headers = [(name, fresh.get(name, value)) for name, value in headers]
    conditional = any(name in environ for name in CONDITIONAL)
    if conditional and get_conditional_response(
        EnvironRequest(environ), etag=stored.etag, last_modified=stored.last_modified
    ):
        return HTTPStatus.NOT_MODIFIED, [(n, v) for n, v in headers if n.lower() not in NOT_IN_304], b""
    return HTTPStatus.OK, list(headers), stored.body


def keep(request, pending, response):
    """Keep a finished public response the stack marked as shareable (see caching.EdgeMark)."""
    if pending.document is not None:
        keep_document(request, pending, response)
    mark = getattr(response, "edge_mark", None)
    if pending.key is None or mark is None:
        return
    if request.method != "GET" or response.status_code != 200 or response.cookies:
        return
    token = pending.token
    if mark.story is not None:
        remember(pending.path, mark.story)
        if mark.story != pending.story or token is None:
            return  # its token was not read first; the next request for this address will be
        born = caching.token_born(token)
    else:
        token, born = mark.generation.token, mark.generation.born
    stored = Stored(
        headers=tuple(response.items()),
        body=response.content,
        etag=response["ETag"],
        last_modified=mark.last_modified,
        story=mark.story,
        token=token,
        fresh_until=mark.fresh_until,
        throttled=mark.throttled,
    )
    _store(pending.key, stored, born)


def _store(key, stored, born):
    if replica_configured() and time.time() - born < settings.NEWSROOM_PURGE_DELAY:
        return  # a replica may not have the change yet: keep only what it surely has
    caching.cache().set(key, stored, settings.NEWSROOM_RESPONSE_CACHE_TIMEOUT)


def keep_document(request, pending, response):
    """Store the story document the stack just built, under the stamp read before it ran."""
    article_id, stamp, variant = pending.document
    if (
        getattr(response, "document_of", None) != article_id
        or request.method != "GET"
        or response.status_code != 200
        or response.cookies
    ):
        return
    documents.keep(
        article_id,
        stamp,
        variant,
        body=response.content,
        headers=list(response.items()),
        etag=response["ETag"],
        last_modified=parse_http_date(response["Last-Modified"]),
    )


class EdgeApplication:
    """Wraps the WSGI application: hits are answered before Django builds a request."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        hit, pending = safe_lookup(environ)
        if hit is None:
            environ[PENDING] = pending
            return self.application(environ, start_response)
        status, headers, body = answer(environ, hit)
        start_response(STATUS_LINES[status], headers)
        return [body]


class EdgeCacheMiddleware:
    """First in MIDDLEWARE: keeps what the stack builds, and answers hits not met in front of Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if PENDING in request.META:
            pending = request.META.pop(PENDING)
        else:
            hit, pending = safe_lookup(request.META)
            if hit is not None:
                status, headers, body = answer(request.META, hit)
                response = HttpResponse(body) if status == HTTPStatus.OK else HttpResponseNotModified()
                for name, value in headers:
                    response[name] = value
                return response
        response = self.get_response(request)
        if pending is not None:
            keep(request, pending, response)
        return response
