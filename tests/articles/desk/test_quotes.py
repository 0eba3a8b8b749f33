"""Quotes proposed from the text as it is written, and judged beside their paragraph on the story page."""

import pytest
from django.urls import reverse

from articles.models import Article, Block, Quote, Speaker
from tests.factories import ArticleFactory, BlockFactory
from tests.helpers.admin import act, new_story

pytestmark = pytest.mark.django_db

SAID = "“We will not give up Bakhmut,” said Volodymyr Zelensky, the president of Ukraine."


def test_saving_a_paragraph_with_quotation_marks_proposes_its_quote_for_review(client, editor):
    zelensky = Speaker.objects.create(name="Volodymyr Zelensky", slug="volodymyr-zelensky")
    client.force_login(editor)
    article, response = new_story(client, ["The city is surrounded on three sides.", SAID])
    quote = article.quotes.get()
    assert quote.text == "We will not give up Bakhmut,"
    assert quote.speaker == zelensky  # matched, not created again
    assert quote.verb == "said" and quote.confidence > 0.5
    assert quote.needs_review and quote.block == article.blocks.get(position=1)
    assert "1 quote found in the text" in response.content.decode()
    # Positions were never typed: the page (or, without script, the server) puts blocks in order.
    assert list(article.blocks.values_list("position", flat=True)) == [0, 1]
    assert (
        article.publication_problems()[-1] == "1 quote is flagged for review: confirm, reassign or drop it."
    )


def test_an_unsure_quote_is_flagged_as_such(client, editor):
    client.force_login(editor)
    article, _ = new_story(client, ["The retreat was, in the end, “a regrouping”."])
    quote = article.quotes.get()
    assert quote.needs_review and not quote.review_note.startswith("Proposed from the text")
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "desk-quote proposed unsure" in page


def test_the_editor_confirms_reassigns_and_drops_from_the_panel(client, editor):
    client.force_login(editor)
    article, _ = new_story(client, [SAID, "“Nobody is leaving,” he added."])
    first, second = article.quotes.order_by("position")
    response = act(client, article, action="confirm", quote=first.pk)
    assert response.status_code == 200 and "✓ confirmed" in response.json()["panel"]
    first.refresh_from_db()
    assert not first.needs_review

    response = act(client, article, action="reassign", quote=second.pk, name="Oleksandr Syrskyi")
    second.refresh_from_db()
    assert second.speaker.name == "Oleksandr Syrskyi" and not second.needs_review
    assert response.json()["flagged"] == 0

    assert act(client, article, action="drop", quote=second.pk).status_code == 200
    assert not Quote.objects.filter(pk=second.pk).exists()
    assert "Nobody is leaving" in article.blocks.get(position=1).text  # the words stay


def test_a_dropped_proposal_returns_only_when_its_paragraph_is_rewritten(client, editor):
    from articles.desk.quotes import quotes_propose

    client.force_login(editor)
    article, _ = new_story(client, [SAID])
    act(client, article, action="drop", quote=article.quotes.get().pk)
    block = article.blocks.get()
    assert quotes_propose(article=article, changed=[]) == []
    assert len(quotes_propose(article=article, changed=[block])) == 1


def test_selected_words_become_a_quote_to_attribute(client, editor):
    client.force_login(editor)
    article, _ = new_story(client, ["The mayor called it a fortress city."])
    block = article.blocks.get()
    response = act(client, article, action="make", block=block.pk, words="a fortress city")
    assert response.status_code == 200
    quote = article.quotes.get()
    assert (quote.text, quote.block, quote.speaker, quote.needs_review) == (
        "a fortress city",
        block,
        None,
        True,
    )
    refused = act(client, article, action="make", block=block.pk, words="words not there")
    assert refused.status_code == 400 and "not in the saved paragraph" in refused.json()["error"]


def test_the_panel_answers_only_to_those_who_may_edit_the_story(client, reporter, other_reporter):
    story = ArticleFactory(created_by=reporter, status=Article.Status.DRAFT)
    paragraph = BlockFactory(article=story, position=0, type=Block.Type.PARAGRAPH, text="A “word” here.")
    quote = Quote.objects.create(article=story, block=paragraph, text="word", needs_review=True)
    client.force_login(other_reporter)
    assert act(client, story, action="confirm", quote=quote.pk).status_code == 404
    client.force_login(reporter)
    assert client.get(reverse("admin:articles_article_quotes", args=[story.pk])).status_code == 405
    assert act(client, story, action="confirm", quote=quote.pk).status_code == 200
    story.status = Article.Status.IN_REVIEW
    story.save()
    assert act(client, story, action="drop", quote=quote.pk).status_code == 403
    assert Quote.objects.filter(pk=quote.pk).exists()


def test_a_quote_shows_its_paragraph_by_its_words(client, editor):
    client.force_login(editor)
    article, _ = new_story(client, [SAID])
    page = client.get(reverse("admin:articles_quote_change", args=[article.quotes.get().pk])).content.decode()
    assert "1. “We will not give up Bakhmut,” said Volodymyr Zelensky" in page
