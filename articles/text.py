"""Text helpers shared by the models, the seed and the importer."""

import html

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
