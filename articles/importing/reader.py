"""The reader: a raw story to paragraphs, quotes and speakers."""

from __future__ import annotations

import bisect
import re

from ..content import limits
from ..content.markup import TextTooLong
from .cast import _Cast
from .decoding import check_text
from .events import cited, introduced_by_verb, speech_events
from .furniture import KICKER_LABELS, credits_from, embed_from, is_chrome
from .mentions import _Event, _introductions, _tokens
from .quotes import looks_like_title, quote_kind, quote_style, scan_quotes
from .results import (
    ATTRIBUTION_REACH,
    HEADLINE_MAX,
    KICKER_MAX,
    PARTIAL,
    ParsedBlock,
    ParsedQuote,
    ParsedStory,
    UnreadableInput,
)
from .subjects import introductions
from .words import ADVERBS, CAPTION_CUES, CAPTION_VERBS, NOT_NAMES, OPENERS

# Words that start a new clause with its own subject between a quote and a later speech verb.
CLAUSE_BREAKS = frozenset(("while", "whereas", "whilst", ";"))


def _reports_more(tokens, verb):
    """Whether a speech verb goes on to report something of its own: "said a badge was used"."""
    k = verb + 1
    while k < len(tokens) and tokens[k].lower in ("on", "in", "at", "yesterday", "today", "later", "also"):
        k += 1  # "said on Monday", "said in a statement" alone report nothing
    return k < len(tokens) and tokens[k].text[:1].isalpha() and tokens[k].text[:1].islower()


def _opens_sentence(tokens, at):
    return at == 0 or tokens[at - 1].sentence != tokens[at].sentence or tokens[at - 1].text in ".!?"


def _attribute(quotes, tokens, events, titles=frozenset(), subjects=()):
    """Give each quote of one paragraph the speech event of its own sentence, nearest first; a quote
    whose sentence has none takes the nearest speech event before it in the paragraph."""
    events = [e for e in events if e.speaker is not None]
    positions = [e.verb_index for e in events]
    quotes_before = [0]  # quote tokens before each index, to see whether a quote stands between
    for token in tokens:
        quotes_before.append(quotes_before[-1] + (token.quote is not None))
    quote_tokens = {t.quote: i for i, t in enumerate(tokens) if t.quote is not None}
    for number, quote in enumerate(quotes):
        if id(quote) in titles:
            continue
        at = quote_tokens[number]
        sentence = tokens[at].sentence
        best, best_distance = None, None
        # Only speech verbs near the quote can be its attribution; the window keeps long paragraphs linear.
        low, high = (
            bisect.bisect_left(positions, at - ATTRIBUTION_REACH),
            bisect.bisect_right(positions, at + ATTRIBUTION_REACH),
        )
        for event in events[low:high]:
            distance = abs(event.verb_index - at)
            # "“…we will win.” Zelensky said." still belongs to the quote right before it.
            tail = 0 < event.verb_index - at <= 8 and all(
                tokens[k].quote is None and tokens[k].text not in ".!?"
                for k in range(at + 1, event.verb_index)
            )
            if not (event.sentence == sentence or tail):
                continue
            if event.sentence != sentence and _reports_more(tokens, event.verb_index):
                continue  # "“…difficult.” Police spokesman Jane Roe said a badge was used": Roe's own news
            first, last = sorted((at, event.verb_index))
            if quotes_before[last] - quotes_before[first + 1] > 0:
                distance += 50  # another quote stands between: a weaker link
            if event.verb_index > at and any(
                t.lower in CLAUSE_BREAKS for t in tokens[at + 1 : event.verb_index]
            ):
                distance += 100  # "… in an “appalling tragedy” while Jane Roe wrote": the next clause's verb
            if best is None or distance < best_distance:
                best, best_distance = event, distance
        if best is not None:
            quote.speaker, quote.verb, quote.occasion = best.speaker, best.verb, best.occasion
            near = best_distance <= 12 and (best.sentence == sentence or best_distance <= 4)
            quote.confidence = best.confidence if near else min(best.confidence, 0.75)
            if best.note:
                quote.notes.append(best.note)
        else:
            # "Roe said the findings matter. “Nobody had looked.”" — a sentence of quotation after a
            # sentence reporting the same person's words.
            earlier = [e for e in events if e.verb_index < at and e.sentence < sentence]
            if not _opens_sentence(tokens, at):
                earlier = []  # a phrase in quotation marks inside the writer's own sentence
            elif not earlier:
                # "Jane Roe, a senator, issued a statement. “We lost.”": the person the paragraph is about.
                earlier = [e for e in subjects if e.verb_index < at]
            if earlier:
                source = earlier[-1]
                quote.speaker, quote.verb, quote.occasion = source.speaker, source.verb, source.occasion
                quote.confidence = min(source.confidence, 0.8)
                if source.note:
                    quote.notes.append(source.note)


def _inherit(quote, source, confidence, note=""):
    quote.speaker, quote.verb, quote.occasion = source.speaker, source.verb, source.occasion
    quote.confidence = min(source.confidence, confidence)
    if note:
        quote.notes.append(note)


# --- Story structure ------------------------------------------------------------------------------


def _paragraph_lines(body):
    """Blank lines separate paragraphs; a block of lines that each end a sentence is one per line."""
    chunks = re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    for chunk in chunks:
        rows = [row.strip() for row in chunk.split("\n") if row.strip()]
        wrapped = len(rows) > 1 and all(row[-1:] not in '.!?”"’:)' for row in rows[:-1])
        lines.extend([" ".join(rows)] if wrapped else rows)
    return lines


def _kicker_and_headline(line):
    label, sep, rest = line.partition(":")
    if (
        sep
        and rest.strip()
        and label.strip().casefold() in KICKER_LABELS
        and len(label.strip()) <= KICKER_MAX
    ):
        return label.strip(), rest.strip()
    return "", line.strip()


def _source_marker(text):
    """ "(CNN) …" or "KYIV, Ukraine (Reuters) -" → (outlet, dateline). The paragraph keeps its words."""
    head = text[:80]
    open_at = head.find("(")
    close_at = head.find(")", open_at + 1)
    if open_at < 0 or close_at < 0:
        return "", ""
    outlet = head[open_at + 1 : close_at].strip()
    words = outlet.split()
    if not words or len(words) > 4 or not all(w[:1].isupper() for w in words):
        return "", ""
    place = head[:open_at].strip().rstrip(",")
    if place and not (place.upper() == place and any(ch.isalpha() for ch in place)):
        return "", ""
    dateline = place.split(",")[0].strip().title() if place else ""
    return outlet, dateline


def _looks_like_caption(text, tokens, events):
    if events or any(t.quote is not None for t in tokens) or len(text.split()) > 40:
        return False
    lowered = text.casefold()
    if any(cue in lowered for cue in CAPTION_CUES):
        return True
    if any(t.sentence for t in tokens) or text[-1:] not in ".":
        return False
    # Captions describe the picture in the present tense: "Soldiers fire a howitzer near Bakhmut."
    words = [t for t in tokens[:8] if t.text[0].isalnum()]
    for i, token in enumerate(words[1:], start=1):
        if token.lower in CAPTION_VERBS:
            before = words[i - 1]
            return before.lower not in NOT_NAMES and before.lower not in ("to", "will", "would", "can")
        if token.lower in NOT_NAMES or token.lower in ADVERBS:
            return False
    return False


def _looks_like_heading(text):
    words = text.split()
    return (
        len(words) <= 10
        and text[:1].isupper()
        and text[-1:] not in '.!?:;,”"’…)'
        and not any(mark in text for mark in '“”"')
    )


def parse(text):
    """Raw story text → ParsedStory. Paragraph text is kept exactly as given."""
    text = check_text(text)
    lines = _paragraph_lines(text)
    if not lines:
        raise UnreadableInput("it has no text.")
    kicker, headline = _kicker_and_headline(lines[0])
    if len(headline) > HEADLINE_MAX:
        raise UnreadableInput(
            f"its first line is {len(headline)} characters long; the first line must be the headline "
            f"(at most {HEADLINE_MAX})."
        )
    story = ParsedStory(headline=headline, kicker=kicker)
    cast = _Cast()
    carried = False  # the previous paragraph ended inside an open quote
    focus = {}  # id(quote) → whom the story was about when its paragraph began
    scan = quote_style("\n".join(lines[1:]))
    for line in lines[1:]:
        if is_chrome(line):
            story.dropped.append(line)
            continue
        _check_size(story, line)
        embed = embed_from(line)
        if embed:
            story.blocks.append(embed)
            carried = False
            continue
        credits = credits_from(line)
        if credits:
            story.credits.extend(credits)
            continue
        if not story.blocks and not story.source_credit:
            story.source_credit, story.dateline = _source_marker(line)
        carried = _read_paragraph(story, cast, line, carried, scan, focus)
    if len(story.quotes) > limits.MAX_QUOTES:
        raise UnreadableInput(
            f"it has {len(story.quotes):,} quotes; a story can have at most {limits.MAX_QUOTES}."
        )
    if not story.paragraphs:
        raise UnreadableInput("it has a headline but no paragraphs of text.")
    _fill_unattributed(story, focus)
    quoted = {id(q.speaker) for q in story.quotes}
    story.speakers = [s for s in cast.speakers if id(s) in quoted]
    return story


def _check_size(story, line):
    """Refuse a story past the limits of articles.content.limits before its next paragraph is read."""
    if len(story.blocks) >= limits.MAX_BLOCKS:
        raise UnreadableInput(
            f"it has over {limits.MAX_BLOCKS} paragraphs; a story can have at most that many."
        )
    typed = sum(len(block.text) for block in story.blocks if block.type != "embed") + len(line)
    if typed > limits.MAX_BODY_TEXT:
        raise UnreadableInput(
            f"its paragraphs hold over {limits.MAX_BODY_TEXT:,} characters, too many for one story."
        )
    try:
        limits.escaped_text(line)
    except TextTooLong as exc:
        raise UnreadableInput(f"paragraph {len(story.blocks) + 1} is too long. {exc}") from exc


UNCLOSED_NOTE = "The closing quotation mark is missing; the quote is taken to end with the paragraph."


def _read_paragraph(story, cast, text, carried, scan=scan_quotes, focus=None):
    """Add one paragraph and its quotes; True when it ends inside a quote left open."""
    spans, stray = scan(text)
    tokens = _tokens(text, spans)
    events = speech_events(tokens)
    paragraph = len(story.blocks)
    focus_before = cast.focus
    # People introduced or named as a subject count for "he"/"she" even before they speak.
    introduced = _introductions(tokens) + introductions(tokens)
    subjects = []  # the people this paragraph's sentences are about, as weak speech events
    for index, item in sorted([(e.verb_index, e) for e in events] + introduced, key=lambda pair: pair[0]):
        if isinstance(item, _Event):
            cast.resolve(item, paragraph)
        else:
            cast.mention(item, paragraph)
            if item.subject and cast.focus is not None:
                subjects.append(
                    _Event(index, "", tokens[index].sentence, item, speaker=cast.focus, confidence=0.6)
                )
    block = ParsedBlock(type="paragraph", text=text)
    if not spans and _looks_like_caption(text, tokens, events):
        block.needs_review = True
        block.review_note = "Looks like a photo caption: add the photo as an image block, or keep it as text."
    elif not spans and len(story.blocks) > 0 and _looks_like_heading(text):
        block.type = "heading"
    if stray:
        block.needs_review = True
        block.review_note = "A quotation mark here has no partner; check where the quote starts and ends."
    story.blocks.append(block)
    quotes = []
    for number, span in enumerate(spans):
        words = text[span.start : span.end]
        quote = ParsedQuote(block=paragraph, text=words, kind=quote_kind(words))
        if not span.opened:
            quote.notes.append("The opening quotation mark is missing; check where the quote starts.")
        if not span.closed:
            quote.notes.append(UNCLOSED_NOTE)
        # A paragraph that opens with a quotation mark after one left open continues that quote.
        quote.continues = number == 0 and carried and span.outer_start == 0
        quotes.append(quote)
        if focus is not None:
            focus[id(quote)] = focus_before
    # A name in quotation marks (a title, a nickname) is not anybody's words.
    positions = {t.quote: i for i, t in enumerate(tokens) if t.quote is not None}
    titles = {
        id(q)
        for n, q in enumerate(quotes)
        if not q.continues
        and (
            cited(tokens, positions[n])
            or looks_like_title(q.text)
            and not introduced_by_verb(tokens, positions[n])
        )
    }
    for quote in quotes:
        if id(quote) in titles:
            quote.kind = PARTIAL
    _attribute(quotes, tokens, events, titles, subjects)
    if focus is not None:
        for quote in quotes:
            if id(quote) in titles:
                focus[id(quote)] = False
    if quotes and quotes[0].continues and story.quotes:
        # Leaving a quote open at the end of a paragraph and reopening it is the house convention for
        # a quote that runs on, not a missing mark.
        story.quotes[-1].notes.remove(UNCLOSED_NOTE)
    story.quotes.extend(quotes)
    return bool(spans) and not spans[-1].closed


def _fill_unattributed(story, focus=None):
    """Quotes with no speech verb of their own take the speaker of the quotes around them; a quote
    standing alone at the start of a paragraph continues whoever the story was about."""
    focus = focus or {}
    quotes_read = [q for q in story.quotes if focus.get(id(q)) is not False]
    by_block = {}
    for quote in quotes_read:
        by_block.setdefault(quote.block, []).append(quote)
    # Chains of paragraphs that continue one quote share the attribution one of them carries.
    chains, chain = [], []
    for quote in quotes_read:
        if quote.continues and chain:
            chain.append(quote)
        else:
            if chain:
                chains.append(chain)
            chain = [quote]
    if chain:
        chains.append(chain)
    for chain in chains:
        if len(chain) == 1:
            continue
        source = next((q for q in chain if q.speaker is not None and not q.continues), None) or next(
            (q for q in chain if q.speaker is not None), None
        )
        for quote in chain:
            if quote.speaker is None and source is not None:
                _inherit(quote, source, 0.85)
    for quotes in by_block.values():
        # Before: the last attributed quote earlier in the paragraph; failing that, the next one.
        after = [None] * len(quotes)
        following = None
        for i in range(len(quotes) - 1, -1, -1):
            after[i] = following
            if quotes[i].speaker is not None:
                following = quotes[i]
        before = None
        for i, quote in enumerate(quotes):
            if quote.speaker is None and before is not None:
                _inherit(quote, before, 0.8)
            elif quote.speaker is None and after[i] is not None:
                _inherit(quote, after[i], 0.7)
            if quote.speaker is not None:
                before = quote
    previous = None
    for quote in quotes_read:
        if quote.speaker is None:
            block = story.blocks[quote.block]
            person = focus.get(id(quote)) or (previous.speaker if previous is not None else None)
            if person is not None and block.text.lstrip()[:1] in OPENERS + '"':
                quote.speaker = person
                if previous is not None and previous.speaker is person:
                    quote.verb, quote.occasion = previous.verb, previous.occasion
                    quote.confidence = min(previous.confidence, 0.7)
                    quote.notes.append("Taken to be the last speaker quoted before it.")
                else:
                    quote.confidence = 0.6
                    quote.notes.append("Taken to be the person the story was about before it.")
        if quote.speaker is not None:
            previous = quote
