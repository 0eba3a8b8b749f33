"""A fully dressed published story for the reader-surface tests: every block type, roles, a correction."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from articles.models import Block, Byline, Correction, Image, Quote, Section, Tag
from tests.factories import (
    BlockFactory,
    BylineFactory,
    ContributorFactory,
    EmbedFactory,
    PublishedArticleFactory,
    QuoteFactory,
    SpeakerFactory,
)


def make_image(name="photo.jpg", size=(800, 450), **fields):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (90, 100, 110)).save(buffer, "JPEG")
    fields.setdefault("alt_text", "Soldiers beside a howitzer in a muddy field.")
    fields.setdefault("caption", "Artillery near the front line.")
    fields.setdefault("credit", "Jane Photographer / Agency")
    image = Image(file=SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg"), **fields)
    image.save()
    return image


def full_story(paragraphs=3, *, section=None, tags=None, **fields):
    """A public story with a heading, quoted paragraphs, a pull quote, a quote block, an image,
    an embed, four bylines in three roles and a correction. Grows by `paragraphs` quoted paragraphs."""
    lead = make_image()
    fields = {
        "headline": "Mayor promises new bridge by spring",
        "kicker": "Exclusive",
        "dek": "The city will rebuild the crossing washed away in the floods.",
        "dateline": "Kyiv",
        "source_credit": "CNN",
        "lead_image": lead,
        **fields,
    }
    world = section or Section.objects.get_or_create(slug="world", defaults={"name": "World"})[0]
    article = PublishedArticleFactory(section=world, **fields)
    ukraine = Tag.objects.get_or_create(slug="ukraine", defaults={"name": "Ukraine"})[0]
    article.tags.set(tags if tags is not None else [ukraine])
    for position, role in enumerate(
        [
            Byline.Role.AUTHOR,
            Byline.Role.INTERVIEWER,
            Byline.Role.CONTRIBUTING_REPORTER,
            Byline.Role.PHOTOGRAPHER,
        ]
    ):
        BylineFactory(article=article, position=position, role=role, contributor=ContributorFactory())
    mayor = SpeakerFactory(name="Olena Kovalenko", title="Mayor")
    source = SpeakerFactory(name="a city engineer", title="", is_anonymous=True)
    position = 0

    def block(**kwargs):
        nonlocal position
        made = BlockFactory(article=article, position=position, **kwargs)
        position += 1
        return made

    block(type=Block.Type.HEADING, text="The crossing")
    for n in range(paragraphs):
        paragraph = block(
            text=f"“We will rebuild it, number {n},” the mayor said. Work <em>starts</em> soon."
        )
        QuoteFactory(
            article=article,
            block=paragraph,
            speaker=mayor,
            text=f"We will rebuild it, number {n},",
            position=n,
            is_pull_quote=n == 0,
            verb="said",
            occasion="press conference",
        )
    engineer_quote = QuoteFactory(
        article=article,
        speaker=source,
        text="The old piers are sound.",
        position=paragraphs,
        kind=Quote.Kind.FULL,
    )
    block(type=Block.Type.QUOTE, quote=engineer_quote)
    block(type=Block.Type.IMAGE, image=lead)
    block(type=Block.Type.EMBED, embed=EmbedFactory())
    block(text="The council votes next week.")
    Correction.objects.create(
        article=article, kind=Correction.Kind.CORRECTION, note="An earlier version gave the wrong river."
    )
    return article
