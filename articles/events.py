"""Story lifecycle events.

Workflow code announces what happened to a story; cache purging and webhook delivery listen. Neither
side knows the other, which is the one place a signal earns its keep.
"""

from django.db import models, transaction
from django.dispatch import Signal

# Sent with article=<Article>, event=<Event>, actor=<User or None>, after the change has committed.
story_event = Signal()


class Event(models.TextChoices):
    PUBLISHED = "published", "Published"
    UPDATED = "updated", "Updated"
    CORRECTED = "corrected", "Corrected"
    UNPUBLISHED = "unpublished", "Unpublished"
    KILLED = "killed", "Killed"
    EXPIRED = "expired", "Expired"


def announce(article, event, *, actor=None):
    """Tell listeners once the surrounding transaction commits; a rolled-back change announces nothing."""
    transaction.on_commit(
        lambda: story_event.send(sender=type(article), article=article, event=Event(event), actor=actor)
    )
