"""A story prepared for reading: body pieces with their quotes marked, bylines grouped by role.

Works on a story loaded with Article.objects.with_related(), so it adds no queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .content.markup import mark_quotes, strip_tags
from .models import Block, Byline

ROLE_PHRASES = {
    Byline.Role.AUTHOR: "By",
    Byline.Role.INTERVIEWER: "Interview by",
    Byline.Role.CONTRIBUTING_REPORTER: "Contributing reporting by",
    Byline.Role.PHOTOGRAPHER: "Photographs by",
    Byline.Role.EDITOR: "Edited by",
}


@dataclass
class Piece:
    block: Block
    html: str = ""
    pull_quotes: list = field(default_factory=list)


@dataclass
class BylineGroup:
    role: str
    phrase: str
    contributors: list

    @property
    def organisation(self):
        """The outlet, printed once after the names when everyone in the group shares it."""
        outlets = {c.organisation for c in self.contributors}
        return outlets.pop() if len(outlets) == 1 else ""


def story_body(article):
    """The body in order. Text blocks carry their quotes as <q> elements; a pull quote that no
    quote block shows is set after the paragraph it stands in."""
    blocks = list(article.blocks.all())
    shown_as_blocks = {block.quote_id for block in blocks if block.quote_id}
    quotes_in = defaultdict(list)
    for quote in article.quotes.all():
        if quote.block_id:
            quotes_in[quote.block_id].append(quote)
    pieces = []
    for block in blocks:
        piece = Piece(block)
        if block.type in Block.TEXT_TYPES:
            quotes = quotes_in[block.pk]
            # block.text was sanitized on save; mark_quotes only adds <q> around existing text.
            piece.html = mark_safe(mark_quotes(block.text, quotes))  # noqa: S308
            piece.pull_quotes = [q for q in quotes if q.is_pull_quote and q.pk not in shown_as_blocks]
        pieces.append(piece)
    return pieces


def byline_groups(article):
    groups = {}
    for byline in article.bylines.all():
        group = groups.setdefault(
            byline.role, BylineGroup(byline.role, ROLE_PHRASES.get(byline.role, "By"), [])
        )
        group.contributors.append(byline.contributor)
    return list(groups.values())


def lead_image_in_body(article):
    return any(block.image_id == article.lead_image_id for block in article.blocks.all())


def description(article, limit=200):
    """The dek, or the opening of the first paragraph when a story has none."""
    text = article.dek or next(
        (strip_tags(b.text) for b in article.blocks.all() if b.type == Block.Type.PARAGRAPH), ""
    )
    return Truncator(text).chars(limit)
