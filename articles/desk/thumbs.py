"""Small previews for admin lists and pickers: pictures by a thumbnail, paragraphs by their words."""

from django.utils.html import format_html

from articles.content.markup import strip_tags
from articles.models import Rendition


def thumbnail_url(image):
    """The smallest stored JPEG rendition as shot, else the original file; "" without a picture."""
    if image is None or not image.file:
        return ""
    renditions = [
        r for r in image.renditions.all() if r.ratio == Rendition.Ratio.ORIGINAL and r.format == "jpeg"
    ]
    return min(renditions, key=lambda r: r.width).file.url if renditions else image.file.url


def thumbnail(image, width=120):
    """A small preview: the smallest stored rendition when there is one, else the original scaled down."""
    url = thumbnail_url(image)
    if not url:
        return "—"
    return format_html('<img src="{}" width="{}" alt="" loading="lazy" class="image-thumbnail">', url, width)


def paragraph_label(block):
    """A paragraph as editors recognise it: its number from 1 and its opening words."""
    words = strip_tags(block.text)
    return f"{block.position + 1}. {words if len(words) <= 80 else words[:79] + '…'}"
