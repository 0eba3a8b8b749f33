from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

FORMAT = "format"


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with an unknown `?format=` refused as the bad parameter it is rather than a 404."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            offered = ", ".join(renderer.format for renderer in renderers)
            raise ValidationError({FORMAT: [f"Unknown format. This address offers: {offered}."]}) from None
