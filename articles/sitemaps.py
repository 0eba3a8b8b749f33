"""Sitemaps for search engines: stories, index pages, and a Google News sitemap of recent stories."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .links import absolute
from .models import Article, Section

# Google News reads only stories published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000
# Google News wants ISO 639 codes; Chinese is the exception that keeps its script.
NEWS_LANGUAGE_EXCEPTIONS = {"zh-cn", "zh-tw"}


class SiteSitemap(Sitemap):
    """Addresses built on SITE_URL, so they match the canonical links whatever host was asked."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StorySitemap(SiteSitemap):
    limit = 5000

    def items(self):
        return Article.objects.public().only("slug", "go_live_at", "updated_at")

    def lastmod(self, article):
        return article.modified_at


class PageSitemap(SiteSitemap):
    """The front page and every section page."""

    changefreq = "hourly"

    def items(self):
        return ["front-page", *Section.objects.filter(articles__in=Article.objects.public()).distinct()]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()


class NewsSitemap(StorySitemap):
    limit = NEWS_LIMIT

    def items(self):
        recent = Article.objects.public().filter(go_live_at__gte=timezone.now() - NEWS_WINDOW)
        return recent.only("slug", "headline", "language", "go_live_at", "updated_at")[:NEWS_LIMIT]


def news_language(code):
    code = code.lower()
    return code if code in NEWS_LANGUAGE_EXCEPTIONS else code.split("-")[0]


SITEMAPS = {"stories": StorySitemap, "pages": PageSitemap, "news": NewsSitemap}
TEMPLATES = {"news": "sitemaps/news.xml"}


def sitemap_index(request):
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        location = absolute(reverse("sitemap-section", kwargs={"section": section}))
        entries.append(SitemapIndexItem(location, None))
        pages = sitemap_class().paginator.num_pages
        entries += [SitemapIndexItem(f"{location}?p={page}", None) for page in range(2, pages + 1)]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def sitemap_section(request, section):
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    return sitemap_view(
        request,
        SITEMAPS,
        section=section,
        template_name=TEMPLATES.get(section, "sitemap.xml"),
    )
