"""A story's API representation kept with it; read and written by articles/documents.py."""

from django.db import models


class StoryDocument(models.Model):
    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="document"
    )
    stamp = models.PositiveBigIntegerField(
        default=0, help_text="Raised by every change to the story or what it shows."
    )
    variant = models.CharField(
        max_length=200, blank=True, help_text="The release and scheme the document was built for."
    )
    body = models.BinaryField(null=True, help_text="The API detail's bytes; empty while stale.")
    headers = models.TextField(blank=True, help_text="The response headers the stack sent, as JSON.")
    etag = models.CharField(max_length=100, blank=True)
    last_modified = models.FloatField(default=0)
    row = models.BinaryField(null=True, help_text="The story's bytes in API lists; empty while stale.")
    row_keys = models.TextField(blank=True, help_text="The surrogate keys the list row names.")
    row_release = models.CharField(max_length=100, blank=True, help_text="The release the row was built by.")

    class Meta:
        db_table = "articles_storydocument"

    def __str__(self):
        return f"Document of story {self.article_id} (stamp {self.stamp})"
