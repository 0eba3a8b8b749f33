from django.urls import path
from django.views.decorators.http import require_safe

from . import feeds, oembed, sitemaps, views
from .caching import public_cache

# Reader pages only read: any other method answers 405 rather than rendering the page.
reader_urlpatterns = [
    path("", public_cache("pages", "articles-list")(views.front_page), name="front-page"),
    path("stories/<slug:slug>/", public_cache("pages")(views.article_page), name="article-page"),
    path("sections/<slug:slug>/", views.section_page, name="section-page"),
    path("tags/<slug:slug>/", views.tag_page, name="tag-page"),
    path("contributors/<slug:slug>/", views.contributor_page, name="contributor-page"),
    path("speakers/<slug:slug>/", views.speaker_page, name="speaker-page"),
    path("feed/", public_cache("feeds", "articles-list")(feeds.LatestStories()), name="latest-rss"),
    path("feed/atom/", public_cache("feeds", "articles-list")(feeds.LatestStoriesAtom()), name="latest-atom"),
    path("sections/<slug:slug>/feed/", feeds.SectionStories(), name="section-rss"),
    path("sections/<slug:slug>/feed/atom/", feeds.SectionStoriesAtom(), name="section-atom"),
    path("contributors/<slug:slug>/feed/", feeds.ContributorStories(), name="contributor-rss"),
    path("contributors/<slug:slug>/feed/atom/", feeds.ContributorStoriesAtom(), name="contributor-atom"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap-index"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("oembed/", oembed.oembed, name="oembed"),
]

urlpatterns = [
    path(str(pattern.pattern), require_safe(pattern.callback), name=pattern.name)
    for pattern in reader_urlpatterns
]
