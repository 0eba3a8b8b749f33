"""Serving stored pictures from this site's own disk, for deployments without a CDN or object storage."""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

# Only pictures are served, each with its own type: a browser must never guess a file is something else.
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}


def serve_media(request, path):
    content_type = CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404("Not a picture.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    # Stored files get new random names rather than being overwritten, so they can be cached for good.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
