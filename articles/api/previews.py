"""What the API's preview-link actions read and answer (see writes.py)."""

from rest_framework import serializers

from .. import preview

HOURS = int(preview.MAX_LIFETIME.total_seconds() // 3600)


class PreviewLinkInput(serializers.Serializer):
    hours = serializers.IntegerField(
        min_value=1,
        max_value=HOURS,
        default=int(preview.DEFAULT_LIFETIME.total_seconds() // 3600),
        help_text=f"How long the link works, 1 to {HOURS} hours.",
    )


class PreviewLinkSerializer(serializers.Serializer):
    page = serializers.URLField(help_text="The reader page, for people.")
    api = serializers.URLField(help_text="The API detail, same JSON as the public one, for a frontend.")
    expires_at = serializers.DateTimeField()
