"""Addresses never die: a published story whose slug changes keeps answering at its old address.

Its page, its API detail and its ninjs answer 301 to the new address. A story that takes an address back
(its old slug again) removes the redirect; an address that was once another story's is refused.
"""

from django.db import models
from django.utils import timezone


class FormerSlug(models.Model):
    slug = models.SlugField(max_length=200, unique=True, help_text="An address the story had before.")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="former_slugs")
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-retired_at"]

    def __str__(self):
        return self.slug


def slug_changed(article, previous):
    """Keep `previous` as a redirect to `article` if readers may have seen it; free the new slug."""
    FormerSlug.objects.filter(slug=article.slug).delete()
    if article.first_published_at is not None:
        FormerSlug.objects.update_or_create(slug=previous, defaults={"article": article})


def slug_owner(slug, article=None):
    """The story (other than `article`) whose old address `slug` is, if any: it is not free to take."""
    former = FormerSlug.objects.filter(slug=slug).exclude(article=article).select_related("article").first()
    return former.article if former else None


def moved_to(slug):
    """The story that lived at `slug` before its slug changed, or None."""
    former = FormerSlug.objects.filter(slug=slug).select_related("article").first()
    return former.article if former else None
