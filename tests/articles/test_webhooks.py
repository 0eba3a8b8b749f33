from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import webhooks
from articles.signals import Event, announce
from articles.webhooks import Webhook, WebhookDelivery, verify
from tests.factories import PublishedArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return PublishedArticleFactory(headline="Zelensky speaks")


@pytest.fixture
def subscriber(recorder):
    return Webhook.objects.create(name="Apps team", url=f"{recorder.url}/hooks/newsroom")


def publish(article, capture, event=Event.PUBLISHED):
    with capture(execute=True):
        announce(article, event)


def test_a_delivery_is_a_signed_json_post_with_an_idempotency_key(
    subscriber, recorder, story, run_worker, django_capture_on_commit_callbacks
):
    publish(story, django_capture_on_commit_callbacks)
    assert recorder.calls == []  # publishing only writes the delivery; the worker sends it
    run_worker()
    [call] = recorder.calls
    assert (call.method, call.path) == ("POST", "/hooks/newsroom")
    assert call.headers["Content-Type"] == "application/json"
    assert call.headers["Newsroom-Event"] == "published"
    assert verify(subscriber.secret, call.headers["Newsroom-Signature"], call.body)
    assert not verify("another-secret", call.headers["Newsroom-Signature"], call.body)
    assert not verify(subscriber.secret, call.headers["Newsroom-Signature"], call.body + b" ")
    body = call.json()
    assert body["event"] == "published"
    assert body["story"]["slug"] == story.slug and body["story"]["url"].endswith(f"/stories/{story.slug}/")
    delivery = WebhookDelivery.objects.get()
    assert call.headers["Idempotency-Key"] == str(delivery.idempotency_key)
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.response_status == 200


def test_an_old_signature_is_refused():
    header = f"t={1_000_000},v1={webhooks.sign('s3cret', 1_000_000, b'{}')}"
    assert verify("s3cret", header, b"{}", now=1_000_000 + 60)
    assert not verify("s3cret", header, b"{}", now=1_000_000 + 3600)
    assert not verify("s3cret", "garbage", b"{}")


def test_subscribers_hear_only_the_events_they_chose(
    recorder, story, run_worker, django_capture_on_commit_callbacks
):
    Webhook.objects.create(name="Kills only", url=f"{recorder.url}/kills", events=["killed"])
    Webhook.objects.create(name="Paused", url=f"{recorder.url}/paused", is_active=False)
    publish(story, django_capture_on_commit_callbacks, Event.PUBLISHED)
    publish(story, django_capture_on_commit_callbacks, Event.KILLED)
    run_worker()
    assert [(call.path, call.json()["event"]) for call in recorder.calls] == [("/kills", "killed")]


def test_a_failing_subscriber_is_retried_with_growing_waits_under_the_same_key(
    subscriber, recorder, story, run_worker, django_capture_on_commit_callbacks
):
    recorder.statuses = [500, 502]
    publish(story, django_capture_on_commit_callbacks)
    start = timezone.now()
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 1
    assert delivery.response_status == 500 and "HTTP 500" in delivery.last_error
    first_wait = delivery.next_attempt_at - start
    assert timedelta(seconds=29) <= first_wait <= timedelta(seconds=31)
    with time_machine.travel(start + timedelta(seconds=31)):
        run_worker()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at - delivery.last_attempt_at == timedelta(seconds=60)
    with time_machine.travel(start + timedelta(seconds=100)):
        run_worker()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert len({call.headers["Idempotency-Key"] for call in recorder.calls}) == 1
    assert len(recorder.calls) == 3


def test_a_subscriber_that_never_answers_is_given_up_after_the_last_attempt(
    subscriber, recorder, story, run_worker, django_capture_on_commit_callbacks
):
    recorder.statuses = [500] * webhooks.MAX_ATTEMPTS
    publish(story, django_capture_on_commit_callbacks)
    moment = timezone.now()
    for _ in range(webhooks.MAX_ATTEMPTS):
        with time_machine.travel(moment):
            run_worker()
        moment += webhooks.LONGEST_WAIT
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == webhooks.MAX_ATTEMPTS and delivery.next_attempt_at is None


def test_a_slow_subscriber_times_out_without_holding_up_publishing(
    subscriber, recorder, story, run_worker, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(webhooks, "TIMEOUT", (0.5, 0.1))
    recorder.delay = 0.5
    publish(story, django_capture_on_commit_callbacks)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert "Timeout" in delivery.last_error


def test_an_unreachable_subscriber_is_recorded_not_raised(
    story, run_worker, django_capture_on_commit_callbacks
):
    Webhook.objects.create(name="Gone", url="http://127.0.0.1:9/hook")
    publish(story, django_capture_on_commit_callbacks)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.response_status is None and delivery.last_error


def test_the_admin_filters_the_log_and_replays_a_delivery(
    client, subscriber, recorder, story, run_worker, django_capture_on_commit_callbacks
):
    recorder.statuses = [500] * webhooks.MAX_ATTEMPTS
    publish(story, django_capture_on_commit_callbacks)
    WebhookDelivery.objects.update(status=WebhookDelivery.Status.FAILED)
    DBTaskResult.objects.all().delete()
    recorder.statuses = []
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    changelist = reverse("admin:articles_webhookdelivery_changelist")
    page = client.get(changelist, {"status__exact": "failed"})
    assert page.status_code == 200 and "Apps team" in page.content.decode()
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "replay", "_selected_action": [delivery.pk]})
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert recorder.calls[-1].headers["Idempotency-Key"] == str(delivery.idempotency_key)


def test_the_admin_offers_events_as_choices(client):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:articles_webhook_add"),
        {
            "name": "Alerts",
            "url": "https://hooks.example/newsroom",
            "events": ["published", "killed"],
            "secret": "a-shared-secret",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Webhook.objects.get().events == ["published", "killed"]
    bad = client.post(
        reverse("admin:articles_webhook_add"), {"name": "Bad", "url": "ftp://x", "events": ["nope"]}
    )
    assert bad.status_code == 200 and Webhook.objects.count() == 1
