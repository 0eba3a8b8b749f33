"""One rule per fact: the admin refuses, with form errors, exactly what the API and the database refuse."""

import itertools
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.api.inputs import BlockInput
from articles.content import rules
from articles.models import Block, Quote
from articles.services.errors import NotReadyToPublish
from articles.services.workflow import article_publish
from tests.factories import (
    ArticleFactory,
    BlockFactory,
    EmbedFactory,
    ImageFactory,
    QuoteFactory,
    SpeakerFactory,
)
from tests.helpers.admin import change_url, form_data
from tests.helpers.api import story_payload, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoted_story(editor):
    article = ArticleFactory(ready=True, headline="Quoted")
    paragraph = article.blocks.get()
    paragraph.text = "“We will hold,” the general said."
    paragraph.save()
    QuoteFactory(article=article, block=paragraph, text="We will hold,")
    return article


def test_the_admin_flags_a_quote_whose_words_leave_its_paragraph_and_the_api_refuses_it(
    client,
    editor,
    quoted_story,
    people,
):
    client.force_login(editor)
    data = form_data(client.get(change_url(quoted_story)))
    data["blocks-0-text"] = "The general said nothing more."
    assert client.post(change_url(quoted_story), data).status_code == 302
    quote = quoted_story.quotes.get()
    assert quote.needs_review and "no longer in the paragraph" in quote.review_note
    assert any("flagged for review" in p for p in quoted_story.publication_problems())

    refused = token_client(editor).post(
        "/api/v1/articles/",
        story_payload(quotes=[{"text": "Words nobody said", "speaker": "zelensky", "block_index": 0}]),
        format="json",
    )
    assert refused.status_code == 400 and "quotes.0.text" in refused.json()["fields"]


def test_the_quote_page_refuses_it_too(client, editor, quoted_story):
    quote = quoted_story.quotes.get()
    client.force_login(editor)
    url = reverse("admin:articles_quote_change", args=[quote.pk])
    data = form_data(client.get(url))
    data["text"] = "Words nobody said"
    response = client.post(url, data)
    assert response.status_code == 200 and "does not appear in its paragraph" in response.content.decode()
    quote.refresh_from_db()
    assert quote.text == "We will hold,"


def test_a_rewritten_paragraph_flags_its_old_quote_and_proposes_the_new_one(client, editor, quoted_story):
    client.force_login(editor)
    data = form_data(client.get(change_url(quoted_story)))
    data["blocks-0-text"] = "“We will stand,” the general said."
    assert client.post(change_url(quoted_story), data).status_code == 302
    old, new = quoted_story.quotes.order_by("position", "id")
    assert (old.text, old.needs_review) == ("We will hold,", True)
    assert (new.text, new.needs_review) == ("We will stand,", True)


def test_a_story_with_an_unattributed_quote_cannot_be_published(editor, quoted_story):
    Quote.objects.filter(article=quoted_story).update(speaker=None)
    with pytest.raises(NotReadyToPublish, match="without a speaker"):
        article_publish(article=quoted_story, by=editor)


def test_the_block_rule_is_the_same_in_the_database_the_models_and_the_api(editor):
    # The API takes only pictures its caller may reach: an editor reaches them all.
    as_editor = {"request": SimpleNamespace(user=editor)}
    article = ArticleFactory(ready=True)
    image, embed = ImageFactory(), EmbedFactory()
    quote = QuoteFactory(article=article, speaker=SpeakerFactory())
    objects = {"quote": quote, "image": image, "embed": embed}
    api_values = {"quote": 0, "image": image.pk, "embed": {"url": "https://e.example/", "fallback_text": "x"}}
    position = itertools.count(10)
    for kind in Block.Type.values:
        for text in ("", "Some words."):
            for pointers in itertools.chain.from_iterable(
                itertools.combinations(rules.POINTER_TYPES, n) for n in range(3)
            ):
                where = (kind, text, pointers)
                block = Block(article=article, position=next(position), type=kind, text=text)
                for name in pointers:
                    setattr(block, name, objects[name])
                try:
                    block.clean()
                    model_ok = True
                except ValidationError:
                    model_ok = False
                payload = {"type": kind, **({"text": text} if text else {})}
                payload |= {{"quote": "quote_index"}.get(n, n): api_values[n] for n in pointers}
                api_ok = BlockInput(data=payload, context=as_editor).is_valid()
                assert model_ok == api_ok, where
                try:
                    with transaction.atomic():
                        Block.objects.bulk_create([block])  # bulk_create skips save()'s sanitising
                    db_ok = True
                except IntegrityError:
                    db_ok = False
                # The database is the backstop: it never accepts what validation refuses.
                assert db_ok or not model_ok, where
                if model_ok:
                    assert db_ok, where


def test_block_messages_come_from_one_place(client, editor):
    article = ArticleFactory(ready=True)
    BlockFactory(article=article, position=1, text="Second.")
    client.force_login(editor)
    url = reverse("admin:articles_block_change", args=[article.blocks.get(position=1).pk])
    data = form_data(client.get(url))
    data["type"] = "image"
    page = client.post(url, data).content.decode()
    assert rules.block_problems("image", text="Second.", pointers=set())["image"] in page
