"""The desk's own records: who did what to a story, and who has it open right now."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from .stories import Article


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
