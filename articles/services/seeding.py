"""Load a reviewed, structured story file (such as seed/interview.json) into the database."""

import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from PIL import Image as PILImage
from PIL import ImageDraw

from contributors.models import Contributor

from ..content.markup import strip_tags
from ..media.uploads import DuplicateImage, image_upload
from ..models import Article, Block, Byline, Embed, Image, Quote, Section, Speaker, Tag

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
INTERVIEW = SEED_DIR / "interview.json"


class SeedError(ValueError):
    """The seed file is not usable; the message names the problem."""


@dataclass
class Report:
    created: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    def lines(self):
        return [f"created: {item}" for item in self.created] + [
            f"left alone: {item}" for item in self.unchanged
        ]


def _require(mapping, key, where, kind=str):
    if not isinstance(mapping, dict) or key not in mapping:
        raise SeedError(f"{where}: missing “{key}”.")
    value = mapping[key]
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise SeedError(f"{where}: “{key}” must be a non-empty {kind.__name__}.")
    return value


def validate(data):
    """Check the whole file before anything is written, so a bad file never half-loads."""
    if not isinstance(data, dict):
        raise SeedError("The seed file must hold a JSON object.")
    article = _require(data, "article", "file", dict)
    for key in ("slug", "headline"):
        _require(article, key, "article")
    if "first_published_at" in article:
        _published_at(article)
    speakers = {_require(s, "key", "speakers[]") for s in _require(data, "speakers", "file", list)}
    for s in data["speakers"]:
        _require(s, "name", f"speaker {s['key']}")
        _require(s, "slug", f"speaker {s['key']}")
    contributors = {
        _require(c, "slug", "contributors[]") for c in _require(data, "contributors", "file", list)
    }
    roles = set(Byline.Role.values)
    for i, byline in enumerate(_require(data, "bylines", "file", list)):
        if _require(byline, "contributor", f"bylines[{i}]") not in contributors:
            raise SeedError(f"bylines[{i}]: unknown contributor “{byline['contributor']}”.")
        if _require(byline, "role", f"bylines[{i}]") not in roles:
            raise SeedError(f"bylines[{i}]: role must be one of {', '.join(sorted(roles))}.")
    body = _require(data, "body", "file", list)
    if not body:
        raise SeedError("body: a story needs at least one block.")
    for i, block in enumerate(body):
        where = f"body[{i}]"
        kind = _require(block, "type", where)
        if kind in ("paragraph", "heading"):
            plain = strip_tags(_require(block, "text", where))
            for j, quote in enumerate(block.get("quotes", [])):
                text = _require(quote, "text", f"{where}.quotes[{j}]")
                if text not in plain:
                    raise SeedError(f"{where}.quotes[{j}]: “{text[:40]}…” does not appear in its paragraph.")
                if _require(quote, "speaker", f"{where}.quotes[{j}]") not in speakers:
                    raise SeedError(f"{where}.quotes[{j}]: unknown speaker “{quote['speaker']}”.")
                if quote.get("kind", "full") not in Quote.Kind.values:
                    raise SeedError(f"{where}.quotes[{j}]: kind must be full or partial.")
        elif kind == "image":
            _require(block, "caption", where)
        elif kind == "embed":
            _require(block, "url", where)
            _require(block, "fallback_text", where)
        else:
            raise SeedError(f"{where}: unknown block type “{kind}”.")


def _published_at(spec):
    """Return when the story first ran: the file's `first_published_at` (ISO 8601, with its offset)."""
    value = spec.get("first_published_at")
    if value is None:
        return None
    when = parse_datetime(value) if isinstance(value, str) else None
    if when is None or timezone.is_naive(when) or when > timezone.now():
        raise SeedError(
            "article: “first_published_at” must be a past ISO 8601 time with its offset, "
            "e.g. 2023-03-07T12:00:00Z."
        )
    return when


def placeholder_jpeg(caption, size=(1600, 900)):
    """Return a plainly labelled stand-in picture as JPEG bytes, so nobody mistakes it for a photograph."""
    picture = PILImage.new("RGB", size, (58, 64, 72))
    draw = ImageDraw.Draw(picture)
    for x in range(0, size[0], 40):
        draw.line([(x, 0), (x + size[1], size[1])], fill=(70, 77, 86), width=12)
    draw.rectangle([(40, size[1] - 160), (size[0] - 40, size[1] - 40)], fill=(20, 22, 26))
    draw.text((70, size[1] - 130), "PLACEHOLDER IMAGE - NOT A PHOTOGRAPH", fill=(255, 255, 255), font_size=44)
    draw.text((70, size[1] - 75), caption[:90], fill=(200, 200, 200), font_size=24)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _placeholder_image(article, spec):
    """Return the stand-in picture, uploaded with the checks of any picture, or the copy already stored."""
    upload = SimpleUploadedFile(
        f"{article.slug[:40]}-placeholder.jpg", placeholder_jpeg(spec["caption"]), content_type="image/jpeg"
    )
    try:
        return image_upload(
            upload,
            alt_text=spec.get("alt_text", ""),
            caption=spec["caption"],
            credit=spec.get("credit", ""),
            copyright=spec.get("copyright", ""),
        )
    except DuplicateImage as exc:
        return exc.existing


def _get_or_create(model, report, label, slug, **defaults):
    obj, created = model.objects.get_or_create(slug=slug, defaults=defaults)
    (report.created if created else report.unchanged).append(f"{label} {obj}")
    return obj


@transaction.atomic
def article_load(data, *, reset=False, publish=True):
    """Create the story `data` describes; return it and a report. Existing records stay unless `reset`."""
    validate(data)
    report = Report()
    spec = data["article"]
    existing = Article.objects.filter(slug=spec["slug"]).first()
    if existing and not reset:
        report.unchanged.append(f"story {existing.slug}")
        return existing, report
    if existing:
        # Reloaded in place: the story keeps its id and address, so links, bookmarks and caches keyed
        # on them stay right.
        article_clear(existing)

    section = _section(spec, report)
    speakers, contributors = _people(data, report)
    article = _save_article(spec, existing, section, report)
    _save_bylines(article, data["bylines"], contributors)
    quotes = _save_body(article, data["body"], speakers)
    if publish:
        article.status = Article.Status.PUBLISHED
        # The day the story first ran, not the day it was loaded: it takes its place among later stories.
        article.go_live_at = article.first_published_at = _published_at(spec) or timezone.now()
        # A reload is a new public version, so nothing stored for the old one is served as current.
        article.version = existing.version + 1 if existing else 1
    elif existing:
        article.version = existing.version
    article.save()
    report.created.append(f"story {article.slug} ({len(data['body'])} blocks, {quotes} quotes)")
    return article, report


def _section(spec, report):
    """Return the story's section, added if not yet known, or None."""
    if not spec.get("section"):
        return None
    return _get_or_create(Section, report, "section", spec["section"]["slug"], name=spec["section"]["name"])


def _people(data, report):
    """Return the file's speakers by key and contributors by slug, adding those not yet known."""
    speakers = {
        s["key"]: _get_or_create(
            Speaker,
            report,
            "speaker",
            s["slug"],
            name=s["name"],
            title=s.get("title", ""),
            is_anonymous=s.get("is_anonymous", False),
        )
        for s in data["speakers"]
    }
    contributors = {
        c["slug"]: _get_or_create(
            Contributor,
            report,
            "contributor",
            c["slug"],
            name=c["name"],
            title=c.get("title", ""),
            organisation=c.get("organisation", ""),
            bio=c.get("bio", ""),
        )
        for c in data["contributors"]
    }
    return speakers, contributors


def _save_article(spec, existing, section, report):
    """Save the story's own fields and its tags, in place of `existing` if there is one, and return it."""
    article = Article(
        pk=existing.pk if existing else None,
        slug=spec["slug"],
        headline=spec["headline"],
        kicker=spec.get("kicker", ""),
        dek=spec.get("dek", ""),
        dateline=spec.get("dateline", ""),
        section=section,
        language=spec.get("language", "en"),
        source_credit=spec.get("source_credit", ""),
    )
    if existing:
        article.created_at, article.created_by = existing.created_at, existing.created_by
    article.save()
    article.tags.set(
        _get_or_create(Tag, report, "tag", t["slug"], name=t["name"]) for t in spec.get("tags", [])
    )
    return article


def _save_bylines(article, bylines, contributors):
    """Credit the story's contributors in the file's order."""
    for position, byline in enumerate(bylines):
        Byline.objects.create(
            article=article,
            contributor=contributors[byline["contributor"]],
            role=byline["role"],
            position=position,
        )


def _save_body(article, body, speakers):
    """Create the story's blocks with their quotes, pictures and embeds; return how many quotes."""
    quote_position = 0
    for position, spec_block in enumerate(body):
        kind = spec_block["type"]
        if kind in ("paragraph", "heading"):
            block = Block.objects.create(
                article=article, position=position, type=kind, text=spec_block["text"]
            )
            for quote in spec_block.get("quotes", []):
                Quote.objects.create(
                    article=article,
                    block=block,
                    speaker=speakers[quote["speaker"]],
                    text=quote["text"],
                    kind=quote.get("kind", "full"),
                    verb=quote.get("verb", ""),
                    occasion=quote.get("occasion", ""),
                    is_pull_quote=quote.get("is_pull_quote", False),
                    # A reviewed file's attributions were checked by a person before it was written.
                    is_verified=True,
                    position=quote_position,
                )
                quote_position += 1
        elif kind == "image":
            image = _placeholder_image(article, spec_block)
            Block.objects.create(article=article, position=position, type=kind, image=image)
            article.lead_image = article.lead_image or image
        elif kind == "embed":
            embed = Embed.objects.create(
                url=spec_block["url"],
                provider=spec_block.get("provider", ""),
                title=spec_block.get("title", ""),
                fallback_text=spec_block["fallback_text"],
            )
            Block.objects.create(article=article, position=position, type=kind, embed=embed)
    return quote_position


def article_clear(article):
    """Empty a story, keeping its row: body, quotes, bylines, tags, corrections and the media only it uses."""
    images = set(article.blocks.exclude(image=None).values_list("image_id", flat=True))
    if article.lead_image_id:
        images.add(article.lead_image_id)
        Article.objects.filter(pk=article.pk).update(lead_image=None)
    embeds = set(article.blocks.exclude(embed=None).values_list("embed_id", flat=True))
    article.blocks.update(quote=None)
    article.blocks.all().delete()
    article.quotes.all().delete()
    article.bylines.all().delete()
    article.corrections.all().delete()
    article.tags.clear()
    for image in Image.objects.filter(pk__in=images, blocks=None, lead_of=None):
        image.delete()
    Embed.objects.filter(pk__in=embeds, blocks=None).delete()
