"""Absolute addresses for pages, feeds and APIs: every public link is built on SITE_URL."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect


def absolute(url):
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def redirect_to(request, path):
    """A permanent redirect to `path` on this site, keeping the query string (a format, a field list)."""
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)
