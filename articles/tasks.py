"""Work the worker does outside requests (``manage.py run_worker``).

Tasks are rows in the database (django-tasks' database backend), written in the same transaction as the
change that needs them, so nothing is lost when the worker stops. Each task is safe to run twice: a task
interrupted mid-way is run again (see run_worker's recovery of stale tasks).
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import caching, purge, webhooks
from .expiry import articles_announce_expired
from .media.renditions import generate_renditions
from .models import Article, WebhookDelivery

logger = logging.getLogger(__name__)

PURGE_ATTEMPTS = 6


def later(seconds):
    return timezone.now() + timedelta(seconds=seconds)


@task()
def purge_story(article_id, attempt=1):
    """Purge a story's responses, and those of the lists and people it appears with, from the CDN."""
    article = Article.objects.select_related("section").filter(pk=article_id).first()
    if article is None:
        return
    people = [f"contributor-{pk}" for pk in article.bylines.values_list("contributor_id", flat=True)]
    people += [
        f"speaker-{pk}" for pk in article.quotes.exclude(speaker=None).values_list("speaker_id", flat=True)
    ]
    # A replica may lag behind the primary: what was rebuilt from it in the meantime is thrown away too.
    caching.bump_generation()
    slugs = article.former_slugs.values_list("slug", flat=True)
    purge_keys.call(
        keys=caching.story_purge_keys(article, people, slugs),
        urls=purge.story_urls(article),
        attempt=attempt,
    )


@task()
def purge_keys(keys, urls=(), attempt=1):
    purger = purge.get_purger()
    if not purger.enabled:
        return
    try:
        purger.purge(keys=list(dict.fromkeys(keys)), urls=list(urls))
    except purge.PurgeError:
        if attempt >= PURGE_ATTEMPTS:
            raise
        logger.warning("CDN purge failed (attempt %s); trying again later", attempt, exc_info=True)
        purge_keys.using(run_after=later(10 * 2**attempt)).enqueue(keys=keys, urls=urls, attempt=attempt + 1)


@task()
def announce_expiry(article_id):
    """Queued for a story's expiry time: announce it, unless it was already (or it no longer expires)."""
    articles_announce_expired(article_ids=[article_id])


@task()
def deliver_webhook(delivery_id):
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    # Already delivered or given up: a repeated task (after a worker restart) sends nothing twice.
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return
    if not webhooks.delivery_attempt(delivery) and delivery.next_attempt_at:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery_id)


@task()
def make_renditions(image_id):
    """Make the responsive renditions an image lacks; repeating it makes nothing twice."""
    generate_renditions(image_id)
