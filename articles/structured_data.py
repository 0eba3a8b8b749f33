"""schema.org NewsArticle JSON-LD for a story page, safe to embed in a <script> element."""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

from .links import absolute
from .models import Byline
from .reading import description

# Roles credited as schema.org author; the rest of the byline are contributors or editors.
AUTHOR_ROLES = {Byline.Role.AUTHOR, Byline.Role.INTERVIEWER}
EDITOR_ROLES = {Byline.Role.EDITOR}

# Inside <script>, "</script>" or "<!--" in a headline would end or confuse the element; JSON
# allows the same characters as \u escapes, which the JSON-LD processor reads back unchanged.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_json(data):
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))  # noqa: S308


def _iso(moment):
    return moment.isoformat() if moment else None


def _person(contributor):
    person = {"@type": "Person", "name": contributor.name, "url": absolute(contributor.get_absolute_url())}
    if contributor.title:
        person["jobTitle"] = contributor.title
    return person


def _speaker(speaker):
    person = {"@type": "Person", "name": speaker.name}
    if speaker.title:
        person["description"] = speaker.title
    if not speaker.is_anonymous:
        person["url"] = absolute(speaker.get_absolute_url())
    return person


def _image(image):
    data = {
        "@type": "ImageObject",
        "url": absolute(image.file.url),
        "contentUrl": absolute(image.file.url),
        "width": image.width,
        "height": image.height,
    }
    for key, value in [
        ("caption", image.caption),
        ("description", image.alt_text),
        ("creditText", image.credit),
        ("copyrightNotice", image.copyright),
    ]:
        if value:
            data[key] = value
    return data


def publisher():
    return {"@type": "NewsMediaOrganization", "name": settings.SITE_NAME, "url": f"{settings.SITE_URL}/"}


def news_article(article, *, page_url, canonical_url):
    """The story as schema.org NewsArticle, from a story loaded with with_related()."""
    bylines = list(article.bylines.all())
    authors = [_person(b.contributor) for b in bylines if b.role in AUTHOR_ROLES]
    contributors = [_person(b.contributor) for b in bylines if b.role not in AUTHOR_ROLES | EDITOR_ROLES]
    editors = [_person(b.contributor) for b in bylines if b.role in EDITOR_ROLES]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": page_url,
        "url": page_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url},
        "headline": article.headline,
        "description": description(article),
        "inLanguage": article.language,
        "datePublished": _iso(article.go_live_at),
        "dateModified": _iso(article.modified_at),
        "author": authors or [publisher()],
        "publisher": publisher(),
        "isAccessibleForFree": True,
        "version": str(article.version),
    }
    if contributors:
        data["contributor"] = contributors
    if editors:
        data["editor"] = editors
    if article.dateline:
        data["dateline"] = article.dateline
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    if article.section:
        data["articleSection"] = article.section.name
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        data["keywords"] = tags
    if article.lead_image:
        data["image"] = [_image(article.lead_image)]
    if article.source_credit:
        data["sourceOrganization"] = {"@type": "NewsMediaOrganization", "name": article.source_credit}
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": f"{c.get_kind_display()}: {c.note}",
            "datePublished": _iso(c.created_at),
        }
        for c in article.corrections.all()
    ]
    if corrections:
        data["correction"] = corrections
    quotes = [
        {
            "@type": "Quotation",
            "@id": f"{page_url}#quote-{q.pk}",
            "text": q.text,
            "spokenByCharacter": _speaker(q.speaker),
        }
        for q in article.quotes.all()
        if q.speaker
    ]
    if quotes:
        data["hasPart"] = quotes
    # A preview of a story never published has no publication date to state.
    return {key: value for key, value in data.items() if value is not None}
