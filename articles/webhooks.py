"""Webhooks: subscribers hear about story events through signed JSON POSTs delivered by the worker.

Each delivery is a row written when the event happens and sent later, so a slow or failing subscriber
never slows publishing, and a worker restart loses nothing. The body is signed with the subscriber's
secret (HMAC-SHA256 over "<timestamp>.<body>", in the ``Newsroom-Signature`` header) and carries an
``Idempotency-Key`` that stays the same across retries and replays, so subscribers can drop repeats.
"""

import hashlib
import hmac
import time
from datetime import timedelta

import requests
from django.utils import timezone

from .links import absolute
from .models import Webhook, WebhookDelivery
from .signals import delivery_due

TIMEOUT = (3.05, 10)  # connect, read
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
SIGNATURE_TOLERANCE = 300  # seconds a receiver should accept between signing and receiving


def headers(delivery, body, at=None):
    timestamp = int(at if at is not None else time.time())
    return {
        "Content-Type": "application/json",
        "User-Agent": "Newsroom-Webhooks/1",
        "Newsroom-Event": delivery.event,
        "Newsroom-Delivery": str(delivery.pk),
        "Idempotency-Key": str(delivery.idempotency_key),
        "Newsroom-Signature": f"t={timestamp},v1={sign(delivery.webhook.secret, timestamp, body)}",
    }


def delivery_attempt(delivery):
    """Send `delivery` once; record the outcome and when to try again. True when the subscriber took it."""
    body = delivery.body()
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        response = requests.post(
            delivery.webhook.url,
            data=body,
            headers=headers(delivery, body),
            timeout=TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        delivery.response_status, delivery.last_error = None, f"{type(exc).__name__}: {exc}"[:1000]
    else:
        delivery.response_status = response.status_code
        delivery.last_error = "" if response.ok else f"HTTP {response.status_code}: {response.text[:500]}"
    Status = WebhookDelivery.Status
    if delivery.response_status is not None and 200 <= delivery.response_status < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = Status.DELIVERED, now, None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Status.FAILED, None
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save()
    return delivery.status == Status.DELIVERED


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
    body = payload(article, event)
    deliveries = [
        WebhookDelivery.objects.create(webhook=webhook, event=event, article=article, payload=body)
        for webhook in Webhook.objects.filter(is_active=True)
        if webhook.wants(event)
    ]
    for delivery in deliveries:
        delivery_due.send(sender=WebhookDelivery, delivery_id=delivery.pk)
    return deliveries
