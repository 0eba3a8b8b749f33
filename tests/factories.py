"""Flat, deterministic factories. Times are relative to now so the publication rule is easy to read."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.test")
    password = factory.django.Password("correct horse battery staple")


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


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Story number {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    dek = "A short standfirst."
    status = Article.Status.DRAFT


class PublishedArticleFactory(ArticleFactory):
    status = Article.Status.PUBLISHED
    go_live_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    first_published_at = factory.SelfAttribute("go_live_at")
    version = 1


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n)
    type = Block.Type.PARAGRAPH
    text = "A paragraph of reporting."


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    article = factory.SubFactory(ArticleFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    text = "We will not give up."
    position = factory.Sequence(lambda n: n)


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
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
    """A stored picture row; uploads that go through the pipeline use articles.media.uploads instead."""

    class Meta:
        model = Image

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


def story_images(article, count):
    """`count` pictures shown by the story, lead image first, each with two renditions."""
    images = ImageFactory.create_batch(count)
    for image in images:
        RenditionFactory(image=image, width=320, height=240)
        RenditionFactory(image=image, width=640, height=480, format=Rendition.Format.WEBP)
    article.lead_image = images[0]
    article.save()
    start = article.blocks.count()
    for n, image in enumerate(images[1:]):
        BlockFactory(article=article, position=start + n, type=Block.Type.IMAGE, text="", image=image)
    return images


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(PublishedArticleFactory)
    note = "An earlier version misspelled a name."


def story_with(quotes, *, article=None):
    """A published story with one paragraph per quote, each quote attributed, plus a byline."""
    article = article or PublishedArticleFactory()
    BylineFactory(article=article, position=0)
    speaker = SpeakerFactory()
    for n in range(quotes):
        block = BlockFactory(article=article, position=n, text=f"“Words number {n},” the minister said.")
        QuoteFactory(article=article, block=block, speaker=speaker, text=f"Words number {n},", position=n)
    return article


def ready_story(owner=None, **fields):
    """A story with everything publishing needs (headline, byline, a paragraph), filed by `owner`."""
    article = ArticleFactory(created_by=owner, **fields)
    BylineFactory(article=article)
    BlockFactory(article=article, position=0, text="The first paragraph.")
    return article
