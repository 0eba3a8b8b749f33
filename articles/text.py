"""Text helpers shared by the models, the seed and the importer."""

import html
import re

import nh3

# Paragraphs carry only light inline markup; anything else (script, style, iframes, event
# handlers, javascript: URLs) is removed rather than escaped so it can never reach a page.
INLINE_TAGS = {"a", "em", "strong", "i", "b", "br"}
INLINE_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_inline(markup):
    return nh3.clean(
        markup or "",
        tags=INLINE_TAGS,
        attributes=INLINE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def strip_tags(markup):
    """Plain text of sanitized inline HTML, for search, feeds and quote matching."""
    return html.unescape(nh3.clean(markup or "", tags=set())).strip()


_TAG = re.compile(r"(<[^>]*>)")


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
