"""Expiry, announced when it happens.

A story with an expiry time leaves public view at that moment by the publication rule alone. The worker
then announces it (cache purges, webhooks, an audit entry): a task queued for the expiry time whenever a
live story with one is saved, and a periodic sweep for any that were missed. Each expiry is announced once:
the story is claimed by a conditional update, so two workers, or a repeated pass, announce nothing twice.
"""

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Article, AuditEntry
from .publication import LIVE_STATUSES, expired_q
from .signals import Event, announce


def unannounced_expiries(now):
    return Article.objects.filter(Q(status__in=LIVE_STATUSES) & expired_q(now)).filter(
        Q(expiry_announced_at__isnull=True) | Q(expiry_announced_at__lt=F("expires_at"))
    )


def articles_announce_expired(*, now=None, article_ids=None):
    """Announce the stories (of `article_ids`, or all) that expired unannounced; return them."""
    now = now or timezone.now()
    due = unannounced_expiries(now)
    if article_ids is not None:
        due = due.filter(pk__in=article_ids)
    expired = []
    for pk in due.order_by("expires_at").values_list("pk", flat=True):
        with transaction.atomic():
            if not unannounced_expiries(now).filter(pk=pk).update(expiry_announced_at=now):
                continue  # another worker announced it
            article = Article.objects.get(pk=pk)
            AuditEntry.objects.create(
                action=AuditEntry.Action.EXPIRED,
                article=article,
                headline=article.headline,
                version=article.version,
            )
            announce(article, Event.EXPIRED, actor=None)
        expired.append(article)
    return expired
