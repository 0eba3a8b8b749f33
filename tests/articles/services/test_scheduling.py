"""Scheduling and embargo: public at the exact second, side effects applied once by the worker."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article, AuditEntry
from articles.services.scheduling import article_schedule, articles_publish_due
from articles.services.workflow import article_publish
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
T0 = datetime(2026, 3, 1, 6, 0, 0, tzinfo=UTC)
GO_LIVE = T0 + timedelta(hours=2)


def _run(*args):
    out = StringIO()
    call_command("run_scheduler", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def scheduled(editor):
    with time_machine.travel(T0, tick=False):
        article = ArticleFactory(ready=True)
        article_schedule(article=article, by=editor, go_live_at=GO_LIVE)
    return article


def test_scheduled_story_is_hidden_one_second_before_go_live_and_public_at_it(client, scheduled):
    url = f"/api/v1/articles/{scheduled.slug}/"
    with time_machine.travel(GO_LIVE - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 404
        assert client.get(scheduled.get_absolute_url()).status_code == 404
    with time_machine.travel(GO_LIVE, tick=False):
        # Public before the worker has run: the publication rule compares with now at read time.
        assert client.get(url).status_code == 200
        assert client.get(scheduled.get_absolute_url()).status_code == 200
    with time_machine.travel(GO_LIVE + timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 200


def test_scheduler_applies_side_effects_at_go_live_not_a_second_before(scheduled):
    with time_machine.travel(GO_LIVE - timedelta(seconds=1), tick=False):
        assert "live:" not in _run("--once")
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.version, scheduled.first_published_at) == (Status.SCHEDULED, 0, None)
    with time_machine.travel(GO_LIVE + timedelta(seconds=1), tick=False):
        assert f"live: {scheduled.slug} (version 1)" in _run("--once")
    scheduled.refresh_from_db()
    assert scheduled.status == Status.PUBLISHED
    assert scheduled.version == 1
    assert scheduled.first_published_at == GO_LIVE
    entry = AuditEntry.objects.get(action=AuditEntry.Action.WENT_LIVE)
    assert entry.actor is None and entry.article == scheduled


def test_running_the_scheduler_twice_changes_nothing_the_second_time(scheduled):
    with time_machine.travel(GO_LIVE + timedelta(minutes=1), tick=False):
        _run("--once")
        second = _run("--once")
    scheduled.refresh_from_db()
    assert "live:" not in second
    assert scheduled.version == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.WENT_LIVE).count() == 1


def test_two_workers_racing_go_live_once(scheduled):
    # The second worker saw the story as due but the first claimed it in between.
    with time_machine.travel(GO_LIVE + timedelta(minutes=1), tick=False):
        first = articles_publish_due()
        second = articles_publish_due()
    assert [a.pk for a in first] == [scheduled.pk] and second == []


def test_scheduler_announces_the_story_it_publishes(scheduled, django_capture_on_commit_callbacks):
    from articles.signals import Event, story_event

    heard = []

    def listener(sender, article, event, actor, **kwargs):
        heard.append((article.pk, event, actor))

    story_event.connect(listener)
    try:
        with (
            time_machine.travel(GO_LIVE, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            articles_publish_due()
    finally:
        story_event.disconnect(listener)
    assert heard == [(scheduled.pk, Event.PUBLISHED, None)]


def test_embargoed_story_is_hidden_until_the_second_it_lifts(client, editor):
    lifts = T0 + timedelta(hours=1)
    with time_machine.travel(T0, tick=False):
        article = ArticleFactory(ready=True)
        article_publish(article=article, by=editor, embargo_until=lifts)
    article.refresh_from_db()
    url = f"/api/v1/articles/{article.slug}/"
    with time_machine.travel(lifts - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 404
        assert client.get("/api/v1/articles/").json()["results"] == []
        _run("--once")
    article.refresh_from_db()
    assert article.version == 0
    with time_machine.travel(lifts, tick=False):
        assert client.get(url).status_code == 200
        _run("--once")
    article.refresh_from_db()
    assert (article.status, article.version, article.first_published_at) == (Status.PUBLISHED, 1, lifts)


def test_expiry_takes_a_story_down_at_the_second(client, editor):
    expires = GO_LIVE + timedelta(days=1)
    with time_machine.travel(T0, tick=False):
        article = ArticleFactory(ready=True)
        article_schedule(article=article, by=editor, go_live_at=GO_LIVE, expires_at=expires)
    url = f"/api/v1/articles/{article.slug}/"
    with time_machine.travel(expires - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(expires, tick=False):
        assert client.get(url).status_code == 404


def test_overdue_scheduled_work_is_flagged_to_editors(client, editor, scheduled):
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")
    with time_machine.travel(GO_LIVE + timedelta(seconds=30), tick=False):
        assert "not yet processed" not in client.get(changelist).content.decode()
    with time_machine.travel(GO_LIVE + Article.SCHEDULER_GRACE + timedelta(seconds=1), tick=False):
        page = client.get(changelist).content.decode()
        assert "1 scheduled story is past go-live but not yet processed" in page
        assert "overdue" in page
        overdue = client.get(changelist, {"timing": "overdue"}).content.decode()
        assert scheduled.headline in overdue
        change = client.get(reverse("admin:articles_article_change", args=[scheduled.pk]))
        assert "the scheduler has not processed it" in change.content.decode()


def test_dry_run_lists_due_stories_and_changes_nothing(scheduled):
    with time_machine.travel(GO_LIVE, tick=False):
        out = _run("--dry-run")
    assert f"due: {scheduled.slug}" in out and "1 due; nothing changed" in out
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED


def test_a_nonsense_interval_is_refused():
    with pytest.raises(CommandError, match="interval"):
        _run("--interval", "0")
