"""How much one story may hold, checked on every way in (API, admin, importer) before the text is worked on.

The numbers fit the longest features a newsroom runs (a 30,000-word long read is about 200,000
characters in a few hundred paragraphs) and keep validating and saving any story well under a second:
the HTML sanitizer's work grows faster than the text it is given, and every block and quote is a row.
README.md lists them; the OpenAPI schema states them as maxItems and maxLength.
"""

import html

from .markup import MAX_INLINE_LENGTH, TextTooLong, sanitize_inline

MAX_BLOCKS = 500
MAX_QUOTES = 200
MAX_BYLINES = 30
MAX_TAGS = 30
# One paragraph or heading, both as typed and as stored (escaping makes markup longer than the text).
MAX_BLOCK_TEXT = MAX_INLINE_LENGTH
# All paragraphs and headings of a story together, as typed.
MAX_BODY_TEXT = 200_000


def too_many(what, count, limit):
    """Return the message refusing `count` items where at most `limit` are allowed."""
    return f"A story can have at most {limit:,} {what}; this one has {count:,}."


def body_too_long(length):
    return (
        f"A story's paragraphs and headings can hold at most {MAX_BODY_TEXT:,} characters together; "
        f"these have {length:,}."
    )


def stored_text(markup):
    """Return paragraph markup sanitized for storage, or raise TextTooLong if typed or stored it is too long.

    The typed length is checked first, so over-long input never reaches the sanitizer; the stored length
    after it, since escaping can make the markup several times longer ("&" is stored as "&amp;").
    """
    markup = markup or ""
    _check_typed(markup)
    stored = sanitize_inline(markup)
    _check_stored(stored)
    return stored


def escaped_text(plain):
    """Return plain text (an imported line) as it will be stored, or raise TextTooLong like stored_text."""
    _check_typed(plain)
    escaped = html.escape(plain, quote=False)
    _check_stored(escaped)
    return stored_text(escaped)


def _check_typed(text):
    if len(text) > MAX_BLOCK_TEXT:
        raise TextTooLong(
            f"Ensure this text has at most {MAX_BLOCK_TEXT:,} characters (it has {len(text):,})."
        )


def _check_stored(markup):
    if len(markup) > MAX_BLOCK_TEXT:
        raise TextTooLong(
            f"Stored, this text has {len(markup):,} characters (each &, < and > is kept as an entity such as "
            f"&amp;); a paragraph can hold at most {MAX_BLOCK_TEXT:,}."
        )
