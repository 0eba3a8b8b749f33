"""Receivers for the signals lower layers send (articles/signals.py); connected in ArticlesConfig.ready.

Models and services ask for the worker's help here rather than importing the tasks, which sit above them.
"""

from django.dispatch import receiver

from . import tasks
from .models import Image, WebhookDelivery
from .signals import delivery_due, renditions_wanted


@receiver(delivery_due, sender=WebhookDelivery, dispatch_uid="newsroom-delivery-due")
def queue_delivery(sender, delivery_id, **kwargs):
    tasks.deliver_webhook.enqueue(delivery_id)


@receiver(renditions_wanted, sender=Image, dispatch_uid="newsroom-renditions-wanted")
def queue_renditions(sender, image_id, **kwargs):
    tasks.make_renditions.enqueue(image_id)
