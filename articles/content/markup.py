"""Text helpers shared by the models, the seed and the importer."""

import html
import re

import nh3

# Paragraphs carry only light inline markup; anything else (script, style, iframes, event
# handlers, javascript: URLs) is removed rather than escaped so it can never reach a page.
INLINE_TAGS = {"a", "em", "strong", "i", "b", "br"}
INLINE_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# nh3 (html5ever underneath) does work quadratic in the number of character references such as
# "&" or "&#": 400,000 of them take over a second, a 5 MB body several minutes. A paragraph is a few
# hundred characters, so what editors may type is capped far below where that matters; forms and
# serializers refuse longer text through the model field's max_length.
MAX_INLINE_LENGTH = 20_000
# Sanitized markup is fed back in (re-saves, plain-text extraction) and can be longer than what was
# typed: escaping turns one character into up to six ("\xa0" into "&nbsp;").
MAX_MARKUP_LENGTH = 6 * MAX_INLINE_LENGTH


class TextTooLong(ValueError):
    pass


def _bounded(markup):
    markup = markup or ""
    if len(markup) > MAX_MARKUP_LENGTH:
        raise TextTooLong(f"Inline text is limited to {MAX_INLINE_LENGTH} characters.")
    return markup


def sanitize_inline(markup):
    return nh3.clean(
        _bounded(markup),
        tags=INLINE_TAGS,
        attributes=INLINE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def strip_tags(markup):
    """Plain text of sanitized inline HTML, for search, feeds and quote matching."""
    return html.unescape(nh3.clean(_bounded(markup), tags=set())).strip()


# [^<>] rather than [^>]: on a run of "<" the latter rescans to the end from every "<" (quadratic).
_TAG = re.compile(r"(<[^<>]*>)")


def _as_serialized_text(text):
    # How nh3 writes a text node, so a quote can be found in sanitized markup.
    return text.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")


def mark_quotes(markup, quotes):
    """Wrap each quote's first appearance in sanitized markup in <q id="quote-N">.

    Only text between tags is searched, so a quote never lands inside an attribute; a quote that
    spans markup (half in <em>) is left unmarked rather than producing broken nesting.
    """
    for quote in quotes:
        needle = _as_serialized_text(quote.text)
        parts = _TAG.split(markup)
        for i in range(0, len(parts), 2):  # split() puts the text between tags at even indexes
            at = parts[i].find(needle) if needle else -1
            if at >= 0:
                parts[i] = (
                    f'{parts[i][:at]}<q id="quote-{quote.pk}">{needle}</q>{parts[i][at + len(needle) :]}'
                )
                break
        markup = "".join(parts)
    return markup
