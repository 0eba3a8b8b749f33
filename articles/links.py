"""Absolute addresses for pages, feeds and APIs: every public link is built on SITE_URL."""

from django.conf import settings


def absolute(url):
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"
