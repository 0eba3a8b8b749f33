"""Read a raw news story the way a sub-editor does: headline, paragraphs, quotes and who said them.

Plain Python with no database: `parse(text)` returns dataclasses, and
`articles.services.imports.article_import` saves them. `import_story`, the admin's import page and the
desk's quote proposals all read through here.

Import direction inside the package: words → results → quotes → mentions → cast → reader → report;
decoding and furniture stand beside them. Every pattern either is a literal, a character class with one
quantifier, or walks tokens in Python with a bounded window, so hostile input costs linear time.
"""

from .decoding import check_text, decode
from .furniture import credits_from, embed_from, is_chrome
from .quotes import quote_kind, quote_style, scan_quotes, scan_single_quotes
from .reader import parse
from .report import summary
from .results import (
    ANONYMOUS,
    ATTRIBUTION_REACH,
    FULL,
    HEADLINE_MAX,
    KICKER_MAX,
    MAX_BYTES,
    ORGANISATION,
    PARTIAL,
    PERSON,
    REVIEW_BELOW,
    Credit,
    ParsedBlock,
    ParsedQuote,
    ParsedStory,
    SpeakerRef,
    UnreadableInput,
)

__all__ = [
    "ANONYMOUS",
    "ATTRIBUTION_REACH",
    "FULL",
    "HEADLINE_MAX",
    "KICKER_MAX",
    "MAX_BYTES",
    "ORGANISATION",
    "PARTIAL",
    "PERSON",
    "REVIEW_BELOW",
    "Credit",
    "ParsedBlock",
    "ParsedQuote",
    "ParsedStory",
    "SpeakerRef",
    "UnreadableInput",
    "check_text",
    "credits_from",
    "decode",
    "embed_from",
    "is_chrome",
    "parse",
    "quote_kind",
    "quote_style",
    "scan_quotes",
    "scan_single_quotes",
    "summary",
]
