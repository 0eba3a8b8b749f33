"""Editorial attacks: a reporter, a careless editor and a new user trying the admin and API side doors.

Each test is one attack that once succeeded; it asserts the door is shut and that nothing changed.
"""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, AuditEntry
from tests import factories
from tests.helpers.admin import act, new_story
from tests.helpers.api import token_client

pytestmark = pytest.mark.django_db


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _quote_list_edit(client, quote, speaker):
    """Post the quote list's editable speaker column, as the list page itself would."""
    return client.post(
        reverse("admin:articles_quote_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(quote.pk),
            "form-0-speaker": str(speaker.pk),
            "_save": "Save",
        },
    )


LEFT_DRAFTS = {
    "published": lambda owner: factories.PublishedArticleFactory(created_by=owner),
    "in_review": lambda owner: factories.ArticleFactory(created_by=owner, status=Article.Status.IN_REVIEW),
}


@pytest.mark.parametrize("state", sorted(LEFT_DRAFTS))
def test_reporter_cannot_reattribute_a_quote_of_their_story_once_it_left_drafts(reporter, state):
    story = LEFT_DRAFTS[state](reporter)
    quote = factories.QuoteFactory(article=story)
    before = quote.speaker_id
    someone_else = factories.SpeakerFactory()

    _quote_list_edit(_signed_in(reporter), quote, someone_else)

    quote.refresh_from_db()
    assert quote.speaker_id == before


# A reporter's API token naming shared objects that only another reporter's draft uses: attaching one
# to their own story would make the story's edit view read it back (caption, credit, name, file).


def _secret_draft_objects(other_reporter):
    section = factories.SectionFactory(slug="mksecretmk", name="mkhiddenmk section")
    draft = factories.ArticleFactory(created_by=other_reporter, section=section)
    image = factories.ImageFactory(caption="mkhiddenmk caption")
    draft.lead_image = image
    draft.save()
    draft.tags.add(factories.TagFactory(slug="mksecrettagmk", name="mkhiddenmk tag"))
    factories.QuoteFactory(
        article=draft, speaker=factories.SpeakerFactory(slug="mksecretspeakermk", name="mkhiddenmk speaker")
    )
    return image


def _lead_image(image):
    return {"lead_image": image.pk}


def _image_block(image):
    return {"body": [{"type": "image", "image": image.pk}], "quotes": []}


def _section(image):
    return {"section": "mksecretmk"}


def _tag(image):
    return {"tags": ["mksecrettagmk"]}


def _speaker(image):
    return {
        "body": [{"type": "paragraph", "text": "“Words,” they said."}],
        "quotes": [{"text": "Words,", "speaker": "mksecretspeakermk", "block_index": 0}],
    }


@pytest.mark.parametrize(
    "naming, field",
    [
        (_lead_image, "lead_image"),
        (_image_block, "body.0.image"),
        (_section, "section"),
        (_tag, "tags"),
        (_speaker, "quotes.0.speaker"),
    ],
)
def test_api_writes_reach_only_shared_objects_the_reporter_may_reach(reporter, other_reporter, naming, field):
    image = _secret_draft_objects(other_reporter)
    client = token_client(reporter)
    body = {"headline": "Mine", "dek": "Mine.", **naming(image)}

    created = client.post("/api/v1/articles/", body, format="json")

    assert created.status_code == 400, created.content
    assert field in created.json()["fields"]
    assert b"mkhiddenmk" not in created.content
    assert not Article.objects.filter(headline="Mine").exists()


def test_api_writes_still_take_shared_objects_the_reporter_may_reach(reporter, other_reporter):
    _secret_draft_objects(other_reporter)
    mine = factories.ImageFactory()
    factories.ArticleFactory(created_by=reporter, lead_image=mine)
    public = factories.PublishedArticleFactory(section=factories.SectionFactory(slug="news"))
    public.tags.add(factories.TagFactory(slug="ukraine"))
    unused = factories.ImageFactory()
    body = {"headline": "Mine", "dek": "Mine.", "lead_image": mine.pk, "section": "news", "tags": ["ukraine"]}
    body["body"] = [{"type": "image", "image": unused.pk}]

    created = token_client(reporter).post("/api/v1/articles/", body, format="json")

    assert created.status_code == 201, created.content


# A careless editor working on a live story's parts from their own pages: every change to what a
# live story shows is a published change of it (new version, audit entry, purge, announcement).


def _live_story_with_paragraphs():
    story = factories.PublishedArticleFactory(paragraphs=["Kept.", "Dropped."])
    kept, dropped = story.blocks.order_by("position")
    return story, kept, dropped


def test_deleting_a_paragraph_of_a_live_story_on_its_own_page_is_a_published_change(editor):
    story, _, dropped = _live_story_with_paragraphs()

    response = _signed_in(editor).post(
        reverse("admin:articles_block_delete", args=[dropped.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not story.blocks.filter(pk=dropped.pk).exists()
    story.refresh_from_db()
    assert story.version == 2
    assert AuditEntry.objects.filter(article=story, action=AuditEntry.Action.UPDATED).exists()


def test_deleting_paragraphs_of_a_live_story_from_the_list_is_a_published_change(editor):
    story, _, dropped = _live_story_with_paragraphs()

    response = _signed_in(editor).post(
        reverse("admin:articles_block_changelist"),
        {"action": "delete_selected", "_selected_action": [dropped.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not story.blocks.filter(pk=dropped.pk).exists()
    story.refresh_from_db()
    assert story.version == 2


def test_moving_a_paragraph_out_of_a_live_story_is_a_published_change_of_it(editor):
    story, _, moved = _live_story_with_paragraphs()
    draft = factories.ArticleFactory()

    response = _signed_in(editor).post(
        reverse("admin:articles_block_change", args=[moved.pk]),
        {"article": draft.pk, "position": 0, "type": "paragraph", "text": "Dropped."},
    )

    assert response.status_code == 302, response.content
    assert draft.blocks.filter(pk=moved.pk).exists()
    story.refresh_from_db()
    assert story.version == 2


# Forged ids and names: whatever a reporter puts in the query, they reach only their own stories.


@pytest.mark.parametrize(
    "model, field",
    [("quote", "article"), ("auditentry", "article"), ("block", "quote"), ("article", "lead_image")],
)
def test_forged_autocomplete_requests_find_nothing_of_other_reporters(reporter, other_reporter, model, field):
    theirs = factories.ArticleFactory(created_by=other_reporter, headline="mkhiddenmk draft")
    factories.QuoteFactory(article=theirs, text="mkhiddenmk words")
    theirs.lead_image = factories.ImageFactory(caption="mkhiddenmk")
    theirs.save()

    response = _signed_in(reporter).get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": model, "field_name": field, "term": ""},
    )

    assert b"mkhiddenmk" not in response.content
    assert response.status_code in (200, 403)


def test_forged_bulk_selection_moves_no_story_of_another_reporter(reporter, other_reporter):
    theirs = factories.ArticleFactory(created_by=other_reporter)

    _signed_in(reporter).post(
        reverse("admin:articles_article_changelist"),
        {"action": "submit_selected", "_selected_action": [theirs.pk]},
    )

    theirs.refresh_from_db()
    assert theirs.status == Article.Status.DRAFT


def test_a_preview_token_opens_only_its_own_story(editor):
    from articles.services.previews import preview_link_make

    embargoed = factories.ArticleFactory(status=Article.Status.IN_REVIEW, headline="mkhiddenmk")
    other = factories.ArticleFactory(status=Article.Status.IN_REVIEW)
    token = preview_link_make(article=other, by=editor)

    page = Client().get(f"{embargoed.get_absolute_url()}?preview={token}")
    api = Client().get(f"/api/v1/articles/{embargoed.slug}/?preview={token}")

    assert page.status_code == 404 and api.status_code == 404
    assert b"mkhiddenmk" not in page.content + api.content


def test_a_revision_of_another_story_cannot_be_compared_or_restored_through_this_one(editor):
    from reversion import add_to_revision, create_revision

    mine = factories.ArticleFactory(headline="Mine")
    theirs = factories.ArticleFactory(headline="mkhiddenmk")
    with create_revision():
        add_to_revision(theirs)
    with create_revision():
        add_to_revision(mine)
    foreign = Version.objects.get_for_object(theirs).get()
    own = Version.objects.get_for_object(mine).get()
    client = _signed_in(editor)

    restore = client.post(reverse("admin:articles_article_restore", args=[mine.pk, foreign.pk]))
    compare = client.get(
        reverse("admin:articles_article_compare", args=[mine.pk]), {"old": own.pk, "new": foreign.pk}
    )

    assert restore.status_code == 404 and compare.status_code == 404
    mine.refresh_from_db()
    assert mine.headline == "Mine"


def test_the_story_form_refuses_a_picture_only_another_reporters_draft_shows(reporter, other_reporter):
    from tests.helpers.admin import change_url, form_data

    hidden = _secret_draft_objects(other_reporter)
    mine = factories.ArticleFactory(created_by=reporter)
    client = _signed_in(reporter)
    data = form_data(client.get(change_url(mine)))
    data["lead_image"] = str(hidden.pk)

    response = client.post(change_url(mine), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["lead_image"]
    assert b"mkhiddenmk" not in response.content
    mine.refresh_from_db()
    assert mine.lead_image_id is None


# A speaker quoted only in another reporter's draft: a reporter naming the same person in their own text
# must not be told that speaker exists (their title, their slug) by a match.


def _hidden_speaker(other_reporter):
    speaker = factories.SpeakerFactory(
        name="Mira Hiddenova", slug="mira-hiddenova", title="mkhiddenmk informant", is_anonymous=False
    )
    factories.QuoteFactory(article=factories.ArticleFactory(created_by=other_reporter), speaker=speaker)
    return speaker


def test_quotes_proposed_for_a_reporter_never_match_a_speaker_only_another_draft_shows(
    reporter, other_reporter
):
    hidden = _hidden_speaker(other_reporter)
    client = _signed_in(reporter)
    article, response = new_story(client, ["“The bridge is gone,” said Mira Hiddenova."])

    quote = article.quotes.get()
    assert quote.speaker_id != hidden.pk
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "mkhiddenmk" not in response.content.decode() + page


def test_a_reporter_reassigning_a_quote_never_reaches_a_speaker_only_another_draft_shows(
    reporter, other_reporter
):
    hidden = _hidden_speaker(other_reporter)
    client = _signed_in(reporter)
    article, _ = new_story(client, ["“The bridge is gone,” a witness said."])
    quote = article.quotes.get()

    response = act(client, article, action="reassign", quote=quote.pk, name="Mira Hiddenova")

    quote.refresh_from_db()
    assert quote.speaker_id != hidden.pk
    assert "mkhiddenmk" not in response.content.decode()


def test_the_import_preview_names_no_speaker_only_another_draft_shows(reporter, other_reporter):
    _hidden_speaker(other_reporter)
    client = _signed_in(reporter)
    text = (
        "Bridge lost\n\nThe river rose overnight and cut the town in two.\n\n"
        "“The bridge is gone,” Mira Hiddenova said by phone.\n"
    )

    preview = client.post(reverse("admin:articles_article_import"), {"text": text})
    client.post(reverse("admin:articles_article_import"), {"text": text, "_import": "Import"})

    assert preview.status_code == 200
    assert "mkhiddenmk" not in preview.content.decode()
    assert "existing" not in preview.content.decode()
    imported = Article.objects.get(headline="Bridge lost")
    assert imported.quotes.get().speaker.title != "mkhiddenmk informant"
