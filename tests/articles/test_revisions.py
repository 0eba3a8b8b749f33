"""Revisions belong to one story: bulk moves, comparisons and restores never reach another story."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles import revisions
from articles.models import Article, AuditEntry, Block, Byline, Quote
from articles.services.editing import article_record_edit, article_restore
from articles.services.workflow import article_correct, article_kill, article_publish, article_unpublish
from articles.signals import story_event
from tests.factories import ArticleFactory, BlockFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def bulk(client, verb, *stories):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": f"{verb}_selected", "_selected_action": [s.pk for s in stories]},
    )


def story_ids_in(revision):
    """The stories whose rows a revision holds (the story itself, or its blocks, quotes, bylines)."""
    ids = set()
    for version in revision.version_set.all():
        if version._model is Article:
            ids.add(int(version.object_id))
        elif version._model in (Block, Quote, Byline):
            ids.add(version._object_version.object.article_id)
    return ids


@pytest.fixture
def two_stories():
    speaker = SpeakerFactory(name="Alice Speaker")
    stories = []
    for name in ("Alpha", "Bravo"):
        story = ArticleFactory(ready=True, status=Status.IN_REVIEW, headline=f"{name} headline")
        block = story.blocks.get()
        block.text = f"{name} paragraph said {name}."
        block.save()
        QuoteFactory(article=story, block=block, speaker=speaker, text=f"{name} words")
        stories.append(story)
    return stories


@pytest.fixture
def announced():
    events = []

    def listen(sender, article, event, **kwargs):
        events.append((article.pk, event))

    story_event.connect(listen)
    yield events
    story_event.disconnect(listen)


def test_a_bulk_move_records_one_revision_per_story(client, editor, two_stories):
    a, b = two_stories
    client.force_login(editor)
    assert bulk(client, "publish", a, b).status_code == 302
    for story in (a, b):
        latest = revisions.history(story).first()
        assert story_ids_in(latest.revision) == {story.pk}


def test_restoring_a_revision_never_brings_back_another_story(
    client, editor, two_stories, django_capture_on_commit_callbacks, announced
):
    a, b = two_stories
    client.force_login(editor)
    assert bulk(client, "publish", a, b).status_code == 302
    published_revision = revisions.history(a).first()
    article_kill(article=b, by=editor, notice="Withdrawn for legal reasons.")
    article_unpublish(article=a, by=editor)
    b.refresh_from_db()
    killed = (b.status, b.version, b.killed_at, b.kill_notice, b.updated_at)

    restore = reverse("admin:articles_article_restore", args=[a.pk, published_revision.pk])
    page = client.get(restore).content.decode()
    assert "Alpha" in page and "Bravo" not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(restore).status_code == 302

    b.refresh_from_db()
    assert (b.status, b.version, b.killed_at, b.kill_notice, b.updated_at) == killed
    assert list(b.quotes.values_list("text", flat=True)) == ["Bravo words"]
    assert not AuditEntry.objects.filter(article=b, action=AuditEntry.Action.RESTORED).exists()
    assert all(pk != b.pk for pk, _ in announced)
    a.refresh_from_db()
    assert a.status == Status.DRAFT and a.go_live_at is None  # restoring text never republishes


def test_a_revision_holding_two_stories_restores_and_compares_only_its_own(client, editor, two_stories):
    # Revisions recorded before bulk moves were split still hold several stories: read them story by story.
    a, b = two_stories
    from reversion import add_to_revision, create_revision

    with create_revision():
        add_to_revision(a)
        add_to_revision(b)
    shared = revisions.history(a).first()
    assert story_ids_in(shared.revision) == {a.pk, b.pk}
    article_publish(article=a, by=editor)
    article_publish(article=b, by=editor)
    article_kill(article=b, by=editor, notice="Withdrawn.")
    b.refresh_from_db()
    killed = (b.status, b.version, b.killed_at)

    client.force_login(editor)
    latest = revisions.history(a).first()
    compare = client.get(
        reverse("admin:articles_article_compare", args=[a.pk]), {"old": shared.pk, "new": latest.pk}
    ).content.decode()
    assert "Alpha" in compare and "Bravo" not in compare
    restore = reverse("admin:articles_article_restore", args=[a.pk, shared.pk])
    assert "Bravo" not in client.get(restore).content.decode()
    assert client.post(restore).status_code == 302
    b.refresh_from_db()
    assert (b.status, b.version, b.killed_at) == killed


def test_a_restore_keeps_status_times_kill_and_corrections_and_is_announced_when_live(
    client, editor, django_capture_on_commit_callbacks, announced
):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW, headline="Original headline")
    article_publish(article=story, by=editor)
    original = revisions.history(story).first()
    story.headline = "Changed headline"
    story.save()
    article_record_edit(article=story, by=editor)
    article_correct(article=story, by=editor, note="A date was wrong.")
    story.refresh_from_db()
    before = (story.status, story.go_live_at, story.first_published_at, story.killed_at, story.version)

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:articles_article_restore", args=[story.pk, original.pk]))

    story.refresh_from_db()
    assert story.headline == "Original headline"
    assert (story.status, story.go_live_at, story.first_published_at, story.killed_at) == before[:4]
    assert story.version == before[4] + 1
    assert story.corrections.count() == 1
    assert AuditEntry.objects.filter(article=story, action=AuditEntry.Action.RESTORED).count() == 1
    assert (story.pk, "updated") in announced
    assert Version.objects.get_for_object(story).count() == 4  # publish, edit, correction, restore


def test_restoring_keeps_quotes_pointing_at_their_paragraph(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    paragraph = story.blocks.get()
    QuoteFactory(article=story, block=paragraph, text="The first")
    BlockFactory(article=story, position=1, text="More.")
    article_publish(article=story, by=editor)
    original = revisions.history(story).first()
    article_restore(article=story, by=editor, version=original)
    quote = story.quotes.get()
    assert quote.block_id == paragraph.pk
    assert list(story.blocks.values_list("position", flat=True)) == [0, 1]
