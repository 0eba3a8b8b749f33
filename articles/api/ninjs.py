"""IPTC ninjs 2.2 (News in JSON) for partner newsrooms: https://iptc.org/standards/ninjs/"""

from django.template.loader import render_to_string
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from ..content.markup import strip_tags
from ..links import absolute
from ..models import Block
from ..pictures import media_type, renditions
from ..reading import byline_groups

SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"


class NinjsRenderer(JSONRenderer):
    media_type = "application/ninjs+json"
    format = "ninjs"


def _iso(moment):
    return moment.isoformat() if moment else None


def _rendition(name, file, width, height, content_type):
    return {
        "name": name,
        "href": absolute(file.url),
        "contenttype": content_type,
        "width": width,
        "height": height,
    }


def _picture(image):
    versions = [_rendition("original", image.file, image.width, image.height, media_type(image))]
    versions += [
        _rendition(
            f"{r.ratio.replace(':', 'x')}-{r.format}-{r.width}", r.file, r.width, r.height, media_type(r)
        )
        for r in renditions(image)
    ]
    picture = {
        "name": "featureimage",
        "uri": absolute(image.file.url),
        "type": "picture",
        "representationtype": "full",
        "renditions": versions,
    }
    descriptions = [
        {"role": role, "contenttype": "text/plain", "value": value}
        for role, value in [("caption", image.caption), ("alternative", image.alt_text)]
        if value
    ]
    if descriptions:
        picture["descriptions"] = descriptions
    if image.credit:
        picture["by"] = image.credit
    if image.copyright:
        picture["copyrightnotice"] = image.copyright
    return picture


def _text(value):
    return {"contenttype": "text/plain", "value": value}


class NinjsSerializer(serializers.BaseSerializer):
    """A public story as a ninjs 2.2 item, from a story loaded with with_related()."""

    def to_representation(self, article):
        page_url = absolute(article.get_absolute_url())
        blocks = list(article.blocks.all())
        html = render_to_string("articles/body_fragment.html", {"blocks": blocks}).strip()
        plain = "\n\n".join(strip_tags(b.text) for b in blocks if b.type in Block.TEXT_TYPES)
        item = {
            "uri": article.canonical_url or page_url,
            "standard": {"name": "ninjs", "version": "2.2", "schema": SCHEMA},
            "type": "text",
            "representationtype": "full",
            "profile": "newsroom-story",
            "version": str(article.version),
            "firstcreated": _iso(article.created_at),
            "versioncreated": _iso(article.modified_at),
            "contentcreated": _iso(article.go_live_at),
            # Only public stories reach this serializer; withheld or killed ones are never served.
            "pubstatus": "usable",
            "language": article.language,
            "slugline": article.slug,
            "headlines": [{"role": "main", **_text(article.headline)}],
            "bodies": [
                {"role": "main", "contenttype": "text/html", "value": html},
                {
                    "role": "main",
                    "contenttype": "text/plain",
                    "value": plain,
                    "charcount": len(plain),
                    "wordcount": len(plain.split()),
                },
            ],
            "renditions": [{"name": "html", "href": page_url, "contenttype": "text/html"}],
            "altids": [{"role": "slug", "value": article.slug}],
        }
        if article.kicker:
            item["headlines"].append({"role": "kicker", **_text(article.kicker)})
        descriptions = [{"role": "summary", **_text(article.dek)}] if article.dek else []
        descriptions += [
            {"role": c.kind, **_text(f"{c.get_kind_display()} ({c.created_at:%Y-%m-%d}): {c.note}")}
            for c in article.corrections.all()
        ]
        if descriptions:
            item["descriptions"] = descriptions
        by = "; ".join(
            f"{group.phrase} {', '.join(c.name for c in group.contributors)}"
            for group in byline_groups(article)
        )
        if by:
            item["by"] = by
        if article.dateline:
            item["located"] = article.dateline
        if article.expires_at:
            item["expires"] = _iso(article.expires_at)
        people = {}
        for quote in article.quotes.all():
            speaker = quote.speaker
            if speaker and speaker.pk not in people:
                person = {"name": speaker.name, "rel": "quoted"}
                if not speaker.is_anonymous:
                    person["uri"] = absolute(speaker.get_absolute_url())
                people[speaker.pk] = person
        if people:
            item["people"] = list(people.values())
        subjects = [
            {"name": tag.name, "rel": "about", "uri": absolute(tag.get_absolute_url())}
            for tag in article.tags.all()
        ]
        if subjects:
            item["subjects"] = subjects
        if article.source_credit:
            item["infosources"] = [{"name": article.source_credit, "role": "source"}]
        if article.lead_image:
            item["associations"] = [_picture(article.lead_image)]
        return item
