from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse


def validate_links(value):
    """Links are a list of {"label": ..., "url": ...} with http(s) URLs only."""
    if not isinstance(value, list):
        raise ValidationError("Links must be a list of {label, url} objects.")
    check_url = URLValidator(schemes=["http", "https"])
    for link in value:
        if not isinstance(link, dict) or set(link) != {"label", "url"}:
            raise ValidationError('Each link needs exactly a "label" and a "url".')
        if not isinstance(link["label"], str) or not link["label"].strip():
            raise ValidationError("Each link needs a label.")
        check_url(link["url"])


class Contributor(models.Model):
    """A journalist credited on stories. People quoted in stories are Speakers, not contributors."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="Used in the contributor's public URL.")
    title = models.CharField(max_length=200, blank=True, help_text='Job title, e.g. "Senior correspondent".')
    organisation = models.CharField(max_length=200, blank=True, help_text="Outlet they work for.")
    bio = models.TextField(blank=True, max_length=5_000, help_text="A short public biography, plain text.")
    headshot = models.ImageField(upload_to="contributors/", blank=True)
    links = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_links],
        help_text='Public links, e.g. [{"label": "Website", "url": "https://…"}].',
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
        help_text="The login this journalist uses, if any. Never shown publicly.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contributor-page", kwargs={"slug": self.slug})
