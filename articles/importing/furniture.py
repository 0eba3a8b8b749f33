"""Page furniture around a story: chrome to drop, embeds, kicker labels and credit lines."""

from __future__ import annotations

import re

from .results import Credit, ParsedBlock
from .words import NAME_PARTICLES, _phrases

# Whole lines that belong to the page a story was copied from, not to the story. Compared casefolded,
# without trailing punctuation.
CHROME_LINES = _phrases(
    """
    rate this post|rate this article|rate this story|leave a comment|leave a reply|post a comment|
    add a comment|comments|show comments|view comments|join the conversation|share|share this|
    share this article|share this story|share on facebook|share on twitter|share on x|share on whatsapp|
    share via email|tweet|email|print|copy link|link copied|advertisement|sponsored|sponsored content|
    read more|continue reading|story continues below|story continues below advertisement|
    article continues below|article continues below this ad|skip advertisement|skip ad|
    skip to main content|related|related articles|related stories|recommended|recommended stories|
    most read|most popular|you may also like|trending|loading|click to expand|like this|facebook|
    twitter|whatsapp|linkedin|reddit|pinterest|subscribe|newsletter|sign up|log in|register|back to top|
    ad feedback|video ad feedback|close|menu|toggle navigation
    """
)
CHROME_PREFIXES = (
    "sign up for",
    "sign up to",
    "subscribe to",
    "subscribe for",
    "follow us on",
    "click here",
    "read more:",
    "read more about",
    "related:",
    "share this",
    "share on",
    "get our",
    "download the",
    "listen to this article",
    "copyright ©",
    "© ",
    "all rights reserved",
)
# Prefix rules only apply to lines this short, so a paragraph that happens to begin "Subscribe to…"
# in prose survives.
CHROME_PREFIX_MAX = 120
_RATING_CHARS = set("★☆✩✪✭⭐0123456789/().,- votesaverage:")

EMBED_PREFIX = re.compile(r"view this (interactive content|content|video|post|graphic|map|chart) on ", re.I)

KICKER_LABELS = _phrases(
    """
    exclusive|analysis|opinion|breaking|breaking news|live|live updates|explainer|fact check|
    interview|review|editorial|comment|update|watch|video|photos|special report|investigation|
    obituary|perspective|first on|developing|just in
    """
)

CONTRIBUTED = re.compile(r"\s(contributed|contributed reporting|contributed to this report)[.]?$", re.I)


def _normal_line(line):
    return line.strip().rstrip(".:!…").strip().casefold()


def is_chrome(line):
    normal = _normal_line(line)
    if normal in CHROME_LINES:
        return True
    if len(line) <= CHROME_PREFIX_MAX and normal.startswith(CHROME_PREFIXES):
        return True
    # Star ratings and vote counts: "★★★★☆ (3 votes)", "5/5 - (1 vote)".
    return any(ch in "★☆⭐" for ch in normal) and set(normal) <= _RATING_CHARS


def embed_from(line):
    """A "View this interactive content on CNN.com" line as an embed placeholder, or None."""
    match = EMBED_PREFIX.match(line.strip())
    if not match:
        return None
    where = line.strip()[match.end() :].rstrip(". ")
    if not where or len(where) > 60 or " " in where:
        return None
    if "." in where:
        provider = where.split(".")[0]
        host = where.lower() if where.count(".") > 1 else f"www.{where.lower()}"
    else:
        provider, host = where, f"www.{where.lower()}.com"
    return ParsedBlock(
        type="embed",
        text=line.strip(),
        embed_url=f"https://{host}/",
        embed_provider=provider,
        needs_review=True,
        review_note="The original embed's address was not in the text: link the real content.",
    )


def _split_names(text):
    parts = []
    for chunk in re.split(r",|;| and | & ", text):
        name = chunk.strip().strip(".")
        if name:
            parts.append(name)
    return parts


def _looks_like_name(text):
    words = text.split()
    return 1 < len(words) <= 5 and all(w[0].isupper() or w in NAME_PARTICLES for w in words)


def credits_from(line):
    """Bylines from a closing credit line, or None when the line is not one."""
    stripped = line.strip()
    if len(stripped) > 300:
        return None
    match = CONTRIBUTED.search(stripped)
    if match:
        names_part, organisation = stripped[: match.start()], ""
        head, sep, rest = names_part.partition("’s ")
        if not sep:
            head, sep, rest = names_part.partition("'s ")
        if sep and len(head.split()) <= 3 and head[:1].isupper():
            organisation, names_part = head, rest
        names = _split_names(names_part)
        if names and all(_looks_like_name(n) for n in names):
            return [Credit(n, "contributing_reporter", organisation) for n in names]
        return None
    # Agency style: "Reporting by A and B; Additional reporting by C; Editing by D".
    roles = (
        ("additional reporting by", "contributing_reporter"),
        ("reporting by", "author"),
        ("writing by", "author"),
        ("editing by", "editor"),
        ("photographs by", "photographer"),
    )
    found = []
    for part in stripped.rstrip(".").split(";"):
        lowered = part.strip().lower()
        for prefix, role in roles:
            if lowered.startswith(prefix):
                names = _split_names(part.strip()[len(prefix) :])
                if not names or not all(_looks_like_name(n) for n in names):
                    return None
                found.extend(Credit(n, role) for n in names)
                break
        else:
            return None
    return found or None
