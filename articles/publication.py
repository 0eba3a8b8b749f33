"""The publication rule, written once: what an anonymous reader may see, and when that changes.

A story is public while its status is live (published, or scheduled and due), its go-live time has passed,
any embargo has lifted and it has not expired. Everything that asks is built on the conditions here:
``Article.objects.public()`` and its per-row twin ``Article.is_public()``, ``killed()``,
``next_visibility_change()``, the database constraint on live stories, the scheduler and the admin's
filters. Each takes the moment to judge at, so a caller that asks twice asks about the same moment.
"""

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Greatest


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    KILLED = "killed", "Killed"


# Scheduled stories go public on their own at go-live time: the rule compares with now at read time.
LIVE_STATUSES = (Status.SCHEDULED, Status.PUBLISHED)


def went_live_q(at):
    """Stories whose go-live time and embargo had both passed at `at`, a moment or an expression."""
    return Q(go_live_at__lte=at) & (Q(embargo_until__isnull=True) | Q(embargo_until__lte=at))


def expired_q(at):
    """Stories whose expiry time has come by `at`."""
    return Q(expires_at__lte=at)


def public_q(at):
    """The publication rule: the stories an anonymous reader may see at `at`."""
    return Q(status__in=LIVE_STATUSES) & went_live_q(at) & (Q(expires_at__isnull=True) | Q(expires_at__gt=at))


def is_public(story, at):
    """Per-row twin of public_q(): the two must always agree."""
    return (
        story.status in LIVE_STATUSES
        and story.go_live_at is not None
        and story.go_live_at <= at
        and (story.embargo_until is None or story.embargo_until <= at)
        and (story.expires_at is None or story.expires_at > at)
    )


def killed_q(now):
    """Killed stories readers saw: published once, or live by the rule when they were killed.

    A story killed before it ever went live (scheduled, or still under embargo) was never public, so
    nothing may say it existed.
    """
    killed_at = Coalesce(F("killed_at"), Value(now))
    return Q(status=Status.KILLED) & (Q(first_published_at__isnull=False) | went_live_q(killed_at))


def went_public_at():
    """When a story that is public went public: its go-live time, or the end of its embargo if later."""
    return Greatest("go_live_at", Coalesce("embargo_until", "go_live_at"))


def visibility_changes(after):
    """Aggregates of the first go-live, embargo end and expiry after `after`: the moments the public set
    of stories changes without anyone acting."""
    return {
        "go_live": models.Min("go_live_at", filter=Q(go_live_at__gt=after)),
        "embargo": models.Min("embargo_until", filter=Q(embargo_until__gt=after)),
        "expiry": models.Min("expires_at", filter=Q(expires_at__gt=after)),
    }


def expires_after_go_live_q():
    """The database's check that a story leaves public view only after it entered it."""
    return Q(expires_at__isnull=True) | Q(go_live_at__isnull=True) | Q(expires_at__gt=F("go_live_at"))


def live_needs_go_live_q():
    """The database's part of the rule: a story in a live status has a go-live time to compare with."""
    return Q(status__in=[status for status in Status.values if status not in LIVE_STATUSES]) | Q(
        go_live_at__isnull=False
    )
