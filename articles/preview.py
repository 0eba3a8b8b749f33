"""Signed, expiring preview links: one token opens one unpublished story, on its page and in the API.

The token carries the story's id and an expiry time, signed with SECRET_KEY; nothing is stored.
Without a valid token a reader gets exactly what the publication rule allows.
"""

from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import Article

SALT = "articles.preview"
DEFAULT_LIFETIME = timedelta(hours=48)
MAX_LIFETIME = timedelta(days=14)
PARAMETER = "preview"
# A previewed page must never land in a shared cache or a search index.
PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}


def mark_private(response):
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


def make_token(article, *, lifetime=DEFAULT_LIFETIME):
    lifetime = min(lifetime, MAX_LIFETIME)
    expires = int((timezone.now() + lifetime).timestamp())
    return signing.dumps({"article": article.pk, "expires": expires}, salt=SALT, compress=True)


def article_id_from(token):
    """The story a token opens, or None when it is missing, forged, tampered with or expired."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("expires", 0) <= timezone.now().timestamp():
        return None
    return data.get("article")


def readable_articles(token=None):
    """Public stories, plus the one story a valid preview token opens."""
    public = Article.objects.public()
    article_id = article_id_from(token)
    if article_id is None:
        return public
    return public | Article.objects.filter(pk=article_id)


def links(article, token):
    """Where a preview token works: the reader page and the API detail."""
    return {
        "page": f"{article.get_absolute_url()}?{PARAMETER}={token}",
        "api": f"{reverse('article-detail', kwargs={'slug': article.slug})}?{PARAMETER}={token}",
    }
