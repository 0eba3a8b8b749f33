"""Many clients at once: one edit wins per version, moves and the scheduler fire once, creates never
collide into a 500, and a crash mid-save leaves all or nothing. Meaningful on PostgreSQL (CI runs it)."""

import json
import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client
from knox.models import AuthToken

from articles.models import Article, AuditEntry, Quote
from articles.services.editing import article_update
from articles.services.errors import WorkflowError
from articles.services.scheduling import articles_publish_due
from articles.services.workflow import article_publish, article_unpublish
from articles.signals import story_event
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # SQLite's test database locks whole tables across threads, so races cannot even start there;
    # CI runs the suite on PostgreSQL too, where these run.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"),
]
CLIENTS = 8


def race(work, count=CLIENTS):
    """Run `work(i)` in `count` threads released together; returns their results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # a thread's failure is a result to assert on
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.fixture
def editor_token(editor):
    return AuthToken.objects.create(user=editor)[1]


@pytest.fixture
def events():
    seen = []
    lock = threading.Lock()

    def receiver(sender, article, event, **kwargs):
        with lock:
            seen.append((article.pk, str(event)))

    story_event.connect(receiver, weak=False)
    yield seen
    story_event.disconnect(receiver)


def api(token):
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def test_of_many_edits_to_one_version_exactly_one_lands(editor_token, reporter):
    article = factories.ArticleFactory(ready=True, created_by=reporter)
    etag = api(editor_token).get(f"/api/v1/articles/{article.slug}/edit/")["ETag"]

    def edit(i):
        response = api(editor_token).patch(
            f"/api/v1/articles/{article.slug}/",
            json.dumps({"dek": f"Edit number {i}"}),
            content_type="application/json",
            HTTP_IF_MATCH=etag,
        )
        return response.status_code

    statuses = race(edit)
    assert sorted(statuses) == [200] + [412] * (CLIENTS - 1), statuses
    winner = statuses.index(200)
    article.refresh_from_db()
    assert article.dek == f"Edit number {winner}"


def test_many_editors_publishing_at_once_publish_once(editor, events):
    article = factories.ArticleFactory(ready=True, status=Article.Status.IN_REVIEW)
    before = AuditEntry.objects.filter(article=article).count()

    def publish(i):
        return article_publish(article=Article.objects.get(pk=article.pk), by=editor)

    results = race(publish)
    wins = [r for r in results if not isinstance(r, Exception)]
    assert len(wins) == 1, results
    assert all(isinstance(r, WorkflowError) for r in results if r not in wins), results
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.version == 1
    assert AuditEntry.objects.filter(article=article).count() == before + 1
    assert [e for e in events if e[0] == article.pk] == [(article.pk, "published")]


def test_racing_publish_and_unpublish_leave_a_consistent_story_and_one_event_per_move(editor, events):
    article = factories.ArticleFactory(ready=True, status=Article.Status.IN_REVIEW)

    def move(i):
        current = Article.objects.get(pk=article.pk)
        if i % 2:
            return ("unpublish", article_unpublish(article=current, by=editor))
        return ("publish", article_publish(article=current, by=editor))

    results = race(move)
    done = [r for r in results if isinstance(r, tuple)]
    assert all(isinstance(r, tuple | WorkflowError) for r in results), results
    article.refresh_from_db()
    moves = [name for name, _ in done]
    assert article.status in (Article.Status.PUBLISHED, Article.Status.DRAFT)
    # Every move that landed left exactly one audit entry; the story's state matches the last one.
    assert AuditEntry.objects.filter(article=article).count() == len(done)
    published = [e for e in events if e[0] == article.pk and e[1] == "published"]
    assert len(published) == moves.count("publish")
    assert (article.status == Article.Status.PUBLISHED) == (
        AuditEntry.objects.filter(article=article).latest("pk").action == AuditEntry.Action.PUBLISHED
    )


def test_scheduler_runs_racing_each_other_make_each_story_go_live_once(events):
    from datetime import timedelta

    from django.utils import timezone

    due = [
        factories.ArticleFactory(
            ready=True, status=Article.Status.SCHEDULED, go_live_at=timezone.now() - timedelta(minutes=1)
        )
        for _ in range(3)
    ]
    results = race(lambda i: articles_publish_due(), count=4)
    assert not any(isinstance(r, Exception) for r in results), results
    went_live = sorted(a.pk for r in results for a in r)
    assert went_live == sorted(a.pk for a in due)
    for article in due:
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED and article.version == 1
        assert [e for e in events if e[0] == article.pk] == [(article.pk, "published")]


def test_concurrent_creates_of_the_same_headline_never_fail_with_a_500(editor_token):
    def create(i):
        response = api(editor_token).post(
            "/api/v1/articles/", json.dumps({"headline": "Same headline for everyone here"}),
            content_type="application/json",
        )  # fmt: skip
        return response.status_code

    statuses = race(create)
    assert all(status == 201 for status in statuses), statuses
    slugs = list(Article.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == CLIENTS


def test_concurrent_creates_with_one_chosen_slug_give_one_story_and_clear_refusals(editor_token):
    def create(i):
        response = api(editor_token).post(
            "/api/v1/articles/", json.dumps({"headline": f"Take {i}", "slug": "the-chosen-slug"}),
            content_type="application/json",
        )  # fmt: skip
        return response.status_code

    statuses = race(create)
    assert statuses.count(201) == 1 and all(s in (201, 400, 409) for s in statuses), statuses


def test_a_crash_mid_save_leaves_the_story_as_it_was(editor, reporter):
    article = factories.ArticleFactory(ready=True, created_by=reporter)
    factories.QuoteFactory(article=article, text="The original words.")
    before = (article.dek, list(article.blocks.values_list("text", flat=True)), Quote.objects.count())

    with (
        mock.patch.object(Quote.objects, "create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        article_update(
            article=article,
            by=editor,
            if_match=article.etag,
            fields={"dek": "Half-written"},
            body=[{"type": "paragraph", "text": "A new paragraph."}],
            quotes=[{"text": "New words.", "kind": "full"}],
        )
    article.refresh_from_db()
    after = (article.dek, list(article.blocks.values_list("text", flat=True)), Quote.objects.count())
    assert after == before
    assert connection.in_atomic_block is False
