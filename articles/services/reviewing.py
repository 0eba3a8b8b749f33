"""Clearing the flags an import or a person left for review, held to the review gate in permissions.py."""

from django.core.exceptions import PermissionDenied

from .. import permissions
from ..models import Article


def quotes_accept(*, quotes, by):
    """Confirm the attributions of `quotes` as they stand; return how many were accepted.

    Refuses them all if any belongs to a story whose flags `by` may not clear, naming that story only
    when `by` may open it.
    """
    articles = Article.objects.filter(pk__in=quotes.values("article_id"))
    for article in articles:
        if not permissions.can_clear_review(by, article):
            visible = permissions.visible_articles(by).filter(pk=article.pk).exists()
            named = f"“{article.headline}” is" if visible else "Some of these stories are"
            raise PermissionDenied(f"{named} under review: only an editor can clear its review flags.")
    return quotes.accept()
