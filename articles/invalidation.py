"""Keeping stored responses and the CDN true to the database.

Changes of a story's public state arrive as story events (published, corrected, killed…) and lead to CDN
purges and webhooks. Edits that bypass the workflow — a block saved on its own, a contributor renamed, a
caption fixed — arrive as model signals and mark the stories that show them as changed.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone

from contributors.models import Contributor

from . import caching, purge
from .models import Article, Block, Byline, Correction, Embed, Image, Quote, Rendition, Section, Speaker, Tag
from .signals import story_event
from .tasks import announce_expiry, purge_keys, purge_story
from .webhooks import queue_deliveries


def on_story_event(sender, article, event, **kwargs):
    caching.bump_generation()
    # Workflow steps may change the row with a queryset update, which sends no save signal.
    caching.rotate_story_states([article.pk])
    with transaction.atomic():
        if purge.purging_enabled():
            delay = settings.NEWSROOM_PURGE_DELAY
            task = (
                purge_story.using(run_after=timezone.now() + timedelta(seconds=delay))
                if delay
                else purge_story
            )
            task.enqueue(article.pk)
        queue_deliveries(article, event)


def on_article_saved(sender, instance, **kwargs):
    # Whatever its status: a story leaving the public (unpublished, back to draft) must leave the edge.
    caching.rotate_story_states([instance.pk])
    # Lists change when a live or killed story is saved; a draft's edits show nowhere yet.
    if instance.status in (*Article.LIVE_STATUSES, Article.Status.KILLED):
        caching.bump_generation()
    expires_at = instance.expires_at if "created" in kwargs else None  # saved, not deleted
    if instance.status in Article.LIVE_STATUSES and expires_at and expires_at > timezone.now():
        # Announced the moment it happens; repeats (one per save) find it announced and do nothing.
        transaction.on_commit(lambda: announce_expiry.using(run_after=expires_at).enqueue(instance.pk))


def on_part_saved(sender, instance, **kwargs):
    caching.stamp_articles([instance.article_id])


def on_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # tag.articles.add(...)
        caching.stamp_articles(pk_set or instance.articles.values_list("pk", flat=True))
    else:
        caching.stamp_articles([instance.pk])


# What shows each related object: the stories to mark when it changes.
SHOWN_BY = {
    Contributor: lambda obj: Byline.objects.filter(contributor=obj).values_list("article_id", flat=True),
    Speaker: lambda obj: Quote.objects.filter(speaker=obj).values_list("article_id", flat=True),
    Image: lambda obj: [
        *Article.objects.filter(lead_image=obj).values_list("pk", flat=True),
        *Block.objects.filter(image=obj).values_list("article_id", flat=True),
    ],
    Embed: lambda obj: Block.objects.filter(embed=obj).values_list("article_id", flat=True),
    Section: lambda obj: Article.objects.filter(section=obj).values_list("pk", flat=True),
    Tag: lambda obj: obj.articles.values_list("pk", flat=True),
}

# The key each one's own responses carry (an API detail, a person's page).
KEY_PREFIX = {Contributor: "contributor", Speaker: "speaker", Image: "image", Section: "section", Tag: "tag"}


def on_related_saved(sender, instance, created=False, **kwargs):
    if created:  # no story shows a new object yet, but lists of sections, tags or images do
        caching.bump_generation()
        if purge.purging_enabled():
            transaction.on_commit(lambda: purge_keys_later(caching.LIST_KEYS))
        return
    article_ids = set(SHOWN_BY[sender](instance))
    caching.stamp_articles(article_ids)
    if purge.purging_enabled():
        keys = [f"article-{pk}" for pk in sorted(article_ids)]
        if sender in KEY_PREFIX:
            keys.insert(0, f"{KEY_PREFIX[sender]}-{instance.pk}")
        transaction.on_commit(lambda: purge_keys_later([*keys, *caching.LIST_KEYS]))


def purge_keys_later(keys):
    purge_keys.enqueue(keys=list(keys))


def on_rendition_saved(sender, instance, **kwargs):
    # A new rendition changes every response that shows its image.
    on_related_saved(Image, Image(pk=instance.image_id))


def connect():
    story_event.connect(on_story_event, dispatch_uid="newsroom-story-event-invalidation")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(on_article_saved, sender=Article, dispatch_uid=f"newsroom-article-{name}")
        for model in (Block, Quote, Byline, Correction):
            signal.connect(on_part_saved, sender=model, dispatch_uid=f"newsroom-{model.__name__}-{name}")
    # Before deletion, while the stories that show the object can still be found.
    for name, signal in (("saved", post_save), ("deleting", pre_delete)):
        for model in SHOWN_BY:
            signal.connect(on_related_saved, sender=model, dispatch_uid=f"newsroom-{model.__name__}-{name}")
    post_save.connect(on_rendition_saved, sender=Rendition, dispatch_uid="newsroom-rendition-saved")
    post_delete.connect(on_rendition_saved, sender=Rendition, dispatch_uid="newsroom-rendition-deleted")
    m2m_changed.connect(on_tags_changed, sender=Article.tags.through, dispatch_uid="newsroom-article-tags")
