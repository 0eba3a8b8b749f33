"""Objects stories share: the people and sources they quote, their pictures and embeds."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from .records import Block, Quote
from .stories import Article


class SpeakerQuerySet(models.QuerySet):
    def public(self):
        """Named speakers quoted in a public story. Anyone quoted only in unpublished stories stays hidden;
        an anonymous source has no public identifier at all: no page, no list entry, no address."""
        return self.filter(Exists(Quote.objects.public().filter(speaker=OuterRef("pk"))), is_anonymous=False)


class Speaker(models.Model):
    """Someone quoted in a story: a named person, an organisation or an anonymous source. Never a byline."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        ANONYMOUS = "anonymous", "Anonymous source"

    name = models.CharField(
        max_length=200,
        help_text='The name as printed, or a description for anonymous sources ("a NATO military official").',
    )
    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(
        max_length=200, blank=True, help_text='Role or description, e.g. "President of Ukraine".'
    )
    is_anonymous = models.BooleanField(
        default=False, help_text="An unnamed source. Their identity must not appear anywhere public."
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.PERSON,
        help_text="A person, an organisation speaking as one (a ministry, a police force, a company), or an "
        "unnamed source. Anonymous sources are always marked anonymous.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # is_anonymous is what every public surface checks; the kind must never disagree with it.
            models.CheckConstraint(
                condition=(
                    Q(kind="anonymous", is_anonymous=True) | (~Q(kind="anonymous") & Q(is_anonymous=False))
                ),
                name="articles_speaker_kind_matches_anonymous",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.title})" if self.title else self.name

    def save(self, *args, **kwargs):
        # Either field may be set by older code paths; an anonymous source stays anonymous.
        if self.is_anonymous:
            self.kind = self.Kind.ANONYMOUS
        elif self.kind == self.Kind.ANONYMOUS:
            self.is_anonymous = True
        fields = kwargs.get("update_fields")
        if fields is not None and {"kind", "is_anonymous"} & set(fields):
            kwargs["update_fields"] = {*fields, "kind", "is_anonymous"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("speaker-page", kwargs={"slug": self.slug})


def delete_files_after_commit(storage, names):
    """Remove stored files once their rows are gone for good; a rolled-back delete keeps them."""
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])


class ImageQuerySet(models.QuerySet):
    def public(self):
        """Pictures shown in a public story, as its lead image or in its body; nothing else is public."""
        public = Article.objects.public()
        return self.filter(
            Exists(public.filter(lead_image=OuterRef("pk")))
            | Exists(Block.objects.filter(image=OuterRef("pk"), article__in=public))
        )


class Image(models.Model):
    file = models.ImageField(
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text="JPEG, PNG, WebP, AVIF, GIF or HEIC. Location, camera and other hidden data are removed.",
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        max_length=500, blank=True, help_text="What the picture shows, for readers who cannot see it."
    )
    caption = models.TextField(blank=True, max_length=2_000, help_text="Printed under the picture.")
    credit = models.CharField(max_length=200, blank=True, help_text="Photographer and agency.")
    copyright = models.CharField(max_length=200, blank=True)
    focal_x = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Horizontal centre of interest, 0 (left) to 1 (right). Crops keep it in frame.",
    )
    focal_y = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Vertical centre of interest, 0 (top) to 1 (bottom).",
    )
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Fingerprint of the uploaded file, so the same picture is not stored twice.",
    )
    source_format = models.CharField(
        max_length=10, blank=True, editable=False, help_text="The format the picture was uploaded in."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who brought the picture in; they may read it through the API before a story shows it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    # What a story needs from each picture it shows before it can be published.
    REQUIRED_FOR_PUBLICATION = {"alt_text": "alt text", "credit": "a credit"}

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="articles_image_focal_point_in_frame",
            ),
            models.UniqueConstraint(
                fields=["sha256"], condition=~Q(sha256=""), name="articles_image_sha256_unique"
            ),
        ]

    def __str__(self):
        return self.alt_text or self.caption[:60] or self.file.name

    def delete(self, *args, **kwargs):
        # Stored files outlive their rows unless removed; only once the deletion has committed.
        names = [self.file.name, *self.renditions.values_list("file", flat=True)]
        result = super().delete(*args, **kwargs)
        delete_files_after_commit(self.file.storage, names)
        return result

    def missing_for_publication(self):
        """Labels of what the picture still needs before a story showing it can be published."""
        return [
            label for name, label in self.REQUIRED_FOR_PUBLICATION.items() if not getattr(self, name).strip()
        ]

    def used_in(self):
        """Stories that show this picture, as lead image or in the body."""
        return Article.objects.filter(Q(lead_image=self) | Q(blocks__image=self)).distinct()


def rendition_path(rendition, filename):
    # Beside the original, under its random name, so a rendition's address is as unguessable.
    original = PurePosixPath(rendition.image.file.name)
    return str(original.parent / original.stem / filename)


class Rendition(models.Model):
    """One stored resized (and possibly cropped) copy of an image, made once."""

    class Format(models.TextChoices):
        # In order of preference: a browser takes the first it can show.
        AVIF = "avif", "AVIF"
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    class Ratio(models.TextChoices):
        ORIGINAL = "original", "As shot"
        WIDE = "16:9", "16:9"
        SQUARE = "1:1", "1:1"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    ratio = models.CharField(max_length=10, choices=Ratio.choices, default=Ratio.ORIGINAL)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10, choices=Format.choices)
    file = models.FileField(upload_to=rendition_path, max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["image", "ratio", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "ratio", "format", "width"], name="articles_rendition_one_per_variant"
            ),
        ]

    def __str__(self):
        return f"{self.width}×{self.height} {self.get_format_display()} ({self.get_ratio_display()})"


class Embed(models.Model):
    """Interactive content that lives elsewhere; readers without it get the fallback text."""

    url = models.URLField(max_length=500)
    provider = models.CharField(max_length=100, blank=True, help_text='e.g. "CNN", "YouTube".')
    title = models.CharField(max_length=300, blank=True)
    fallback_text = models.CharField(
        max_length=500, help_text="Shown where the embed cannot be displayed (feeds, apps, no script)."
    )

    def __str__(self):
        return self.title or self.fallback_text[:60]
