import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.content.markup import strip_tags
from articles.models import Article, Block, Byline, Image, Quote, Speaker
from articles.services.seeding import INTERVIEW
from contributors.models import Contributor
from tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db

RAW = (INTERVIEW.parent / "interview.txt").read_text(encoding="utf-8")
RAW_PARAGRAPHS = [p.strip() for p in RAW.split("\n\n") if p.strip()]
CHROME = {"Rate this post", "Leave a Comment"}


def seed(*args):
    out = StringIO()
    call_command("seed_interview", *args, stdout=out)
    return out.getvalue()


def test_seeded_story_is_published_with_headline_kicker_and_source():
    seed()
    article = Article.objects.get()
    assert article.is_public()
    assert article.kicker == "Exclusive"
    assert article.headline == RAW_PARAGRAPHS[0].removeprefix("Exclusive: ")
    assert article.source_credit == "CNN"
    assert article.version == 1


def test_every_paragraph_is_kept_in_order_word_for_word_without_page_chrome():
    seed()
    article = Article.objects.get()
    texts = [
        strip_tags(b.text) for b in article.blocks.order_by("position") if b.type == Block.Type.PARAGRAPH
    ]
    expected = [
        p
        for p in RAW_PARAGRAPHS[1:]
        if p not in CHROME
        and not p.startswith(("View this interactive", "Ukrainian soldiers fire"))
        and not p.endswith("contributed reporting.")
    ]
    assert texts == expected
    body_text = " ".join(texts)
    for chrome in CHROME:
        assert chrome not in body_text


def test_quotes_are_attributed_to_the_right_speakers_with_titles():
    seed()
    by_speaker = {}
    for quote in Quote.objects.select_related("speaker", "block"):
        assert quote.text in strip_tags(quote.block.text)
        by_speaker.setdefault(quote.speaker.name, []).append(quote)
    assert Speaker.objects.get(name="Volodymyr Zelensky").title == "President of Ukraine"
    assert Speaker.objects.get(name="Irina Vereshchuk").title == "Deputy Prime Minister of Ukraine"
    assert any(q.text.startswith("It achieved its goals") for q in by_speaker["Mykhailo Podolić"])
    assert [q.text for q in by_speaker["Timofey Mykolayovich Shadura"]] == [
        "Slava Ukraini (Victory to Ukraine)"
    ]
    assert any(q.text.startswith("We have special evacuation teams") for q in by_speaker["Irina Vereshchuk"])
    assert Quote.objects.get(text="open road").kind == Quote.Kind.PARTIAL
    assert Quote.objects.get(text="It’s strategic for us,").speaker.name == "Volodymyr Zelensky"


def test_bylines_credit_reporters_and_interviewer_but_never_the_interviewee():
    seed()
    bylines = list(Byline.objects.order_by("position").values_list("contributor__name", "role"))
    assert ("Wolf Blitzer", "interviewer") in bylines
    for name in ("Tim Lister", "Olga Voitovich", "Vasko Kotovio"):
        assert (name, "contributing_reporter") in bylines
    assert not Contributor.objects.filter(name__icontains="Zelensky").exists()


def test_photo_and_interactive_content_become_their_own_blocks():
    seed()
    image_block = Block.objects.get(type=Block.Type.IMAGE)
    assert image_block.image.caption.startswith("Ukrainian soldiers fire a self-propelled howitzer")
    assert "Placeholder" in image_block.image.credit
    assert image_block.image.width == 1600 and image_block.image.file.size > 0
    embed_block = Block.objects.get(type=Block.Type.EMBED)
    assert embed_block.embed.fallback_text == "View this interactive content on CNN.com"


def test_reseeding_changes_and_duplicates_nothing():
    seed()
    article = Article.objects.get()
    counts = [m.objects.count() for m in (Article, Block, Quote, Speaker, Byline, Contributor, Image)]
    output = seed()
    assert "left alone: story" in output
    assert [m.objects.count() for m in (Article, Block, Quote, Speaker, Byline, Contributor, Image)] == counts
    assert Article.objects.get().updated_at == article.updated_at


def test_reset_reloads_the_story():
    seed()
    Article.objects.update(headline="Edited by mistake")
    output = seed("--reset")
    assert "created: story" in output
    assert Article.objects.get().headline.startswith("Zelensky warns")
    assert Image.objects.count() == 1


def test_reset_keeps_the_story_id_address_and_publication_date(client):
    seed()
    first = Article.objects.get()
    Article.objects.update(headline="Edited by mistake")
    seed("--reset")
    again = Article.objects.get()
    assert (again.pk, again.slug, again.get_absolute_url()) == (
        first.pk,
        first.slug,
        first.get_absolute_url(),
    )
    assert again.headline.startswith("Zelensky warns")
    assert again.first_published_at == again.go_live_at == first.first_published_at
    assert again.version > first.version  # a new public version, so nothing cached as the old one is served
    assert client.get(f"/api/v1/articles/{first.slug}/").json()["headline"] == again.headline


def test_the_seeded_interview_carries_the_day_it_was_published_and_stays_below_newer_stories(client):
    newer = PublishedArticleFactory()
    seed()
    article = Article.objects.get(slug=json.loads(INTERVIEW.read_text(encoding="utf-8"))["article"]["slug"])
    # CNN published the interview on Tuesday 7 March 2023 (the day Vereshchuk spoke, per its text).
    assert article.first_published_at == article.go_live_at == datetime(2023, 3, 7, 12, tzinfo=UTC)
    seed("--reset")
    slugs = [story["slug"] for story in client.get("/api/v1/articles/").json()["results"]]
    assert slugs == [newer.slug, article.slug]


def test_a_seed_file_with_a_bad_publication_date_is_refused(tmp_path):
    data = json.loads(INTERVIEW.read_text(encoding="utf-8"))
    bad = tmp_path / "bad.json"
    for value in ("7 March 2023", "2023-03-07T12:00:00", "2999-01-01T00:00:00Z"):
        data["article"]["first_published_at"] = value
        bad.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(CommandError, match="first_published_at"):
            seed("--file", str(bad))
    assert not Article.objects.exists()


def test_a_seed_file_that_fails_validation_writes_nothing(tmp_path):
    data = json.loads(INTERVIEW.read_text(encoding="utf-8"))
    data["body"][-1]["quotes"] = [{"text": "words nobody printed", "speaker": "zelensky"}]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="does not appear in its paragraph"):
        seed("--file", str(bad))
    assert not Article.objects.exists() and not Speaker.objects.exists()


def test_an_unreadable_seed_file_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_bytes(b"\xff\xfe not json")
    with pytest.raises(CommandError, match="broken.json"):
        seed("--file", str(bad))
