"""Saving a story read from raw text (by `articles.importing.parse`) as a draft for an editor to review."""

import html
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from reversion import create_revision

from contributors.models import Contributor

from ..models import Article, Block, Byline, Embed, Quote, Speaker
from .recording import actor, add_revision
from .slugs import article_slug, unique_slug
from .speakers import AMBIGUOUS, speakers_match


@dataclass
class ImportResult:
    article: Article | None
    speaker_status: dict = field(default_factory=dict)  # SpeakerRef.key → what happened to that speaker
    uncredited: list = field(default_factory=list)  # credit-line names the importer could not add


def article_import(*, story, by=None, speakers=None):
    """Save a story read by `articles.importing.parse` as a draft for review, in one transaction.

    Paragraph text is stored exactly as read (escaped, so it shows as typed). Quotes keep the
    importer's confidence; the unsure ones carry `needs_review` and a note for the editor. Speakers
    are matched among `speakers` (all of them by default) and added where none matches.
    """
    with transaction.atomic(), create_revision():
        matches = speakers_match(story.speakers, among=speakers)
        result = ImportResult(
            article=None, speaker_status={key: status for key, (_, status) in matches.items()}
        )
        found = _speakers_for(story, matches)
        result.article = article = _draft_for(story, by)
        blocks = _save_blocks(article, story)
        _save_quotes(article, story, blocks, found, result.speaker_status)
        result.uncredited = _save_bylines(article, story, by)
        add_revision(article, by=by, comment="Imported from raw text")
    return result


def _speakers_for(story, matches):
    """Return {SpeakerRef.key: Speaker} for the story's speakers, adding those `matches` did not find."""
    found, taken = {}, set()
    for ref in story.speakers:
        speaker, _ = matches[ref.key]
        if speaker is None:
            slug = unique_slug(Speaker, ref.name, taken)
            taken.add(slug)
            speaker = Speaker.objects.create(
                name=ref.name[:200],
                slug=slug,
                title=ref.title[:200],
                is_anonymous=ref.is_anonymous,
                kind=ref.kind,
            )
        found[ref.key] = speaker
    return found


def _draft_for(story, by):
    """Create the draft story with the headline, kicker, credit and dateline that were read."""
    return Article.objects.create(
        headline=story.headline,
        slug=article_slug(story.headline),
        kicker=story.kicker,
        source_credit=story.source_credit[:100],
        dateline=story.dateline[:100],
        status=Article.Status.DRAFT,
        created_by=actor(by),
    )


def _save_blocks(article, story):
    """Create the story's body blocks in the order read, and return them."""
    blocks = []
    for position, parsed in enumerate(story.blocks):
        block = Block(
            article=article,
            position=position,
            type=parsed.type,
            needs_review=parsed.needs_review,
            review_note=parsed.review_note,
        )
        if parsed.type == Block.Type.EMBED:
            block.embed = Embed.objects.create(
                url=parsed.embed_url,
                provider=parsed.embed_provider[:100],
                title="Interactive content",
                fallback_text=parsed.text[:500],
            )
        else:
            block.text = html.escape(parsed.text, quote=False)
        block.save()
        blocks.append(block)
    return blocks


def _save_quotes(article, story, blocks, speakers, speaker_status):
    """Create the quotes read, each in its block; a speaker matched only ambiguously flags its quotes."""
    quotes = []
    for position, parsed in enumerate(story.quotes):
        needs_review, note = parsed.needs_review, parsed.review_note
        status = speaker_status[parsed.speaker.key] if parsed.speaker else ""
        if status.startswith(AMBIGUOUS):
            needs_review, note = True, f"{note} Speaker {status}.".strip()[:300]
        quotes.append(
            Quote(
                article=article,
                block=blocks[parsed.block],
                speaker=speakers[parsed.speaker.key] if parsed.speaker else None,
                text=parsed.text,
                kind=parsed.kind,
                verb=parsed.verb[:50],
                occasion=parsed.occasion[:200],
                position=position,
                confidence=round(parsed.confidence, 2),
                needs_review=needs_review,
                review_note=note,
            )
        )
    Quote.objects.bulk_create(quotes)


def _save_bylines(article, story, by):
    """Credit the journalists the story names; return the names `by` may not add as new contributors."""
    may_add_people = by is None or by.has_perm("contributors.add_contributor")
    uncredited, credited = [], set()
    for credit in story.credits:
        contributor = Contributor.objects.filter(slug=slugify(credit.name)).first()
        if contributor is None and not may_add_people:
            uncredited.append(credit.name)
            continue
        if contributor is None:
            contributor = Contributor.objects.create(
                name=credit.name[:200],
                slug=unique_slug(Contributor, credit.name),
                organisation=credit.organisation[:200],
            )
        # A credit line may name one person twice in one role; they get one byline.
        if (contributor.pk, credit.role) in credited:
            continue
        Byline.objects.create(
            article=article, contributor=contributor, role=credit.role, position=len(credited)
        )
        credited.add((contributor.pk, credit.role))
    return uncredited
