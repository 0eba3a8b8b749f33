"""Addresses for new stories, speakers and contributors: readable, and never one already in use."""

import re

from django.utils.text import slugify

from ..models import Article, FormerSlug


def unique_slug(model, text, taken=(), max_length=200):
    """Return a slug of `text` free among `model`'s rows and `taken`, numbered "-2", "-3"… when needed."""
    base = slugify(text)[: max_length - 4].strip("-") or model._meta.model_name
    slug, n = base, 1
    while slug in taken or model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def article_slug(headline):
    """Return a free slug for a story with `headline`, as a sub-editor would write it."""
    # A sub-editor's slug: the headline's main clause, not every word of it.
    main = re.split(r",| – | — |: ", headline)[0]
    text = main if len(main.split()) >= 4 else headline
    slug = slugify(text)
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    # A story's old address still redirects to it: not free for a new story.
    former = FormerSlug.objects.filter(slug__startswith=slug).values_list("slug", flat=True)
    return unique_slug(Article, slug, taken=set(former))
