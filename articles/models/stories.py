"""Stories, and the sections and tags they are filed under."""

import functools
import hashlib
from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from contributors.models import Contributor

from .. import publication
from ..content.rules import unattributed_problem
from .addresses import slug_changed, slug_owner
from .folding import Fold, fold

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


class ArticleQuerySet(models.QuerySet):
    _cost_limit = None

    def _clone(self):
        clone = super()._clone()
        clone._cost_limit = self._cost_limit
        return clone

    def _fetch_all(self):
        if self._result_cache is None and self._cost_limit is not None:
            with self._cost_limit(self.db):
                super()._fetch_all()
        else:
            super()._fetch_all()

    def public(self, at=None):
        """The publication rule: what an anonymous reader may see. Every public surface starts here."""
        return self.filter(publication.public_q(at or timezone.now()))

    def killed(self):
        """Stories withdrawn for good after readers saw them; their addresses answer 410 with the notice.

        A story killed before it ever went live (scheduled, or still under embargo) was never public:
        its address answers exactly like one that never existed, so the 410 cannot reveal it.
        """
        return self.filter(publication.killed_q(timezone.now()))

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
        moments = self.filter(status__in=publication.LIVE_STATUSES).aggregate(
            **publication.visibility_changes(at or timezone.now())
        )
        return min((moment for moment in moments.values() if moment), default=None)

    def with_related(self):
        """Everything a story page or API detail renders, in three queries whatever the story's size:
        the stories (with section, lead image and, folded in, tags, bylines, corrections and the lead
        image's renditions), their blocks (with quotes, speakers, pictures and those renditions), and
        their quotes with speakers. See folding.py."""
        folds = story_folds()
        blocks = fold(
            part("blocks").objects.select_related("quote__speaker", "image", "embed").order_by("position"),
            ("image", folds["image_renditions"]),
        )
        return fold(
            self.defer("search_vector")
            .select_related("section", "lead_image")
            .prefetch_related(
                models.Prefetch("blocks", queryset=blocks),
                models.Prefetch(
                    "quotes",
                    queryset=part("quotes").objects.select_related("speaker").order_by("position", "id"),
                ),
            ),
            ("", folds["tags"]),
            ("", folds["bylines"]),
            ("", folds["corrections"]),
            ("lead_image", folds["lead_renditions"]),
        )

    def with_listing(self):
        """What a list of stories shows — headline, tags, bylines, lead image — in one query."""
        folds = story_folds()
        return fold(
            self.defer("search_vector").select_related("section", "lead_image"),
            ("", folds["tags"]),
            ("", folds["bylines"]),
            ("lead_image", folds["lead_renditions"]),
        )


def part(name):
    """The model of the story's related set `name`; the parts are defined above this module (records.py)."""
    return Article._meta.get_field(name).related_model


@functools.cache
def story_folds():
    """The small related sets of a story that fold into its own query (see folding.py); made once."""
    rendition = (
        Article._meta.get_field("lead_image").related_model._meta.get_field("renditions").related_model
    )
    renditions = {"model": rendition, "link": "image_id", "order": ("ratio", "format", "width")}
    return {
        "tags": Fold(
            "tags", Tag, link="article_id", source=Article.tags.through, prefix="tag__", order=("name",)
        ),
        "bylines": Fold(
            "bylines",
            part("bylines"),
            link="article_id",
            nested={"contributor": Contributor},
            order=("position",),
        ),
        "corrections": Fold(
            "corrections", part("corrections"), link="article_id", order=("created_at", "id")
        ),
        "lead_renditions": Fold("renditions", outer="lead_image_id", **renditions),
        "image_renditions": Fold("renditions", outer="image_id", **renditions),
    }


@reversion.register(follow=["blocks", "bylines", "quotes"])
class Article(models.Model):
    Status = publication.Status
    LIVE_STATUSES = publication.LIVE_STATUSES
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
        "Image", null=True, blank=True, on_delete=models.PROTECT, related_name="lead_of"
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
                condition=publication.live_needs_go_live_q(), name="articles_article_live_needs_go_live"
            ),
            models.CheckConstraint(
                condition=publication.expires_after_go_live_q(), name="articles_article_expires_after_go_live"
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        previous = getattr(self, "_saved_slug", None)
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if previous and previous != self.slug:
                slug_changed(self, previous)
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
        return publication.is_public(self, at or timezone.now())

    @property
    def etag(self):
        """Strong validator of the stored story: every save moves `updated_at`, every republish `version`.

        API writes compare it with `If-Match`, and HTTP caching sends it as the `ETag`, so both agree.
        """
        stamp = f"{self.pk}:{self.updated_at.isoformat()}:{self.version}"
        return f'"{hashlib.sha256(stamp.encode()).hexdigest()[:32]}"'

    def clean(self):
        if self.slug and slug_owner(self.slug, article=self.pk and self) is not None:
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
        if unattributed := unattributed_problem(self.quotes.filter(speaker=None).count()):
            problems.append(unattributed)
        return problems
