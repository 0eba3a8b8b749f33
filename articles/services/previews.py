"""Making and revoking the signed preview links that open an unpublished story (see articles/preview.py)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from .. import permissions
from ..models import Article, AuditEntry
from ..preview import DEFAULT_LIFETIME, can_make_link, make_token
from .recording import log


def preview_link_make(*, article, by, lifetime=DEFAULT_LIFETIME):
    """Return a new token for `article`, refusing users who may not send one and killed stories."""
    if not can_make_link(by, article):
        raise PermissionDenied(
            "A killed story has no preview."
            if article.status == Article.Status.KILLED
            else "Only an editor can make preview links."
        )
    return make_token(article, lifetime=lifetime)


def preview_links_revoke(*, article, by):
    """End every preview link of `article` made so far; links made afterwards work again."""
    if not permissions.can_publish(by, article):
        raise PermissionDenied("Only an editor can revoke preview links.")
    with transaction.atomic():
        # An update, not a save: revoking changes nothing readers or editors see of the story itself.
        Article.objects.filter(pk=article.pk).update(preview_generation=F("preview_generation") + 1)
        log(article, by=by, action=AuditEntry.Action.PREVIEWS_REVOKED)
    article.refresh_from_db(fields=["preview_generation"])
