"""Webhooks: subscribers hear about story events through signed JSON POSTs delivered by the worker.

Each delivery is a row written when the event happens and sent later, so a slow or failing subscriber
never slows publishing, and a worker restart loses nothing. The body is signed with the subscriber's
secret (HMAC-SHA256 over "<timestamp>.<body>", in the ``Newsroom-Signature`` header) and carries an
``Idempotency-Key`` that stays the same across retries and replays, so subscribers can drop repeats.
"""

import hashlib
import hmac
import json
import secrets
import time
import uuid
from datetime import timedelta

import requests
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone

from .events import Event

TIMEOUT = (3.05, 10)  # connect, read
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
SIGNATURE_TOLERANCE = 300  # seconds a receiver should accept between signing and receiving


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

    def headers(self, body, at=None):
        timestamp = int(at if at is not None else time.time())
        return {
            "Content-Type": "application/json",
            "User-Agent": "Newsroom-Webhooks/1",
            "Newsroom-Event": self.event,
            "Newsroom-Delivery": str(self.pk),
            "Idempotency-Key": str(self.idempotency_key),
            "Newsroom-Signature": f"t={timestamp},v1={sign(self.webhook.secret, timestamp, body)}",
        }

    def attempt(self):
        """Send once; record the outcome and when to try again. True when the subscriber took it."""
        body = self.body()
        now = timezone.now()
        self.attempts += 1
        self.last_attempt_at = now
        try:
            response = requests.post(
                self.webhook.url,
                data=body,
                headers=self.headers(body),
                timeout=TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            self.response_status, self.last_error = None, f"{type(exc).__name__}: {exc}"[:1000]
        else:
            self.response_status = response.status_code
            self.last_error = "" if response.ok else f"HTTP {response.status_code}: {response.text[:500]}"
        if self.response_status is not None and 200 <= self.response_status < 300:
            self.status, self.delivered_at, self.next_attempt_at = self.Status.DELIVERED, now, None
        elif self.attempts >= MAX_ATTEMPTS:
            self.status, self.next_attempt_at = self.Status.FAILED, None
        else:
            self.next_attempt_at = now + backoff(self.attempts)
        self.save()
        return self.status == self.Status.DELIVERED

    def replay(self):
        """Send again from scratch, keeping the idempotency key: the subscriber may already have it."""
        from .tasks import deliver_webhook

        self.status, self.attempts, self.next_attempt_at, self.last_error = self.Status.PENDING, 0, None, ""
        self.save()
        transaction.on_commit(lambda: deliver_webhook.enqueue(self.pk))


def backoff(attempts):
    """30 s, 1 min, 2 min, 4 min … at most 6 hours between tries."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def sign(secret, timestamp, body):
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret, header, body, *, now=None, tolerance=SIGNATURE_TOLERANCE):
    """What a subscriber does with the Newsroom-Signature header; kept here so tests and docs agree."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), parts.get("v1", ""))


def payload(article, event, *, at=None):
    from .api.serializers import absolute

    return {
        "event": str(event),
        "occurred_at": (at or timezone.now()).isoformat(),
        "story": {
            "id": article.pk,
            "slug": article.slug,
            "headline": article.headline,
            "status": article.status,
            "version": article.version,
            "url": absolute(article.get_absolute_url()),
            "api_url": absolute(f"/api/v1/articles/{article.slug}/"),
        },
    }


def queue_deliveries(article, event):
    """One delivery per interested subscriber, each handed to the worker. Returns the deliveries."""
    from .tasks import deliver_webhook

    body = payload(article, event)
    deliveries = [
        WebhookDelivery.objects.create(webhook=webhook, event=event, article=article, payload=body)
        for webhook in Webhook.objects.filter(is_active=True)
        if webhook.wants(event)
    ]
    for delivery in deliveries:
        deliver_webhook.enqueue(delivery.pk)
    return deliveries
