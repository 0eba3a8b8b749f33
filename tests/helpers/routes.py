"""Every route the project serves, classified by what it may show; the leak and permission matrices
walk these.

Markers and the ghost are slugs too (see tests/helpers/world.py): a story's routes take it as `story`.
"""

from django.urls import URLResolver, get_resolver

GHOST = "mkghostmk"


GHOST_PK = 987654321


# Public routes that show one story (by its slug, or by its id), or something only that story uses.
STORY_ROUTES = {
    "article-detail": lambda story: {"slug": story.marker},
    "article-page": lambda story: {"slug": story.marker},
    "article-by-id": lambda story: {"id": story.article.pk},
}


STORY_PART_ROUTES = {
    "quote-detail": lambda story: {"pk": story.quote.pk},
    "image-detail": lambda story: {"pk": story.image_id},
    "speaker-detail": lambda story: {"slug": story.speaker_slug},
    "speaker-page": lambda story: {"slug": story.speaker_slug},
    "contributor-detail": lambda story: {"slug": story.contributor_slug},
    "contributor-page": lambda story: {"slug": story.contributor_slug},
    "contributor-rss": lambda story: {"slug": story.contributor_slug},
    "contributor-atom": lambda story: {"slug": story.contributor_slug},
    "tag-detail": lambda story: {"slug": story.tag_slug},
    "tag-page": lambda story: {"slug": story.tag_slug},
    "section-detail": lambda story: {"slug": story.section_slug},
    "section-page": lambda story: {"slug": story.section_slug},
    "section-rss": lambda story: {"slug": story.section_slug},
    "section-atom": lambda story: {"slug": story.section_slug},
}


GHOST_KWARGS = {"pk": GHOST_PK, "id": GHOST_PK, "slug": GHOST}


# Staff routes on one story: its owner and editors reach it, anyone else gets the nonexistent answer.
EDITORIAL_ROUTES = {
    "article-edit",
    "article-corrections",
    "article-submit",
    "article-publish",
    "article-schedule",
    "article-unpublish",
    "article-kill",
    "article-preview-links",
    "article-revoke-preview-links",
}


# Routes that list or describe many things; no non-public marker may appear in them.
LIST_ROUTES = {
    "api-root": {},
    "article-list": {},
    "quote-list": {},
    "speaker-list": {},
    "contributor-list": {},
    "image-list": {},
    "section-list": {},
    "tag-list": {},
    "front-page": {},
    "latest-rss": {},
    "latest-atom": {},
    "sitemap-index": {},
    "sitemap-section": [{"section": "stories"}, {"section": "pages"}, {"section": "news"}],
    "robots-txt": {},
    "schema": {},
    "api-docs": {},
    "health": {},
}


QUERY_ROUTES = {"oembed"}  # the story is named in the query string (?url=)


# Staff lists of stories and pictures at every stage: a role finds in them only what it may open.
DESK_ROUTES = {"desk-article-list": {}, "desk-image-list": {}}


DESK_PART_ROUTES = {"desk-image-detail": lambda story: {"pk": story.image_id}}


UNNAMED_ROUTES = {"admin/(?P<url>.*)$"}  # the admin's catch-all: redirects to the login or 404


def leaf_routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from leaf_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def public_route_names():
    return {p.name for route, p in leaf_routes() if not route.startswith("admin/") and p.name}
