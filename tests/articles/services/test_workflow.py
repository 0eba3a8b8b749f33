"""The editorial workflow in articles/services/: who may move a story where, and what each move does."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from articles.models import Article, AuditEntry, Correction
from articles.services.editing import article_record_edit, article_restore
from articles.services.errors import NotReadyToPublish, TransitionError, WorkflowError
from articles.services.scheduling import article_schedule
from articles.services.workflow import (
    article_correct,
    article_kill,
    article_publish,
    article_send_back,
    article_submit,
    article_unpublish,
)
from articles.signals import Event, story_event
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def announced():
    """Call it to run the announcements waiting for the test's transaction to commit; returns them."""
    events = []
    start = len(connection.run_on_commit)

    def listener(sender, article, event, actor, **kwargs):
        events.append((article.pk, event, actor))

    def flush():
        # The test transaction never commits, so deliver what a commit would deliver now.
        pending = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        for _, callback, _ in pending:
            callback()
        return events

    story_event.connect(listener)
    yield flush
    story_event.disconnect(listener)


@pytest.fixture
def nobody(db):
    # Staff without a role: logged in, but no newsroom permissions at all.
    return UserFactory(username="intern", is_staff=True)


def _future(**delta):
    return timezone.now() + timedelta(**delta)


# Every verb, the state it starts from, and the state it leaves the story in.
VERBS = {
    "submit": (Status.DRAFT, lambda a, u: article_submit(article=a, by=u), Status.IN_REVIEW),
    "send back": (
        Status.IN_REVIEW,
        lambda a, u: article_send_back(article=a, by=u),
        Status.DRAFT,
    ),
    "publish": (Status.IN_REVIEW, lambda a, u: article_publish(article=a, by=u), Status.PUBLISHED),
    "schedule": (
        Status.IN_REVIEW,
        lambda a, u: article_schedule(article=a, by=u, go_live_at=_future(hours=1)),
        Status.SCHEDULED,
    ),
    "unpublish": (Status.PUBLISHED, lambda a, u: article_unpublish(article=a, by=u), Status.DRAFT),
    "kill": (
        Status.PUBLISHED,
        lambda a, u: article_kill(article=a, by=u, notice="Withdrawn for legal reasons."),
        Status.KILLED,
    ),
    "correct": (
        Status.PUBLISHED,
        lambda a, u: article_correct(article=a, by=u, note="A name was misspelled."),
        Status.PUBLISHED,
    ),
}

# Which roles may use each verb on their own story ("reporter") or on someone else's ("other reporter").
ALLOWED = {
    "submit": {"editor", "reporter"},
    "send back": {"editor"},
    "publish": {"editor"},
    "schedule": {"editor"},
    "unpublish": {"editor"},
    "kill": {"editor"},
    "correct": {"editor"},
}


def _story_in(status, owner):
    live = status in (Status.PUBLISHED, Status.SCHEDULED)
    return ArticleFactory(
        ready=True,
        created_by=owner,
        status=status,
        go_live_at=timezone.now() - timedelta(minutes=5) if live else None,
        first_published_at=timezone.now() - timedelta(minutes=5) if live else None,
        version=1 if live else 0,
    )


@pytest.mark.parametrize("role", ["editor", "reporter", "other reporter", "nobody"])
@pytest.mark.parametrize("verb", VERBS)
def test_every_transition_is_allowed_only_to_its_roles(verb, role, editor, reporter, other_reporter, nobody):
    start, move, end = VERBS[verb]
    article = _story_in(start, owner=reporter)
    user = {"editor": editor, "reporter": reporter, "other reporter": other_reporter, "nobody": nobody}[role]
    if role in ALLOWED[verb]:
        move(article, user)
        article.refresh_from_db()
        assert article.status == end
        assert AuditEntry.objects.filter(article=article, actor=user).exists()
    else:
        with pytest.raises(PermissionDenied):
            move(article, user)
        article.refresh_from_db()
        assert article.status == start
        assert not AuditEntry.objects.exists()


ILLEGAL = [
    ("submit", Status.IN_REVIEW),
    ("submit", Status.PUBLISHED),
    ("send back", Status.DRAFT),
    ("publish", Status.PUBLISHED),
    ("publish", Status.KILLED),
    ("schedule", Status.PUBLISHED),
    ("schedule", Status.KILLED),
    ("unpublish", Status.DRAFT),
    ("unpublish", Status.KILLED),
    ("kill", Status.DRAFT),
    ("kill", Status.KILLED),
    ("correct", Status.DRAFT),
    ("correct", Status.SCHEDULED),
    ("correct", Status.KILLED),
]


@pytest.mark.parametrize(("verb", "status"), ILLEGAL)
def test_illegal_transitions_are_refused_with_a_message_naming_the_state(verb, status, editor):
    article = _story_in(status, owner=editor)
    with pytest.raises(TransitionError) as refused:
        VERBS[verb][1](article, editor)
    assert Status(status).label.lower() in str(refused.value)
    assert refused.value.status_code == 409
    article.refresh_from_db()
    assert article.status == status


def test_a_stale_instance_cannot_publish_twice(editor):
    article = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    stale = Article.objects.get(pk=article.pk)
    article_publish(article=article, by=editor)
    with pytest.raises(TransitionError, match="published"):
        article_publish(article=stale, by=editor)
    assert Article.objects.get(pk=article.pk).version == 1


def test_publishing_sets_go_live_first_published_version_and_announces(editor, announced):
    article = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    article_publish(article=article, by=editor)
    assert article.status == Status.PUBLISHED
    assert article.is_public()
    assert article.version == 1
    assert article.first_published_at == article.go_live_at
    assert announced() == [(article.pk, Event.PUBLISHED, editor)]


def test_republishing_after_unpublish_keeps_first_published_and_bumps_version(editor, announced):
    article = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    article_publish(article=article, by=editor)
    first = article.first_published_at
    article_unpublish(article=article, by=editor)
    assert article.status == Status.DRAFT and not article.is_public()
    article_publish(article=article, by=editor)
    assert article.first_published_at == first
    assert article.version == 2
    assert [event for _, event, _ in announced()] == [Event.PUBLISHED, Event.UNPUBLISHED, Event.PUBLISHED]


def test_unpublishing_a_story_not_yet_live_announces_nothing(editor, announced):
    article = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    article_schedule(article=article, by=editor, go_live_at=_future(hours=3))
    article_unpublish(article=article, by=editor)
    assert article.status == Status.DRAFT and article.go_live_at is None
    assert announced() == []


def test_publishing_lists_exactly_what_is_missing(editor):
    article = ArticleFactory(headline=" ", status=Status.IN_REVIEW)
    with pytest.raises(NotReadyToPublish) as refused:
        article_publish(article=article, by=editor)
    assert refused.value.problems == [
        "Add a headline.",
        "Add at least one byline.",
        "The body is empty: add at least one paragraph.",
    ]
    assert refused.value.status_code == 400
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_scheduling_checks_readiness_too(editor):
    article = ArticleFactory(status=Status.DRAFT)
    with pytest.raises(NotReadyToPublish, match="byline"):
        article_schedule(article=article, by=editor, go_live_at=_future(hours=1))


def test_scheduling_in_the_past_is_refused(editor):
    article = ArticleFactory(ready=True)
    with pytest.raises(WorkflowError, match="future"):
        article_schedule(article=article, by=editor, go_live_at=timezone.now() - timedelta(seconds=1))


def test_expiry_before_go_live_is_refused_with_a_message(editor):
    article = ArticleFactory(ready=True)
    with pytest.raises(WorkflowError, match="expiry"):
        article_schedule(article=article, by=editor, go_live_at=_future(hours=2), expires_at=_future(hours=1))


def test_killing_needs_a_notice_and_keeps_it(editor, announced):
    article = _story_in(Status.PUBLISHED, owner=None)
    with pytest.raises(WorkflowError, match="notice"):
        article_kill(article=article, by=editor, notice="  ")
    article_kill(article=article, by=editor, notice="This story was withdrawn.")
    assert article.status == Status.KILLED
    assert article.kill_notice == "This story was withdrawn."
    assert article.killed_at is not None
    assert not article.is_public()
    assert announced() == [(article.pk, Event.KILLED, editor)]


def test_a_correction_grows_the_version_moves_updated_at_and_is_announced(editor, announced):
    article = _story_in(Status.PUBLISHED, owner=None)
    before = Article.objects.get(pk=article.pk)
    correction = article_correct(
        article=article, by=editor, note="An earlier version gave the wrong date.", kind="clarification"
    )
    assert correction.kind == Correction.Kind.CLARIFICATION
    assert correction.created_by == editor
    assert article.version == before.version + 1
    assert article.updated_at > before.updated_at
    assert list(article.corrections.values_list("note", flat=True)) == [
        "An earlier version gave the wrong date."
    ]
    assert announced() == [(article.pk, Event.CORRECTED, editor)]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CORRECTED)
    assert entry.version == article.version


def test_a_correction_of_an_unknown_kind_is_refused(editor):
    article = _story_in(Status.PUBLISHED, owner=None)
    with pytest.raises(WorkflowError, match="Kind must be one of"):
        article_correct(article=article, by=editor, note="x", kind="retraction")


def test_editing_a_live_story_is_a_new_public_version(editor, announced):
    article = _story_in(Status.PUBLISHED, owner=None)
    article_record_edit(article=article, by=editor)
    assert article.version == 2
    assert announced() == [(article.pk, Event.UPDATED, editor)]


def test_editing_a_draft_changes_no_version(reporter, announced):
    article = ArticleFactory(ready=True, created_by=reporter)
    article_record_edit(article=article, by=reporter)
    assert article.version == 0
    assert announced() == []


def test_a_failed_move_announces_nothing(editor, announced):
    article = ArticleFactory(status=Status.IN_REVIEW)
    with pytest.raises(NotReadyToPublish):
        article_publish(article=article, by=editor)
    assert announced() == []


def test_only_someone_who_may_edit_the_story_can_restore_a_revision(editor, reporter, other_reporter):
    from articles.revisions import history

    article = ArticleFactory(ready=True, created_by=reporter, status=Status.IN_REVIEW)
    article_send_back(article=article, by=editor)
    version = history(article).first()
    with pytest.raises(PermissionDenied):
        article_restore(article=article, by=other_reporter, version=version)
    article_restore(article=article, by=reporter, version=version)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RESTORED, actor=reporter).exists()


def test_a_revision_of_another_story_cannot_be_restored_here(editor):
    from articles.revisions import history

    one, two = (
        ArticleFactory(ready=True, status=Status.IN_REVIEW),
        ArticleFactory(ready=True, status=Status.IN_REVIEW),
    )
    article_send_back(article=two, by=editor)
    with pytest.raises(WorkflowError, match="another story"):
        article_restore(article=one, by=editor, version=history(two).first())
