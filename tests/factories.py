"""The one way tests build things: flat, deterministic factory_boy factories.

Times are relative to now so the publication rule is easy to read. A story is an `ArticleFactory`, dressed
by its traits and counts rather than by helper functions:

- `ArticleFactory()`: a bare draft; `PublishedArticleFactory()` (or `published=True`): public an hour ago;
- `ready=True`: everything publishing needs, a byline and a first paragraph;
- `dressed=True`: a public story showing every kind of block, four bylines in four roles, a lead picture,
  a section, a tag and a correction, with `quotes` (3) quoted paragraphs by the mayor;
- `bylines=N` (or a list of roles), `paragraphs=[texts]`, `quotes=N` quoted paragraphs, each quote
  attributed to one speaker, `images=N` pictures shown (lead first, each with two renditions),
  `tags=[tags]`.
"""

import itertools
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import (
    Article,
    Block,
    Byline,
    Correction,
    Embed,
    Image,
    Quote,
    Rendition,
    Section,
    Speaker,
    Tag,
)
from contributors.models import Contributor

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.test")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(user, create, role, **kwargs):
        """`role="reporter"`, `"editor"` or `"admin"`: the account joins that role's group."""
        if create and role:
            user.groups.add(Group.objects.get(name=role))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    title = "Correspondent"
    organisation = "Newsroom"


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")
    title = "Minister"


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    article = factory.SubFactory("tests.factories.ArticleFactory")
    position = factory.Sequence(lambda n: n)
    type = Block.Type.PARAGRAPH
    text = "A paragraph of reporting."


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    article = factory.SubFactory("tests.factories.ArticleFactory")
    speaker = factory.SubFactory(SpeakerFactory)
    text = "We will not give up."
    position = factory.Sequence(lambda n: n)


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory("tests.factories.ArticleFactory")
    contributor = factory.SubFactory(ContributorFactory)
    role = Byline.Role.AUTHOR
    position = factory.Sequence(lambda n: n)


class EmbedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Embed

    url = "https://example.com/interactive"
    provider = "Example"
    fallback_text = "View this interactive content on example.com"


class ImageFactory(factory.django.DjangoModelFactory):
    """A stored picture row; uploads that go through the pipeline use articles.media.uploads instead.

    `photo=True`: a front-page-sized picture (800×450) with its alt text, caption and credit.
    """

    class Meta:
        model = Image

    class Params:
        photo = factory.Trait(
            file=factory.django.ImageField(
                width=800, height=450, color=(90, 100, 110), format="JPEG", filename="photo.jpg"
            ),
            alt_text="Soldiers beside a howitzer in a muddy field.",
            caption="Artillery near the front line.",
            credit="Jane Photographer / Agency",
        )

    file = factory.django.ImageField(width=64, height=48, format="JPEG", filename="photo.jpg")
    alt_text = "Rescuers at work in the rubble"
    credit = "Olena Photographer / Wire Agency"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")


class RenditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rendition

    image = factory.SubFactory(ImageFactory)
    width = 320
    height = 240
    format = Rendition.Format.JPEG
    file = factory.django.FileField(filename="320w-original.jpg", data=b"rendition")


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory("tests.factories.PublishedArticleFactory")
    note = "An earlier version misspelled a name."


def _next_position(article):
    return article.blocks.count()


def _add_bylines(article, create, bylines, **kwargs):
    """`bylines` credits: a number of authors, or one new contributor per role listed."""
    if not create or not bylines:
        return
    roles = [Byline.Role.AUTHOR] * bylines if isinstance(bylines, int) else bylines
    for position, role in enumerate(roles):
        BylineFactory(article=article, position=position, role=role, contributor=ContributorFactory())


def _add_paragraphs(article, create, paragraphs, **kwargs):
    if not create or not paragraphs:
        return
    start = _next_position(article)
    for n, text in enumerate(paragraphs):
        BlockFactory(article=article, position=start + n, text=text)


def _add_quotes(article, create, quotes, **kwargs):
    """`quotes` paragraphs, each quoting one speaker (the same for all) and carrying the quote."""
    if not create or not quotes:
        return
    speaker = SpeakerFactory()
    start = _next_position(article)
    for n in range(quotes):
        block = BlockFactory(
            article=article, position=start + n, text=f"“Words number {n},” the minister said."
        )
        QuoteFactory(article=article, block=block, speaker=speaker, text=f"Words number {n},", position=n)


def _add_images(article, create, images, **kwargs):
    """`images` pictures the story shows: the first as its lead image, the rest as image blocks."""
    if not create or not images:
        return
    pictures = ImageFactory.create_batch(images)
    for picture in pictures:
        RenditionFactory(image=picture, width=320, height=240)
        RenditionFactory(image=picture, width=640, height=480, format=Rendition.Format.WEBP)
    article.lead_image = pictures[0]
    article.save()
    start = _next_position(article)
    for n, picture in enumerate(pictures[1:]):
        BlockFactory(article=article, position=start + n, type=Block.Type.IMAGE, text="", image=picture)


def _set_tags(article, create, tags, **kwargs):
    if create and tags is not None:
        article.tags.set(tags)


def _dress(article, create, paragraphs, **kwargs):
    """The body of a dressed story: a heading, `paragraphs` quoted paragraphs by the mayor (the first
    a pull quote), an anonymous source's quote block, the lead picture, an embed, a closing paragraph,
    and a correction."""
    if not create:
        return
    mayor = SpeakerFactory(name="Olena Kovalenko", title="Mayor")
    source = SpeakerFactory(name="a city engineer", title="", is_anonymous=True)
    position = itertools.count(_next_position(article))

    def block(**fields):
        return BlockFactory(article=article, position=next(position), **fields)

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
    block(type=Block.Type.IMAGE, image=article.lead_image)
    block(type=Block.Type.EMBED, embed=EmbedFactory())
    block(text="The council votes next week.")
    Correction.objects.create(
        article=article, kind=Correction.Kind.CORRECTION, note="An earlier version gave the wrong river."
    )


def _defaulting(hook, default):
    """`hook` as a trait runs it: with the value the caller gave, else with `default` (called if callable)."""

    def run(article, create, extracted, **kwargs):
        value = extracted if extracted is not None else (default() if callable(default) else default)
        return hook(article, create, value, **kwargs)

    return factory.PostGeneration(run)


def _world_section():
    return Section.objects.get_or_create(slug="world", defaults={"name": "World"})[0]


def _ukraine():
    return [Tag.objects.get_or_create(slug="ukraine", defaults={"name": "Ukraine"})[0]]


DRESSED_ROLES = [
    Byline.Role.AUTHOR,
    Byline.Role.INTERVIEWER,
    Byline.Role.CONTRIBUTING_REPORTER,
    Byline.Role.PHOTOGRAPHER,
]


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            go_live_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
            first_published_at=factory.SelfAttribute("go_live_at"),
            version=1,
        )
        ready = factory.Trait(
            bylines=_defaulting(_add_bylines, 1),
            paragraphs=_defaulting(_add_paragraphs, ["The first paragraph."]),
        )
        dressed = factory.Trait(
            published=True,
            headline="Mayor promises new bridge by spring",
            kicker="Exclusive",
            dek="The city will rebuild the crossing washed away in the floods.",
            dateline="Kyiv",
            source_credit="CNN",
            lead_image=factory.SubFactory(ImageFactory, photo=True),
            section=factory.LazyFunction(_world_section),
            tags=_defaulting(_set_tags, _ukraine),
            bylines=_defaulting(_add_bylines, DRESSED_ROLES),
            quotes=_defaulting(_dress, 3),
        )

    headline = factory.Sequence(lambda n: f"Story number {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    dek = "A short standfirst."
    status = Article.Status.DRAFT

    tags = factory.PostGeneration(_set_tags)
    bylines = factory.PostGeneration(_add_bylines)
    paragraphs = factory.PostGeneration(_add_paragraphs)
    quotes = factory.PostGeneration(_add_quotes)
    images = factory.PostGeneration(_add_images)


class PublishedArticleFactory(ArticleFactory):
    published = True
