"""Every public address names its lifetime and what purges it, built from the URL resolver.

A public response (an anonymous GET) carries Cache-Control for browsers, Surrogate-Control for the CDN and
Surrogate-Key naming what purges it. The CDN's lifetime is long only while a purger can keep it true.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Addresses that are not public: the admin, the health check, editors' working copies and desk lists
# (always `private, no-store`: tests/articles/api/test_desk.py), uploaded files.
NOT_PUBLIC = {"health", "article-edit", "media", "desk-article-list", "desk-image-list", "desk-image-detail"}


def public_routes(patterns=None, prefix=""):
    """(route, name) of every address an anonymous reader can GET."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from public_routes(pattern.url_patterns, route)
            continue
        assert isinstance(pattern, URLPattern)
        actions = getattr(pattern.callback, "actions", None)
        if actions is not None and "get" not in actions:
            continue  # write-only (workflow verbs)
        if pattern.name in NOT_PUBLIC or "(?P<format>" in route or "<drf_format_suffix" in route:
            continue
        yield route, pattern.name


@pytest.fixture
def world():
    story = ArticleFactory(dressed=True)
    byline = story.bylines.select_related("contributor").first()
    quote = story.quotes.select_related("speaker").exclude(speaker=None).first()
    return {
        "article-list": "/api/v1/articles/",
        "article-detail": f"/api/v1/articles/{story.slug}/",
        "quote-list": "/api/v1/quotes/",
        "quote-detail": f"/api/v1/quotes/{quote.pk}/",
        "speaker-list": "/api/v1/speakers/",
        "speaker-detail": f"/api/v1/speakers/{quote.speaker.slug}/",
        "contributor-list": "/api/v1/contributors/",
        "contributor-detail": f"/api/v1/contributors/{byline.contributor.slug}/",
        "image-list": "/api/v1/images/",
        "image-detail": f"/api/v1/images/{story.lead_image_id}/",
        "section-list": "/api/v1/sections/",
        "section-detail": f"/api/v1/sections/{story.section.slug}/",
        "tag-list": "/api/v1/tags/",
        "tag-detail": f"/api/v1/tags/{story.tags.first().slug}/",
        "api-root": "/api/v1/",
        "schema": "/api/schema/",
        "api-docs": "/api/docs/",
        "front-page": "/",
        "article-page": story.get_absolute_url(),
        "section-page": f"/sections/{story.section.slug}/",
        "tag-page": f"/tags/{story.tags.first().slug}/",
        "contributor-page": f"/contributors/{byline.contributor.slug}/",
        "speaker-page": f"/speakers/{quote.speaker.slug}/",
        "latest-rss": "/feed/",
        "latest-atom": "/feed/atom/",
        "section-rss": f"/sections/{story.section.slug}/feed/",
        "section-atom": f"/sections/{story.section.slug}/feed/atom/",
        "contributor-rss": f"/contributors/{byline.contributor.slug}/feed/",
        "contributor-atom": f"/contributors/{byline.contributor.slug}/feed/atom/",
        "sitemap-index": "/sitemap.xml",
        "sitemap-section": "/sitemap-news.xml",
        "robots-txt": "/robots.txt",
        "oembed": f"/oembed/?url=http://127.0.0.1:8000{story.get_absolute_url()}",
        "article-by-id": f"/api/v1/articles/id/{story.pk}/",
        "ninjs": f"/api/v1/articles/{story.slug}/?format=ninjs",
    }


def seconds(header, directive):
    found = re.search(rf"(?:^|,\s*){directive}=(\d+)", header)
    return int(found.group(1)) if found else None


def test_the_matrix_covers_every_public_route(world):
    missing = [(route, name) for route, name in public_routes() if name not in world]
    assert not missing, f"add these public routes to the matrix: {missing}"


@pytest.fixture
def purging(settings):
    settings.NEWSROOM_PURGER = {"BACKEND": "varnish", "OPTIONS": {"URL": "http://127.0.0.1:9"}}


def test_every_public_route_names_its_lifetime_and_keys(client, world, purging, settings):
    names = {name for _, name in public_routes()} | {"ninjs"}
    for name in sorted(names):
        response = client.get(world[name])
        assert response.status_code == 200, (name, response.status_code)
        cache_control = response.get("Cache-Control", "")
        assert cache_control.startswith("public, max-age="), (name, cache_control)
        assert seconds(cache_control, "stale-while-revalidate") is not None, name
        assert seconds(cache_control, "stale-if-error") is not None, name
        assert seconds(response.get("Surrogate-Control", ""), "max-age") is not None, name
        assert response.get("Surrogate-Key"), name
        assert "Cookie" in response.get("Vary", ""), name


def test_surrogate_lifetimes_are_long_only_with_a_purger(client, world, settings):
    settings.CDN_MAX_AGE = settings.NEWSROOM_CDN_MAX_AGE = 86400
    response = client.get(world["article-page"])
    assert seconds(response["Surrogate-Control"], "max-age") == settings.NEWSROOM_CACHE_MAX_AGE
    settings.NEWSROOM_PURGER = {"BACKEND": "varnish", "OPTIONS": {"URL": "http://127.0.0.1:9"}}
    response = client.get(world["front-page"])
    assert seconds(response["Surrogate-Control"], "max-age") == 86400


def test_what_nothing_purges_is_kept_only_as_long_as_browsers_keep_it(client, world, purging, settings):
    for name in ("api-root", "schema", "api-docs"):
        response = client.get(world[name])
        assert seconds(response["Surrogate-Control"], "max-age") == settings.NEWSROOM_CACHE_MAX_AGE, name


def test_lists_feeds_and_sitemaps_carry_keys_a_story_change_purges(client, world):
    from articles import caching

    purged = set(caching.LIST_KEYS)
    for name in (
        "front-page",
        "section-page",
        "tag-page",
        "contributor-page",
        "speaker-page",
        "latest-rss",
        "section-atom",
        "contributor-rss",
        "sitemap-index",
        "sitemap-section",
        "article-list",
        "quote-list",
        "speaker-list",
        "contributor-list",
        "image-list",
        "section-list",
        "tag-list",
    ):
        keys = set(client.get(world[name])["Surrogate-Key"].split())
        assert keys & purged, name


def test_a_signed_in_reader_gets_private_answers_everywhere(client, world, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x" * 12)
    client.force_login(user)
    for name in (
        "front-page",
        "article-page",
        "latest-rss",
        "sitemap-index",
        "robots-txt",
        "oembed",
        "schema",
        "api-root",
    ):
        response = client.get(world[name])
        assert response["Cache-Control"] == "private, no-store", name
        assert "Surrogate-Key" not in response, name


def test_errors_on_public_addresses_are_never_kept(client, world):
    for url in (
        "/sections/no-such-section/",
        "/oembed/?url=https://elsewhere.example/",
        "/sitemap-nope.xml",
        "/api/v1/sections/no-such-section/",
    ):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert response["Cache-Control"] == "no-cache", url
