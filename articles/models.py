import functools
import hashlib
from datetime import timedelta
from pathlib import PurePosixPath

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from . import addresses, rules
from .limits import MAX_BLOCK_TEXT, stored_text

UPDATE_GRACE = timedelta(minutes=1)


class SectionQuerySet(models.QuerySet):
    def public(self):
        """Sections of at least one public story; one used only by unpublished stories could reveal them."""
        return self.filter(Exists(Article.objects.public().filter(section=OuterRef("pk"))))


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("section-page", kwargs={"slug": self.slug})


class TagQuerySet(models.QuerySet):
    def public(self):
        """Tags on at least one public story; a tag made for an unpublished story could give it away."""
        return self.filter(Exists(Article.objects.public().filter(tags=OuterRef("pk"))))


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tag-page", kwargs={"slug": self.slug})


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


class ArticleQuerySet(models.QuerySet):
    # Renditions of every image the fetched stories show (lead and body) load in one query, however
    # many images there are and whichever path reached them; separate prefetches would cost one each.
    _prefetch_renditions = False
    _cost_limit = None

    def _clone(self):
        clone = super()._clone()
        clone._prefetch_renditions = self._prefetch_renditions
        clone._cost_limit = self._cost_limit
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        if fresh and self._cost_limit is not None:
            with self._cost_limit(self.db):
                super()._fetch_all()
        else:
            super()._fetch_all()
        if fresh and self._prefetch_renditions and self._iterable_class is models.query.ModelIterable:
            images = [article.lead_image for article in self._result_cache if article.lead_image_id]
            for article in self._result_cache:
                if "blocks" in getattr(article, "_prefetched_objects_cache", {}):
                    images.extend(block.image for block in article.blocks.all() if block.image_id)
            models.prefetch_related_objects(images, "renditions")

    def with_renditions(self):
        clone = self._chain()
        clone._prefetch_renditions = True
        return clone

    def public(self, at=None):
        """The publication rule: what an anonymous reader may see. Every public surface starts here."""
        now = at or timezone.now()
        return self.filter(
            Q(status__in=Article.LIVE_STATUSES, go_live_at__lte=now)
            & (Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        )

    def killed(self):
        """Stories withdrawn for good after readers saw them; their addresses answer 410 with the notice.

        A story killed before it ever went live (scheduled, or still under embargo) was never public:
        its address answers exactly like one that never existed, so the 410 cannot reveal it.
        """
        killed_at = Coalesce(F("killed_at"), Value(timezone.now()))
        was_live = Q(go_live_at__lte=killed_at) & (
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=killed_at)
        )
        return self.filter(Q(first_published_at__isnull=False) | was_live, status=Article.Status.KILLED)

    def due_to_go_live(self, at=None):
        """Scheduled stories the publication rule already shows, whose go-live side effects are pending."""
        return self.filter(status=Article.Status.SCHEDULED).public(at=at)

    def overdue(self, at=None):
        """Scheduled work the worker should have picked up by now: a sign the scheduler is not running."""
        now = at or timezone.now()
        return self.due_to_go_live(at=now - Article.SCHEDULER_GRACE)

    def within(self, limit):
        """Evaluate (and count) this queryset inside `limit(alias)`, a context manager that bounds its cost,
        such as the search time limit (articles/search/limits.py)."""
        clone = self._chain()
        clone._cost_limit = limit
        return clone

    def count(self):
        if self._cost_limit is None or self._result_cache is not None:
            return super().count()
        with self._cost_limit(self.db):
            return super().count()

    def next_visibility_change(self, at=None):
        """The next moment the public set changes without anyone acting: a go-live, embargo end or expiry."""
        now = at or timezone.now()
        moments = self.filter(status__in=Article.LIVE_STATUSES).aggregate(
            go_live=models.Min("go_live_at", filter=Q(go_live_at__gt=now)),
            embargo=models.Min("embargo_until", filter=Q(embargo_until__gt=now)),
            expiry=models.Min("expires_at", filter=Q(expires_at__gt=now)),
        )
        return min((moment for moment in moments.values() if moment), default=None)

    def with_related(self):
        """Everything a story page or API detail renders, in three queries whatever the story's size:
        the stories (with section, lead image and, folded in, tags, bylines, corrections and the lead
        image's renditions), their blocks (with quotes, speakers, pictures and those renditions), and
        their quotes with speakers. See folding.py."""
        from .folding import fold

        folds = story_folds()
        blocks = fold(
            Block.objects.select_related("quote__speaker", "image", "embed").order_by("position"),
            ("image", folds["image_renditions"]),
        )
        return fold(
            self.defer("search_vector")
            .select_related("section", "lead_image")
            .prefetch_related(
                models.Prefetch("blocks", queryset=blocks),
                models.Prefetch(
                    "quotes", queryset=Quote.objects.select_related("speaker").order_by("position", "id")
                ),
            ),
            ("", folds["tags"]),
            ("", folds["bylines"]),
            ("", folds["corrections"]),
            ("lead_image", folds["lead_renditions"]),
        )

    def with_listing(self):
        """What a list of stories shows — headline, tags, bylines, lead image — in one query."""
        from .folding import fold

        folds = story_folds()
        return fold(
            self.defer("search_vector").select_related("section", "lead_image"),
            ("", folds["tags"]),
            ("", folds["bylines"]),
            ("lead_image", folds["lead_renditions"]),
        )


@functools.cache
def story_folds():
    """The small related sets of a story that fold into its own query (see folding.py); made once."""
    from contributors.models import Contributor

    from .folding import Fold

    renditions = {"model": Rendition, "link": "image_id", "order": ("ratio", "format", "width")}
    return {
        "tags": Fold(
            "tags", Tag, link="article_id", source=Article.tags.through, prefix="tag__", order=("name",)
        ),
        "bylines": Fold(
            "bylines", Byline, link="article_id", nested={"contributor": Contributor}, order=("position",)
        ),
        "corrections": Fold("corrections", Correction, link="article_id", order=("created_at", "id")),
        "lead_renditions": Fold("renditions", outer="lead_image_id", **renditions),
        "image_renditions": Fold("renditions", outer="image_id", **renditions),
    }


@reversion.register(follow=["blocks", "bylines", "quotes"])
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        KILLED = "killed", "Killed"

    # Scheduled stories go public on their own at go-live time: the rule compares with now at read time.
    LIVE_STATUSES = (Status.SCHEDULED, Status.PUBLISHED)
    # How late the scheduler may be before editors are told a scheduled story is overdue.
    SCHEDULER_GRACE = timedelta(minutes=2)
    # Text search configuration (stemming and stop words) for the search vector and for queries.
    SEARCH_CONFIG = "english"
    # The newest first, as the publication-time index reads backwards (drafts, with no time, first).
    RECENT_FIRST = ("-go_live_at", "-id")

    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, help_text="The story's permanent address.")
    kicker = models.CharField(
        max_length=60, blank=True, help_text='Label above the headline, e.g. "Exclusive".'
    )
    dek = models.TextField(
        blank=True, max_length=1_000, help_text="Standfirst: one or two sentences under the headline."
    )
    dateline = models.CharField(
        max_length=100, blank=True, help_text='Where the story was reported, e.g. "Kyiv".'
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    language = models.CharField(max_length=10, default="en", help_text="BCP 47 language code, e.g. en, uk.")
    source_credit = models.CharField(
        max_length=100, blank=True, help_text='The outlet the story comes from, e.g. "CNN".'
    )
    lead_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.PROTECT, related_name="lead_of"
    )
    canonical_url = models.URLField(
        max_length=500, blank=True, help_text="Only when the story's original home is elsewhere."
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    go_live_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the story becomes public. Set by publish or schedule.",
    )
    embargo_until = models.DateTimeField(
        null=True, blank=True, help_text="A published story stays hidden everywhere until this time."
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="The story disappears from public view."
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the worker last announced the story's expiry (articles/expiry.py); older than expires_at: not yet.
    expiry_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    killed_at = models.DateTimeField(null=True, blank=True, editable=False)
    kill_notice = models.TextField(
        blank=True,
        max_length=2_000,
        help_text="Shown to readers where a killed story stood, e.g. why it was withdrawn.",
    )
    version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Grows with every published change."
    )
    # Signed into every preview link; raising it (revoke, unpublish, kill) ends every link made before.
    preview_generation = models.PositiveIntegerField(
        default=0, editable=False, help_text="Preview links made before the last revocation no longer open."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_created",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Who saved the story last; empty when the scheduler did.",
    )
    # Filled and kept current by the database on PostgreSQL (see migration 0007); unused elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-go_live_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and kill stories"),
            ("edit_any_article", "Can edit stories filed by others"),
        ]
        indexes = [
            models.Index(fields=["status", "go_live_at"], name="articles_article_live_idx"),
            # Newest first with ties in order, for lists and searches that stop early (migration 0014).
            models.Index(fields=["go_live_at", "id"], name="articles_article_recent_idx"),
            models.Index(fields=["language"], name="articles_article_language_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "killed"]) | Q(go_live_at__isnull=False),
                name="articles_article_live_needs_go_live",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(go_live_at__isnull=True)
                | Q(expires_at__gt=models.F("go_live_at")),
                name="articles_article_expires_after_go_live",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        previous = getattr(self, "_saved_slug", None)
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if previous and previous != self.slug:
                addresses.slug_changed(self, previous)
        self._saved_slug = self.slug

    def get_absolute_url(self):
        return reverse("article-page", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._saved_slug = article.__dict__.get("slug")  # what slug_changed compares with
        return article

    @property
    def modified_at(self):
        """When readers last saw a change. A story edited before its go-live was not modified for them."""
        return max(filter(None, [self.updated_at, self.go_live_at])) if self.go_live_at else self.updated_at

    @property
    def was_updated(self):
        # Saves in the minute after going live are part of publishing, not an update to report.
        return bool(self.go_live_at) and self.modified_at - self.go_live_at > UPDATE_GRACE

    def is_public(self, at=None):
        """Per-row twin of ArticleQuerySet.public(); the two must always agree."""
        now = at or timezone.now()
        return (
            self.status in self.LIVE_STATUSES
            and self.go_live_at is not None
            and self.go_live_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def etag(self):
        """Strong validator of the stored story: every save moves `updated_at`, every republish `version`.

        API writes compare it with `If-Match`, and HTTP caching sends it as the `ETag`, so both agree.
        """
        stamp = f"{self.pk}:{self.updated_at.isoformat()}:{self.version}"
        return f'"{hashlib.sha256(stamp.encode()).hexdigest()[:32]}"'

    def clean(self):
        if self.slug and addresses.slug_owner(self.slug, article=self.pk and self) is not None:
            raise ValidationError(
                {"slug": "This was the address of another story, which still answers there."}
            )
        if self.expires_at and self.go_live_at and self.expires_at <= self.go_live_at:
            raise ValidationError({"expires_at": "Expiry must come after the go-live time."})

    def publication_problems(self):
        """What stops this story from going out, one sentence each, in the words an editor needs."""
        problems = []
        if not self.headline.strip():
            problems.append("Add a headline.")
        if not self.bylines.exists():
            problems.append("Add at least one byline.")
        blocks = list(self.blocks.select_related("image").order_by("position"))
        if not blocks:
            problems.append("The body is empty: add at least one paragraph.")
        shown = [("The lead image", self.lead_image)] if self.lead_image_id else []
        # Blocks are numbered from 1, as the story page shows them.
        shown += [(f"The image in body block {n}", b.image) for n, b in enumerate(blocks, 1) if b.image_id]
        for where, image in shown:
            if missing := image.missing_for_publication():
                problems.append(f"{where} (“{image}”, id {image.pk}) needs {' and '.join(missing)}.")
        # Imported stories arrive with flags on what a person must check before readers see it.
        flagged = [str(n) for n, b in enumerate(blocks, 1) if b.needs_review]
        if flagged:
            problems.append(
                f"Body blocks flagged for review: {', '.join(flagged)}; check them and clear the flag."
            )
        quotes = self.quotes.filter(needs_review=True).count()
        if quotes:
            problems.append(
                "1 quote is flagged for review: confirm, reassign or drop it."
                if quotes == 1
                else f"{quotes} quotes are flagged for review: confirm, reassign or drop each."
            )
        if unattributed := rules.unattributed_problem(self.quotes.filter(speaker=None).count()):
            problems.append(unattributed)
        return problems


@reversion.register()
class Block(models.Model):
    """One piece of a story's body, in order. Frontends render blocks; they never parse HTML."""

    class Type(models.TextChoices):
        PARAGRAPH = "paragraph", "Paragraph"
        HEADING = "heading", "Heading"
        QUOTE = "quote", "Quote"
        IMAGE = "image", "Image"
        EMBED = "embed", "Embed"

    TEXT_TYPES = rules.TEXT_TYPES
    # Each of these block types points at the model of the same name.
    POINTER_FIELDS = rules.POINTER_TYPES

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField(help_text="Order in the body, from the top.")
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.PARAGRAPH)
    text = models.TextField(
        blank=True,
        max_length=MAX_BLOCK_TEXT,
        help_text="Paragraph or heading text. Allowed markup: <em>, <strong>, <a href>, <br>; "
        "anything else is removed.",
    )
    quote = models.ForeignKey(
        "Quote",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="displayed_in",
        help_text="For quote blocks: the quote to display.",
    )
    image = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blocks",
        help_text="For image blocks.",
    )
    embed = models.ForeignKey(
        Embed,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blocks",
        help_text="For embed blocks.",
    )
    needs_review = models.BooleanField(
        default=False,
        help_text="Flagged for an editor, e.g. an imported line that looks like a photo caption.",
    )
    review_note = models.CharField(max_length=300, blank=True, help_text="What to check, and why.")

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="articles_block_one_place"),
            models.CheckConstraint(
                condition=rules.block_content_condition(), name="articles_block_content_matches_type"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.position + 1}"

    def save(self, *args, **kwargs):
        # Refuses (TextTooLong) rather than storing text past the limit; forms and the API say so first.
        self.text = stored_text(self.text)
        super().save(*args, **kwargs)

    def clean(self):
        pointers = {name for name in self.POINTER_FIELDS if getattr(self, f"{name}_id") is not None}
        if errors := rules.block_problems(self.type, text=self.text, pointers=pointers):
            raise ValidationError(errors)


class QuoteQuerySet(models.QuerySet):
    def public(self):
        """Quotes printed in public stories."""
        return self.filter(article__in=Article.objects.public())

    def flagged(self):
        return self.filter(needs_review=True)

    def accept(self):
        """An editor confirms these attributions as they stand: the flags go, the confidence stays."""
        return self.update(needs_review=False, review_note="")


@reversion.register()
class Quote(models.Model):
    """Words someone said, as printed in a story, with who said them and how."""

    class Kind(models.TextChoices):
        FULL = "full", "Full quote"
        PARTIAL = "partial", "Partial or scare quote"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    block = models.ForeignKey(
        Block,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes_in",
        help_text="The paragraph the quote stands in.",
    )
    speaker = models.ForeignKey(
        Speaker,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="Who said it. Leave empty only while the attribution is unresolved.",
    )
    text = models.TextField(
        max_length=5_000, help_text="The words exactly as printed, without the quotation marks."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FULL)
    verb = models.CharField(
        max_length=50, blank=True, help_text='How it was said: "said", "insisted", "told".'
    )
    occasion = models.CharField(
        max_length=200,
        blank=True,
        help_text='Where it was said, e.g. "interview with CNN", "televised address".',
    )
    position = models.PositiveIntegerField(default=0, help_text="Order of the quote in the story.")
    is_pull_quote = models.BooleanField(default=False, help_text="Feature this quote as a pull quote.")
    is_verified = models.BooleanField(default=False, help_text="Checked against the recording or notes.")
    confidence = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="How sure automatic attribution was (0–1); empty when set by a person.",
    )
    needs_review = models.BooleanField(
        default=False, help_text="Flagged for an editor to check the attribution."
    )
    review_note = models.CharField(max_length=300, blank=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="articles_quote_has_text"),
        ]

    def __str__(self):
        words = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"“{words}” — {self.speaker.name if self.speaker else 'unattributed'}"

    def clean(self):
        if self.block_id is None:
            return
        if self.block.article_id != self.article_id:
            raise ValidationError({"block": "The paragraph must belong to the same story."})
        problems = rules.quote_problems(
            text=self.text, paragraph_type=self.block.type, paragraph_text=self.block.text
        )
        if problems:
            raise ValidationError(problems)

    def attribute(self, speaker):
        """A person chose the speaker, so no automatic confidence or flag applies any more."""
        self.speaker = speaker
        self.confidence = None
        self.needs_review = False
        self.review_note = ""


@reversion.register()
class Byline(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        INTERVIEWER = "interviewer", "Interviewer"
        CONTRIBUTING_REPORTER = "contributing_reporter", "Contributing reporter"
        PHOTOGRAPHER = "photographer", "Photographer"
        EDITOR = "editor", "Editor"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    contributor = models.ForeignKey(
        "contributors.Contributor", on_delete=models.PROTECT, related_name="bylines"
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.AUTHOR)
    position = models.PositiveIntegerField(default=0, help_text="Order in the byline.")

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="articles_byline_one_place"),
            models.UniqueConstraint(
                fields=["article", "contributor", "role"], name="articles_byline_credited_once_per_role"
            ),
        ]

    def __str__(self):
        return f"{self.contributor} ({self.get_role_display()})"


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    note = models.TextField(max_length=5_000, help_text="Public note printed with the story.")
    created_at = models.DateTimeField(default=timezone.now, help_text="When the correction was made.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )

    class Meta:
        ordering = ["article", "created_at"]
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="articles_correction_has_note")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.note[:60]}"


class AuditEntry(models.Model):
    """Who did what to which story, and when. Written by the workflow; never edited by hand."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        SENT_BACK = "sent_back", "Sent back to the reporter"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        WENT_LIVE = "went_live", "Went live on schedule"
        UPDATED = "updated", "Updated while live"
        CORRECTED = "corrected", "Corrected"
        UNPUBLISHED = "unpublished", "Unpublished"
        KILLED = "killed", "Killed"
        RESTORED = "restored", "Restored an earlier revision"
        PREVIEWS_REVOKED = "previews_revoked", "Preview links revoked"
        EXPIRED = "expired", "Expired"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the scheduler acted.",
    )
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    # Kept so the record still reads after the story is deleted or retitled.
    headline = models.CharField(max_length=300)
    version = models.PositiveIntegerField(default=0, help_text="The story's public version afterwards.")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        who = self.actor or "scheduler"
        return f"{who} · {self.get_action_display()} · {self.headline}"


class EditingPresence(models.Model):
    """A short-lived note that someone has a story open in the admin, refreshed while the form is open."""

    # A record older than this belongs to a closed tab.
    FRESH_FOR = timedelta(seconds=90)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="articles_editingpresence_one_per_user")
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id}"

    @classmethod
    def touch(cls, article, user):
        """Record that `user` has the story open; return the others who have it open right now."""
        now = timezone.now()
        cls.objects.update_or_create(article=article, user=user, defaults={"seen_at": now})
        cls.objects.filter(seen_at__lt=now - cls.FRESH_FOR).delete()
        return list(
            cls.objects.filter(article=article, seen_at__gte=now - cls.FRESH_FOR)
            .exclude(user=user)
            .select_related("user")
            .order_by("seen_at")
        )


# Webhook subscribers and their delivery log live in their own module; Django finds models through here.
from .addresses import FormerSlug  # noqa: E402, F401
from .webhooks import Webhook, WebhookDelivery  # noqa: E402, F401
