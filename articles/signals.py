"""The signals the articles app sends, for the layers above the one that knows what happened.

Workflow code announces what happened to a story; cache purging and webhook delivery listen. Neither side
knows the other, which is the one place a signal earns its keep. The same holds for work a lower layer
wants done by the worker: the tasks that do it sit above it. Receivers are connected in
articles/signal_handlers.py (and articles/invalidation.py) when the app is ready.
"""

from django.db import models, transaction
from django.dispatch import Signal

# Sent with article=<Article>, event=<Event>, actor=<User or None>, after the change has committed.
story_event = Signal()

# Sent with delivery_id=<WebhookDelivery pk> when a delivery is due to be sent by the worker.
delivery_due = Signal()

# Sent with image_id=<Image pk> when a picture needs the renditions it lacks.
renditions_wanted = Signal()


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
