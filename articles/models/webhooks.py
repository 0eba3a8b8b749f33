"""Webhook subscribers and the log of what was sent to them (articles/webhooks.py sends it)."""

import json
import secrets
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import models, transaction

from ..signals import Event, delivery_due


def new_secret():
    return secrets.token_urlsafe(32)


def default_events():
    return list(Event.values)


class Webhook(models.Model):
    name = models.CharField(max_length=100, help_text="Who receives these, e.g. “Apps team push alerts”.")
    url = models.URLField(
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where each event is POSTed as JSON.",
    )
    secret = models.CharField(
        max_length=100,
        default=new_secret,
        help_text="Shared with the subscriber, who checks the Newsroom-Signature header with it. "
        "Change it to rotate.",
    )
    events = models.JSONField(
        default=default_events, help_text="The story events this subscriber hears about."
    )
    is_active = models.BooleanField(
        default=True, help_text="Untick to stop deliveries without losing the log."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def wants(self, event):
        return self.is_active and event in self.events


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=Event.choices)
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField(encoder=DjangoJSONEncoder)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} → {self.webhook}"

    def body(self):
        return json.dumps(self.payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()

    def replay(self):
        """Send again from scratch, keeping the idempotency key: the subscriber may already have it."""
        self.status, self.attempts, self.next_attempt_at, self.last_error = self.Status.PENDING, 0, None, ""
        self.save()
        transaction.on_commit(lambda: delivery_due.send(sender=WebhookDelivery, delivery_id=self.pk))
