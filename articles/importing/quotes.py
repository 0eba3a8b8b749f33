"""Finding quotations: double or single marks, recovering from missing or misturned ones."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .results import FULL, PARTIAL
from .words import CLOSERS, OPENERS, TERMINALS, TOKEN


@dataclass
class _Span:
    start: int  # the quoted words, marks excluded
    end: int
    outer_start: int  # the words with their marks
    outer_end: int
    opened: bool = True
    closed: bool = True


def _trimmed(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _closes_here(text, i):
    """An opening mark used where a closing one belongs: `victories “` at the end of a paragraph."""
    after = text[i + 1 : i + 2]
    if not after or after in ",.;:!?)":
        return True
    if not after.isspace():
        return False
    # `win“ he` or `win “ he said`: words go on after the mark in lower case, as after a closing one.
    return not text[i - 1 : i].isspace() or text[i + 1 : i + 40].lstrip()[:1].islower()


def scan_quotes(text):
    """The double-quoted spans of one paragraph, recovering from missing or misturned marks.

    Single quotes are left alone here: inside double quotes they are a quotation within the quotation.
    Stories quoted in single marks throughout go to `scan_single_quotes` instead.
    """
    spans, stray = [], []
    open_at = None
    last_close = 0

    def add(start, end, outer_start, outer_end, opened=True, closed=True):
        start, end = _trimmed(text, start, end)
        if start < end:
            spans.append(_Span(start, end, outer_start, outer_end, opened, closed))

    for i, ch in enumerate(text):
        opener = ch in OPENERS or (ch == '"' and open_at is None)
        closer = ch in CLOSERS or (ch == '"' and open_at is not None)
        if opener and open_at is not None:
            if _closes_here(text, i):
                add(open_at + 1, i, open_at, i + 1)
                open_at, last_close = None, i + 1
            else:
                # A new quotation opens while one is still open: the earlier one lost its closing mark.
                add(open_at + 1, i, open_at, i, closed=False)
                open_at = i
        elif opener:
            open_at = i
        elif closer and open_at is not None:
            add(open_at + 1, i, open_at, i + 1)
            open_at, last_close = None, i + 1
        elif closer:
            # A closing mark with no opening one: the words since the last quote (or the paragraph's
            # start) are the quote if there are enough of them to be speech.
            if len(text[last_close:i].split()) >= 4:
                add(last_close, i, last_close, i + 1, opened=False)
            else:
                stray.append(i)
            last_close = i + 1
    if open_at is not None:
        add(open_at + 1, len(text), open_at, len(text), closed=False)
    return spans, stray


_SINGLE_OPEN_AFTER = frozenset('([{—–-"“')
_SINGLE_CLOSE_BEFORE = frozenset(',.;:!?)]—–-"”')


def _single_closes(text, i):
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    return (
        bool(before)
        and not before.isspace()
        and (not after or after.isspace() or after in _SINGLE_CLOSE_BEFORE)
    )


def _single_opens(text, i):
    if text[i] == "‘":
        return True
    before = text[i - 1 : i]
    return (not before or before.isspace() or before in _SINGLE_OPEN_AFTER) and text[i + 1 : i + 2].isalnum()


def scan_single_quotes(text):
    """The spans of a story quoted in single marks (‘…’ or '…', British style), apart from apostrophes."""
    openers = [i for i, ch in enumerate(text) if ch in "‘'" and _single_opens(text, i)]
    closers = [i for i, ch in enumerate(text) if ch in "’'" and _single_closes(text, i)]
    spans = []
    open_at = None
    opener_set, closer_set = set(openers), set(closers)
    for i in sorted(opener_set | closer_set):
        if open_at is None:
            if i in opener_set:
                open_at = i
            continue
        if i not in closer_set:
            continue
        # "the soldiers’ families deserve better,’": after a plural, an apostrophe if the quote closes later.
        later = bisect.bisect_right(closers, i) < len(closers)
        next_open = bisect.bisect_right(openers, i)
        closes_first = next_open >= len(openers) or (
            later and closers[bisect.bisect_right(closers, i)] < openers[next_open]
        )
        if text[i - 1] in "sS" and text[i + 1 : i + 3][1:].islower() and later and closes_first:
            continue
        start, end = _trimmed(text, open_at + 1, i)
        if start < end:
            spans.append(_Span(start, end, open_at, i + 1))
        open_at = None
    if open_at is not None:
        start, end = _trimmed(text, open_at + 1, len(text))
        if start < end:
            spans.append(_Span(start, end, open_at, len(text), closed=False))
    return spans, []


def quote_style(body):
    """Which marks open the story's quotations: double (“…”, the usual) or single (‘…’, British)."""
    doubles = singles = 0
    for i, ch in enumerate(body):
        if ch in OPENERS or (ch == '"' and (i == 0 or body[i - 1].isspace())):
            doubles += 1
        elif ch in "‘'" and _single_opens(body, i):
            singles += 1
    return scan_single_quotes if singles > doubles else scan_quotes


def quote_kind(words):
    """Full quote, or a partial/scare quote: a fragment that is not a sentence of its own."""
    stripped = words.lstrip("…. ([")
    if not stripped:
        return PARTIAL
    tokens = TOKEN.findall(stripped)
    inner_sentence = any(
        tokens[i] in TERMINALS and tokens[i + 1][:1].isupper() for i in range(len(tokens) - 1)
    )
    if not stripped[0].isupper() and not stripped[0].isdigit():
        return FULL if inner_sentence else PARTIAL
    word_count = sum(1 for t in tokens if t[0].isalnum())
    ends_like_speech = words.rstrip()[-1:] in ".,!?…—–:;"
    return FULL if ends_like_speech or inner_sentence or word_count >= 4 else PARTIAL


_TITLE_SMALL = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "or",
        "nor",
        "but",
        "vs",
        "vs.",
        "as",
    ]
)


def looks_like_title(words):
    """A name in quotation marks rather than words spoken: “The Long Walk Home”, “Hope”, “Insurgency Wiki”.

    Every word capitalised but the small ones, no sentence inside, and no "!" or "?" a person would end on.
    """
    text = words.strip().rstrip(",.").strip()
    if not text or text[-1:] in "!?…" or len(text.split()) > 10:
        return False
    tokens = [t for t in TOKEN.findall(text) if t[0].isalnum()]
    if not tokens or any(t in TERMINALS for t in TOKEN.findall(text)):
        return False
    if len(tokens) == 1 and words.strip()[-1:] == ".":
        return False
    if tokens[0].lower() in ("i", "we", "you", "it", "he", "she", "they", "this", "that", "there"):
        return False  # "It Works" reads as a title, "It works" as speech; both start like speech
    return all(t[0].isupper() or t[0].isdigit() or t.lower() in _TITLE_SMALL for t in tokens)
