"""Expiry is announced when it happens: once, by the worker, with purges and an audit entry."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import caching
from articles.expiry import articles_announce_expired
from articles.models import Article, AuditEntry
from articles.signals import Event, story_event
from tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events = []

    def listen(sender, article, event, **kwargs):
        events.append((article.pk, event))

    story_event.connect(listen, dispatch_uid="test-expiry-listener")
    yield events
    story_event.disconnect(dispatch_uid="test-expiry-listener")


def expiring(minutes=10):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    article.expires_at = timezone.now() + timedelta(minutes=minutes)
    article.save()
    return article


def test_nothing_is_announced_before_the_expiry(heard, django_capture_on_commit_callbacks):
    expiring()
    with django_capture_on_commit_callbacks(execute=True):
        assert articles_announce_expired() == []
    assert heard == []


def test_an_expiry_is_announced_once_when_it_happens(heard, django_capture_on_commit_callbacks):
    article = expiring()
    later = timezone.now() + timedelta(minutes=11)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert [a.pk for a in articles_announce_expired()] == [article.pk]
        assert articles_announce_expired() == []
    assert heard == [(article.pk, Event.EXPIRED)]
    assert AuditEntry.objects.filter(article=article, action=AuditEntry.Action.EXPIRED).count() == 1


def test_a_later_expiry_is_announced_again(heard, django_capture_on_commit_callbacks):
    article = expiring()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        with django_capture_on_commit_callbacks(execute=True):
            articles_announce_expired()
        article = Article.objects.get(pk=article.pk)
        article.expires_at = timezone.now() + timedelta(minutes=5)
        article.save()
    later = timezone.now() + timedelta(minutes=17)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        articles_announce_expired()
    assert heard == [(article.pk, Event.EXPIRED)] * 2


def test_the_worker_announces_expiries_and_purges_the_story(
    settings, recorder, run_worker, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGER = {"BACKEND": "varnish", "OPTIONS": {"URL": recorder.url}}
    article = expiring()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()  # the periodic pass announces, which queues the purge
        run_worker()
    keys = {key for call in recorder.calls for key in call.headers.get("xkey-purge", "").split()}
    assert {f"article-{article.pk}", *caching.LIST_KEYS} <= keys


def test_stories_that_never_expire_or_were_killed_are_not_announced(
    heard, django_capture_on_commit_callbacks
):
    PublishedArticleFactory(bylines=1, quotes=1)
    killed = expiring()
    Article.objects.filter(pk=killed.pk).update(status=Article.Status.KILLED)
    with (
        time_machine.travel(timezone.now() + timedelta(days=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert articles_announce_expired() == []


def test_saving_a_live_story_with_an_expiry_queues_its_announcement_for_that_time(
    heard, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = expiring(minutes=3)
    run_worker()
    assert heard == []  # not due yet
    later = timezone.now() + timedelta(minutes=3, seconds=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        run_worker()
    assert (article.pk, Event.EXPIRED) in heard
