"""What a story is made of: its body blocks, the quotes in them, its bylines and its corrections."""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from contributors.models import Contributor

from ..content import rules
from ..content.limits import MAX_BLOCK_TEXT, stored_text
from .stories import Article


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
        "Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blocks",
        help_text="For image blocks.",
    )
    embed = models.ForeignKey(
        "Embed",
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
        "Speaker",
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


def public_contributors():
    """Journalists credited on at least one public story (the contributors app knows nothing of stories)."""
    public = Article.objects.public()
    return Contributor.objects.filter(
        Exists(Byline.objects.filter(contributor=OuterRef("pk"), article__in=public))
    )


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
