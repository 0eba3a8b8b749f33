"""Signed, expiring preview links: one token opens one unpublished story, on its page and in the API.

The token carries the story's id, its preview generation and an expiry time, signed with SECRET_KEY;
nothing else is stored. Raising the story's generation — revoking its links, unpublishing or killing
it — ends every link made before. A killed story never previews. Without a valid token a reader gets
exactly what the publication rule allows. Making and revoking links, with the desk's permission checks
and audit entry, is `articles.services.previews`.
"""

from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from . import permissions
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


def can_make_link(user, article):
    """Links go outside the desk: only roles that may publish send them, and never for a killed story."""
    return permissions.can_publish(user, article) and article.status != Article.Status.KILLED


def make_token(article, *, lifetime=DEFAULT_LIFETIME):
    lifetime = min(lifetime, MAX_LIFETIME)
    expires = int((timezone.now() + lifetime).timestamp())
    claims = {"article": article.pk, "generation": article.preview_generation, "expires": expires}
    return signing.dumps(claims, salt=SALT, compress=True)


def claims_from(token):
    """Return (story id, generation) from a token, or None if missing, forged, tampered with or expired."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("expires", 0) <= timezone.now().timestamp():
        return None
    article, generation = data.get("article"), data.get("generation")
    if not isinstance(article, int) or not isinstance(generation, int):
        return None  # a link made before links carried a generation
    return article, generation


def readable_articles(token=None):
    """Public stories, plus the one story a valid preview token still opens."""
    public = Article.objects.public()
    claims = claims_from(token)
    if claims is None:
        return public
    article_id, generation = claims
    opened = Article.objects.filter(pk=article_id, preview_generation=generation).exclude(
        status=Article.Status.KILLED
    )
    return public | opened


def links(article, token):
    """Where a preview token works: the reader page and the API detail."""
    return {
        "page": f"{article.get_absolute_url()}?{PARAMETER}={token}",
        "api": f"{reverse('article-detail', kwargs={'slug': article.slug})}?{PARAMETER}={token}",
    }
