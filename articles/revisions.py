"""A story's revision history, as editors read it: each revision as lines of text, compared side by side.

django-reversion stores every save of a story together with its blocks, quotes and bylines
(models.py registers them with `follow`). This module turns one stored revision, or the story as
it stands, into plain lines, so two of them can be compared with difflib.
"""

import difflib

from django.core import serializers
from django.utils.html import escape
from reversion.models import Version

from contributors.models import Contributor

from .content.markup import strip_tags
from .models import Article, Block, Byline, Quote, Speaker

HEADER_FIELDS = ["kicker", "headline", "dek", "dateline", "slug", "source_credit", "canonical_url"]


def history(article):
    """The story's stored revisions, newest first."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


STORY_PARTS = (Block, Quote, Byline)


def own_objects(version):
    """The story of `version` and its own blocks, quotes and bylines as saved in that revision.

    Returns deserialized objects (unsaved; `.save()` writes them back, tags included). A revision may
    hold other stories too — bulk moves once recorded several in one — and those are left out, so
    comparing or restoring one story never shows or touches another.
    """
    article_id = int(version.object_id)
    own = []
    for part in version.revision.version_set.all():
        model = part._model
        if model is not Article and model not in STORY_PARTS:
            continue
        obj = next(serializers.deserialize(part.format, part.serialized_data, ignorenonexistent=True))
        belongs = obj.object.pk if model is Article else obj.object.article_id
        if belongs == article_id:
            own.append(obj)
    return own


def _objects_in(version):
    """The story and its parts as they were saved in `version`'s revision, as unsaved model instances."""
    found = {Article: [], Block: [], Quote: [], Byline: []}
    for obj in own_objects(version):
        found[type(obj.object)].append(obj.object)
    article = found[Article][0] if found[Article] else None
    return article, found[Block], found[Quote], found[Byline]


def _lines(article, blocks, quotes, bylines):
    quotes_by_id = {q.pk: q for q in quotes}
    speakers = Speaker.objects.in_bulk({q.speaker_id for q in quotes if q.speaker_id})
    people = Contributor.objects.in_bulk({b.contributor_id for b in bylines})
    lines = [f"{name.replace('_', ' ').capitalize()}: {getattr(article, name)}" for name in HEADER_FIELDS]
    lines.append("")
    for byline in sorted(bylines, key=lambda b: b.position):
        person = people.get(byline.contributor_id)
        lines.append(f"Byline: {person.name if person else '(removed)'}, {byline.get_role_display()}")
    lines.append("")
    for block in sorted(blocks, key=lambda b: b.position):
        if block.type in Block.TEXT_TYPES:
            body = strip_tags(block.text)
        elif block.type == Block.Type.QUOTE:
            quote = quotes_by_id.get(block.quote_id)
            body = f"“{quote.text}”" if quote else f"quote {block.quote_id}"
        else:
            body = f"{block.type} {getattr(block, f'{block.type}_id')}"
        lines.append(f"[{block.get_type_display()}] {body}")
    lines.append("")
    for quote in sorted(quotes, key=lambda q: (q.position, q.pk)):
        speaker = speakers.get(quote.speaker_id)
        said = ", ".join(filter(None, [quote.verb, quote.occasion]))
        who = speaker.name if speaker else "unattributed"
        lines.append(f"Quote: “{quote.text}” — {who}{f' ({said})' if said else ''}")
    return lines


def version_lines(version):
    article, blocks, quotes, bylines = _objects_in(version)
    if article is None:
        return []
    return _lines(article, blocks, quotes, bylines)


def current_lines(article):
    return _lines(
        article, list(article.blocks.all()), list(article.quotes.all()), list(article.bylines.all())
    )


def side_by_side(old_lines, new_lines, old_label, new_label):
    """An HTML table with the two texts in columns and the changes marked.

    difflib escapes the lines but writes the column headings as given, and a label carries the
    revision's comment, which quotes the story's own text: the headings are escaped here.
    """
    return difflib.HtmlDiff(wrapcolumn=60).make_table(
        old_lines, new_lines, fromdesc=escape(old_label), todesc=escape(new_label), context=False
    )


def label(version):
    revision = version.revision
    who = revision.user.get_username() if revision.user else "the scheduler"
    return f"{revision.date_created:%Y-%m-%d %H:%M:%S} · {who} · {revision.get_comment() or 'saved'}"
