from django.urls import path
from django.views.decorators.http import require_safe

from . import feeds, oembed, sitemaps, views
from .caching import public_cache

# Reader pages only read: any other method answers 405 rather than rendering the page.
# Every reader address names what purges it: "pages" and "feeds" go with any change to what is public.
LISTS = ("pages", "articles-list")
FEEDS = ("feeds", "articles-list")

# Reader pages only read: any other method answers 405 rather than rendering the page.
reader_urlpatterns = [
    path("", public_cache(*LISTS)(views.front_page), name="front-page"),
    path("stories/<slug:slug>/", public_cache("pages")(views.article_page), name="article-page"),
    path("sections/<slug:slug>/", public_cache(*LISTS)(views.section_page), name="section-page"),
    path("tags/<slug:slug>/", public_cache(*LISTS)(views.tag_page), name="tag-page"),
    path("contributors/<slug:slug>/", public_cache(*LISTS)(views.contributor_page), name="contributor-page"),
    path("speakers/<slug:slug>/", public_cache(*LISTS)(views.speaker_page), name="speaker-page"),
    path("feed/", public_cache(*FEEDS)(feeds.LatestStories()), name="latest-rss"),
    path("feed/atom/", public_cache(*FEEDS)(feeds.LatestStoriesAtom()), name="latest-atom"),
    path("sections/<slug:slug>/feed/", public_cache(*FEEDS)(feeds.SectionStories()), name="section-rss"),
    path(
        "sections/<slug:slug>/feed/atom/",
        public_cache(*FEEDS)(feeds.SectionStoriesAtom()),
        name="section-atom",
    ),
    path(
        "contributors/<slug:slug>/feed/",
        public_cache(*FEEDS)(feeds.ContributorStories()),
        name="contributor-rss",
    ),
    path(
        "contributors/<slug:slug>/feed/atom/",
        public_cache(*FEEDS)(feeds.ContributorStoriesAtom()),
        name="contributor-atom",
    ),
    path("sitemap.xml", public_cache("sitemaps")(sitemaps.sitemap_index), name="sitemap-index"),
    path(
        "sitemap-<slug:section>.xml",
        public_cache("sitemaps")(sitemaps.sitemap_section),
        name="sitemap-section",
    ),
    path("robots.txt", public_cache("pages")(views.robots_txt), name="robots-txt"),
    path("oembed/", public_cache("pages")(oembed.oembed), name="oembed"),
]

urlpatterns = [
    path(str(pattern.pattern), require_safe(pattern.callback), name=pattern.name)
    for pattern in reader_urlpatterns
]
