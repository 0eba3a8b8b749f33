"""Review flags on a submitted story are the desk's to clear: a reporter cannot empty the checklist."""

import pytest
from django.urls import reverse

from articles.models import Article, Quote
from articles.services.workflow import article_submit
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

QUOTES = reverse("admin:articles_quote_changelist")


@pytest.fixture
def flagged_story(reporter):
    story = ArticleFactory(ready=True, created_by=reporter)
    for n in range(2):
        QuoteFactory(article=story, position=n, needs_review=True, review_note="Speaker unsure.")
    return story


def flags(story):
    return sorted(story.quotes.values_list("needs_review", flat=True))


def accept(client, story):
    ids = list(story.quotes.values_list("pk", flat=True))
    return client.post(QUOTES, {"action": "accept_quotes", "_selected_action": ids})


def test_a_reporter_cannot_accept_flagged_quotes_once_the_story_is_submitted(client, reporter, flagged_story):
    article_submit(article=flagged_story, by=reporter)
    client.force_login(reporter)
    accept(client, flagged_story)
    assert flags(flagged_story) == [True, True]
    flagged_story.refresh_from_db()
    assert "2 quotes are flagged for review" in " ".join(flagged_story.publication_problems())


def test_a_reporter_cannot_clear_flags_by_reassigning_speakers_from_the_list(client, reporter, flagged_story):
    article_submit(article=flagged_story, by=reporter)
    speaker = SpeakerFactory()
    client.force_login(reporter)
    quotes = list(flagged_story.quotes.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(quotes)),
        "form-INITIAL_FORMS": str(len(quotes)),
        "_save": "Save",
    }
    for n, quote in enumerate(quotes):
        data[f"form-{n}-id"] = str(quote.pk)
        data[f"form-{n}-speaker"] = str(speaker.pk)
    client.post(QUOTES, data)
    assert flags(flagged_story) == [True, True]
    assert not Quote.objects.filter(speaker=speaker).exists()


def test_a_reporter_clears_flags_on_their_own_draft(client, reporter, flagged_story):
    client.force_login(reporter)
    accept(client, flagged_story)
    assert flags(flagged_story) == [False, False]


def test_an_editor_clears_flags_on_a_submitted_story(client, reporter, editor, flagged_story):
    article_submit(article=flagged_story, by=reporter)
    client.force_login(editor)
    accept(client, flagged_story)
    assert flags(flagged_story) == [False, False]
    flagged_story.refresh_from_db()
    assert flagged_story.status == Article.Status.IN_REVIEW
