"""Quotes on the story page: proposed from a paragraph by the importer's reader, then judged by a person.

A proposal is an ordinary Quote flagged for review, so an unjudged one holds back publication exactly as an
imported one does. Proposals are made only for paragraphs whose text was just written or changed, so a
quote the editor dropped does not come back until its paragraph is edited again.
"""

from django.db import transaction
from django.db.models import Max

from articles.content import limits
from articles.content.markup import strip_tags
from articles.importing import REVIEW_BELOW, SpeakerRef, UnreadableInput, parse
from articles.models import Block, Quote
from articles.services.editing import article_record_edit
from articles.services.errors import WorkflowError
from articles.services.reviewing import quotes_accept
from articles.services.speakers import AMBIGUOUS, speaker_get_or_create, speakers_match


def _story_text(article, blocks):
    # The reader takes a headline line, then one paragraph per blank-line-separated chunk.
    lines = [article.headline or "Untitled"]
    lines += [" ".join(strip_tags(block.text).split()) for block in blocks]
    return "\n\n".join(lines)


STRAYED = "Its words are no longer in the paragraph: edit the quote or drop it."


def quotes_flag_strayed(*, changed):
    """Flag the quotes whose words left the paragraphs just rewritten; return how many."""
    strayed = [
        quote.pk
        for block in changed
        for quote in block.quotes_in.all()
        if quote.text not in strip_tags(block.text)
    ]
    return Quote.objects.filter(pk__in=strayed).update(needs_review=True, review_note=STRAYED)


def _is_sure(parsed):
    return parsed.speaker is not None and not parsed.notes and parsed.confidence >= REVIEW_BELOW


def quotes_propose(*, article, changed, speakers=None):
    """Propose the quotes the reader finds in the paragraphs `changed`; return the new Quote rows.

    The whole body is read, as import_story reads a story, so "he" and surnames resolve against the
    people named in earlier paragraphs. Quotes already recorded with the same words are left alone.
    """
    changed_ids = {block.pk for block in changed if block.type == Block.Type.PARAGRAPH}
    if not changed_ids:
        return []
    blocks = list(article.blocks.filter(type__in=Block.TEXT_TYPES).order_by("position"))
    try:
        story = parse(_story_text(article, blocks))
    except UnreadableInput:
        return []
    # The reader drops page chrome and credit lines, so its blocks are matched back by their text.
    by_text = {}
    for block in blocks:
        by_text.setdefault(" ".join(strip_tags(block.text).split()), []).append(block)
    read_as = [by_text.get(" ".join(parsed.text.split()), [None])[0] for parsed in story.blocks]

    existing = {(q.block_id, q.text) for q in article.quotes.all()}
    matches = speakers_match(story.speakers, among=speakers)
    position = (article.quotes.aggregate(last=Max("position"))["last"] or 0) + 1
    proposed = []
    with transaction.atomic():
        speakers_found = {}
        for parsed in story.quotes:
            block = read_as[parsed.block] if parsed.block < len(read_as) else None
            if block is None or block.pk not in changed_ids or (block.pk, parsed.text) in existing:
                continue
            speaker, note = None, parsed.review_note
            if parsed.speaker is not None:
                key = parsed.speaker.key
                if key not in speakers_found:
                    speakers_found[key] = speaker_get_or_create(ref=parsed.speaker, among=speakers)
                speaker = speakers_found[key]
                status = matches.get(key, (None, ""))[1]
                if status.startswith(AMBIGUOUS):
                    note = f"{note} Speaker {status}.".strip()
            sure = _is_sure(parsed) and not note
            proposed.append(
                Quote(
                    article=article,
                    block=block,
                    speaker=speaker,
                    text=parsed.text[:5_000],
                    kind=parsed.kind,
                    verb=parsed.verb[:50],
                    occasion=parsed.occasion[:200],
                    position=position + len(proposed),
                    confidence=round(parsed.confidence, 2),
                    needs_review=True,
                    review_note=(f"Proposed from the text ({parsed.confidence:.0%} sure)." if sure else note)[
                        :300
                    ],
                )
            )
        # A story holds at most MAX_QUOTES quotes, however they arrive.
        room = max(0, limits.MAX_QUOTES - len(existing))
        proposed = proposed[:room]
        Quote.objects.bulk_create(proposed)
    return proposed


def is_unsure(quote):
    """A proposal the reader itself doubts: no speaker, low confidence, or a note about the marks."""
    if not quote.needs_review:
        return False
    return (
        quote.speaker_id is None
        or (quote.confidence or 0) < REVIEW_BELOW
        or not (quote.review_note.startswith("Proposed from the text"))
    )


def judged(quotes):
    """Pair each quote with whether the reader doubted it, for the quote panel."""
    return [(quote, is_unsure(quote)) for quote in quotes]


def quote_confirm(*, quote, by):
    """Accept the attribution as it stands, held to the review gate like every other acceptance."""
    quotes_accept(quotes=Quote.objects.filter(pk=quote.pk), by=by)
    article_record_edit(article=quote.article, by=by)


def quote_reassign(*, quote, by, name, speakers=None):
    """Attribute the quote to the speaker called `name`, matched as the importer matches among
    `speakers` (those `by` may reach), or a new one."""
    ref = SpeakerRef(key="typed", name=" ".join(name.split())[:200])
    quote.attribute(speaker_get_or_create(ref=ref, among=speakers))
    quote.save()
    article_record_edit(article=quote.article, by=by)


def quote_drop(*, quote, by):
    """Delete the quote; its words stay in the paragraph. Refused while a quote block shows it."""
    if quote.displayed_in.exists():
        raise WorkflowError("This quote is shown as a quote block: remove that block first.")
    article = quote.article
    quote.delete()
    article_record_edit(article=article, by=by)


def quote_make(*, block, by, words):
    """Record the selected `words` of a paragraph as a quote, for the editor to attribute."""
    words = words.strip().strip("“”\"‘’'«»„").strip()
    if not words:
        raise WorkflowError("Select the quoted words first.")
    if words not in strip_tags(block.text):
        raise WorkflowError("Those words are not in the saved paragraph: save the story first.")
    article = block.article
    if (count := article.quotes.count()) >= limits.MAX_QUOTES:
        raise WorkflowError(limits.too_many("quotes", count + 1, limits.MAX_QUOTES))
    last = article.quotes.aggregate(last=Max("position"))["last"]
    quote = Quote.objects.create(
        article=article,
        block=block,
        text=words,
        kind=Quote.Kind.FULL,
        position=0 if last is None else last + 1,
        needs_review=True,
        review_note="Marked by hand: choose who said it.",
    )
    article_record_edit(article=article, by=by)
    return quote
