"""Importing raw stories: the command, the save step, and the review pages in the admin."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.content.markup import strip_tags
from articles.importing import parse
from articles.models import Article, Block, Byline, Embed, Quote, Speaker
from articles.services.imports import article_import
from articles.services.seeding import SEED_DIR
from articles.services.workflow import article_publish
from contributors.models import Contributor
from tests.factories import ContributorFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

INTERVIEW = SEED_DIR / "interview.txt"

CLEAN_STORY = """Council approves new park

The city council approved the riverside park on Tuesday, Mayor Ana Ruiz said.

“This is a park for every family in the city,” Ruiz said.

Reporting by Kate Holden
"""


def counts():
    return [m.objects.count() for m in (Article, Block, Quote, Speaker, Contributor, Embed, Byline)]


def run(*args):
    out = StringIO()
    call_command("import_story", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def clean_file(tmp_path):
    path = tmp_path / "park.txt"
    path.write_text(CLEAN_STORY, encoding="utf-8")
    return path


# --- The command ----------------------------------------------------------------------------------


def test_import_turns_the_interview_into_a_draft_with_its_words_unchanged():
    output = run(str(INTERVIEW))
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert (article.kicker, article.source_credit) == ("Exclusive", "CNN")
    assert article.slug == "zelensky-warns-of-open-road-through-ukraines-east-if-russia-captures-bakhmut"
    raw = INTERVIEW.read_text(encoding="utf-8")
    blocks = list(article.blocks.order_by("position"))
    assert len(blocks) == 25
    for block in blocks:
        if block.type == Block.Type.PARAGRAPH:
            assert f"\n{strip_tags(block.text)}\n" in raw  # each paragraph is a line of the original
    assert "Rate this post" not in {strip_tags(b.text) for b in blocks}
    embed = next(b for b in blocks if b.type == Block.Type.EMBED).embed
    assert embed.fallback_text == "View this interactive content on CNN.com"
    assert [(b.contributor.slug, b.role) for b in article.bylines.order_by("position")] == [
        ("tim-lister", "contributing_reporter"),
        ("olga-voitovich", "contributing_reporter"),
        ("vasko-kotovio", "contributing_reporter"),
    ]
    assert "Quotes: 22" in output and "Dropped: Rate this post" in output and "Flags:" in output


def test_imported_quotes_are_linked_to_their_paragraphs_with_speakers_and_confidence():
    run(str(INTERVIEW))
    article = Article.objects.get()
    quotes = list(article.quotes.select_related("block", "speaker").order_by("position"))
    assert len(quotes) == 22
    for quote in quotes:
        assert quote.text in strip_tags(quote.block.text)
        assert quote.confidence is not None
    by_speaker = {}
    for quote in quotes:
        by_speaker[quote.speaker.name] = by_speaker.get(quote.speaker.name, 0) + 1
    assert by_speaker == {
        "Volodymyr Zelensky": 17,
        "Irina Vereshchuk": 2,
        "Mykhailo Podolić": 2,
        "Timofey Mykolayovich Shadura": 1,
    }
    vereshchuk = Speaker.objects.get(name="Irina Vereshchuk")
    assert vereshchuk.title == "Deputy Prime Minister"
    flagged = [q for q in quotes if q.needs_review]
    assert flagged and all(q.review_note for q in flagged)
    assert not any(q.review_note for q in quotes if not q.needs_review)


def test_import_matches_existing_speakers_and_contributors_instead_of_copying_them(interview):
    before = (Speaker.objects.count(), Contributor.objects.count())
    output = run(str(INTERVIEW))
    assert (Speaker.objects.count(), Contributor.objects.count()) == before
    assert "[existing: Volodymyr Zelensky]" in output
    imported = Article.objects.exclude(pk=interview.pk).get()
    assert imported.slug.endswith("-2")  # the seeded story keeps its address
    assert set(imported.quotes.values_list("speaker__slug", flat=True)) == {
        "volodymyr-zelensky",
        "irina-vereshchuk",
        "mykhailo-podolic",
        "timofey-mykolayovich-shadura",
    }


def test_a_speaker_named_only_by_surname_matches_the_one_existing_record(tmp_path):
    berg = SpeakerFactory(name="Olaf Berg", slug="olaf-berg", title="Prime Minister")
    path = tmp_path / "vote.txt"
    path.write_text("Coalition survives\n\n“We have a majority,” Berg said.\n", encoding="utf-8")
    output = run(str(path))
    assert Quote.objects.get().speaker == berg
    assert "existing, by surname: Olaf Berg" in output


def test_an_ambiguous_surname_is_flagged_for_the_editor(tmp_path):
    SpeakerFactory(name="Joe Biden", slug="joe-biden")
    SpeakerFactory(name="Hunter Biden", slug="hunter-biden")
    path = tmp_path / "biden.txt"
    path.write_text("Statement issued\n\n“We will respond,” Biden said.\n", encoding="utf-8")
    run(str(path))
    quote = Quote.objects.get()
    assert quote.needs_review and "ambiguous" in quote.review_note


def test_dry_run_reports_and_writes_nothing():
    before = counts()
    output = run(str(INTERVIEW), "--dry-run")
    assert counts() == before
    assert "Volodymyr Zelensky, President: 17" in output
    assert "Dry run: nothing was written." in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "it is empty"),
        (b"\x00\x01\x02\x03binary", "binary data"),
        ("Headline\n\n“Quoted,” she said.\n".encode("cp1252"), "not utf-8 text"),
        (b"Headline only\n", "no paragraphs"),
    ],
)
def test_unreadable_files_exit_with_a_clear_message_and_create_nothing(tmp_path, content, message):
    path = tmp_path / "story.txt"
    path.write_bytes(content)
    before = counts()
    with pytest.raises(CommandError, match=message):
        run(str(path))
    assert counts() == before


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="Cannot read"):
        run("/nonexistent/story.txt")


def test_publish_needs_an_editor_named_on_the_command_line(clean_file):
    with pytest.raises(CommandError, match="--publish needs --user"):
        run(str(clean_file), "--publish")
    with pytest.raises(CommandError, match="No user called"):
        run(str(clean_file), "--publish", "--user", "nobody")


def test_publish_goes_through_the_workflow_and_a_reporter_cannot(clean_file, editor, reporter):
    with pytest.raises(CommandError, match="Nothing was created"):
        run(str(clean_file), "--publish", "--user", reporter.username)
    assert Article.objects.count() == 0
    run(str(clean_file), "--publish", "--user", editor.username)
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED and article.version == 1
    assert article.is_public()
    assert article.created_by == editor


def test_publish_refuses_a_story_with_flags_and_creates_nothing(editor):
    before = counts()
    with pytest.raises(CommandError, match="flagged for review"):
        run(str(INTERVIEW), "--publish", "--user", editor.username)
    assert counts() == before


# --- The save step --------------------------------------------------------------------------------


def test_paragraph_text_that_looks_like_markup_is_kept_as_text():
    story = parse("Headline\n\nProfits rose 5% at Smith & Sons <b>again</b>, the firm said.\n")
    article = article_import(story=story).article
    block = article.blocks.get()
    assert strip_tags(block.text) == "Profits rose 5% at Smith & Sons <b>again</b>, the firm said."


def test_existing_contributors_are_credited_by_slug(tmp_path):
    kate = ContributorFactory(name="Kate Holden", slug="kate-holden")
    article = article_import(story=parse(CLEAN_STORY)).article
    assert [(b.contributor, b.role) for b in article.bylines.all()] == [(kate, "author")]


def test_a_reporter_import_credits_only_contributors_who_exist(reporter):
    result = article_import(story=parse(CLEAN_STORY), by=reporter)
    assert result.uncredited == ["Kate Holden"]
    assert not Contributor.objects.exists()
    assert result.article.created_by == reporter


def test_flagged_quotes_and_blocks_hold_back_publication_until_reviewed(editor):
    article = article_import(story=parse(INTERVIEW.read_text(encoding="utf-8"))).article
    problems = article.publication_problems()
    assert any("flagged for review: confirm, reassign or drop" in p for p in problems)
    assert any("Body blocks flagged for review" in p for p in problems)
    article.quotes.accept()
    article.blocks.update(needs_review=False)
    assert article.publication_problems() == []
    article_publish(article=article, by=editor)
    assert article.status == Article.Status.PUBLISHED


# --- The admin ------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_article_list_links_to_the_import_page(editor_client):
    page = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert reverse("admin:articles_article_import") in page


def test_import_page_previews_without_writing_then_imports_a_draft(editor_client, editor):
    url = reverse("admin:articles_article_import")
    assert editor_client.get(url).status_code == 200
    text = INTERVIEW.read_text(encoding="utf-8")
    before = counts()
    preview = editor_client.post(url, {"text": text, "_preview": "Preview"})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Quotes: 22" in body and "Irina Vereshchuk" in body and "Dropped: Rate this post" in body
    assert counts() == before
    response = editor_client.post(url, {"text": text, "_import": "Import as draft"})
    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert article.created_by == editor and article.quotes.count() == 22


def test_import_page_accepts_an_uploaded_file_and_refuses_binary_ones(editor_client):
    url = reverse("admin:articles_article_import")
    upload = SimpleUploadedFile("story.txt", CLEAN_STORY.encode(), content_type="text/plain")
    response = editor_client.post(url, {"file": upload, "_preview": "Preview"})
    assert "This is a park for every family" in response.content.decode()
    binary = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", content_type="image/jpeg")
    response = editor_client.post(url, {"file": binary, "_import": "Import as draft"})
    assert response.status_code == 200
    assert "binary data" in response.content.decode()
    empty = editor_client.post(url, {"text": "", "_import": "Import as draft"})
    assert "Paste the story or choose a file" in empty.content.decode()
    assert Article.objects.count() == 0


def test_import_page_is_refused_to_staff_who_cannot_add_stories(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    assert client.get(reverse("admin:articles_article_import")).status_code == 403


def test_story_page_links_to_its_flagged_quotes(editor_client):
    article = article_import(story=parse(INTERVIEW.read_text(encoding="utf-8"))).article
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    flagged = article.quotes.flagged().count()
    assert f"?article__id__exact={article.pk}" in page and f"({flagged} flagged)" in page


def test_quote_review_list_accepts_and_drops_in_bulk(editor_client):
    article = article_import(story=parse(INTERVIEW.read_text(encoding="utf-8"))).article
    other = QuoteFactory(needs_review=True)
    url = reverse("admin:articles_quote_changelist") + f"?article__id__exact={article.pk}"
    listing = editor_client.get(url).content.decode()
    assert "Irina Vereshchuk" in listing and other.text not in listing
    flagged = list(article.quotes.flagged().values_list("pk", flat=True))
    editor_client.post(url, {"action": "accept_quotes", "_selected_action": flagged})
    assert not article.quotes.flagged().exists()
    assert Quote.objects.get(pk=flagged[0]).confidence is not None  # the importer's certainty is kept
    drop = flagged[:2]
    editor_client.post(url, {"action": "drop_quotes", "_selected_action": drop})
    assert article.quotes.count() == 20
    other.refresh_from_db()  # a quote of another story, outside the filtered list, is untouched
    assert other.needs_review


def test_reassigning_a_speaker_marks_the_attribution_as_a_persons(editor_client):
    article = article_import(story=parse(INTERVIEW.read_text(encoding="utf-8"))).article
    quote = article.quotes.flagged().first()
    someone = SpeakerFactory(name="Wolf Blitzer", slug="wolf-blitzer")
    url = reverse("admin:articles_quote_change", args=[quote.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(speaker=someone.pk, article=article.pk, block=quote.block_id)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote.refresh_from_db()
    assert quote.speaker == someone
    assert (quote.confidence, quote.needs_review, quote.review_note) == (None, False, "")


# --- Speakers as people, organisations and unnamed sources ----------------------------------------

KINDS_STORY = """Storm closes roads

Organizer Jane Roe said the march would wait. “We will walk next week,” Roe said.

“Crews are out all night,” the Northfield Police Department said in a statement.

“Stay home,” a city official told reporters.
"""


def test_import_keeps_people_organisations_and_unnamed_sources_apart(tmp_path):
    path = tmp_path / "storm.txt"
    path.write_text(KINDS_STORY, encoding="utf-8")
    run(str(path))
    kinds = {s.name: (s.kind, s.title, s.is_anonymous) for s in Speaker.objects.all()}
    assert kinds == {
        "Jane Roe": (Speaker.Kind.PERSON, "Organizer", False),
        "Northfield Police Department": (Speaker.Kind.ORGANISATION, "", False),
        "a city official": (Speaker.Kind.ANONYMOUS, "", True),
    }


def test_a_speaker_marked_anonymous_is_of_the_anonymous_kind_and_back():
    marked = SpeakerFactory(name="a nurse", is_anonymous=True)
    assert marked.kind == Speaker.Kind.ANONYMOUS
    kind_only = SpeakerFactory(name="an aide", kind=Speaker.Kind.ANONYMOUS)
    assert kind_only.is_anonymous
    kind_only.is_anonymous = False
    kind_only.kind = Speaker.Kind.PERSON
    kind_only.save(update_fields=["is_anonymous"])
    kind_only.refresh_from_db()
    assert (kind_only.kind, kind_only.is_anonymous) == (Speaker.Kind.PERSON, False)
