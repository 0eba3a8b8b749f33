"""Responsive <picture> markup data for an Image: modern formats first, the original as the fallback."""

from collections import defaultdict
from dataclasses import dataclass, field

MEDIA_TYPES = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
}
# Browsers take the first <source> they support, so the smallest files come first.
MODERN_TYPES = ("image/avif", "image/webp")
# The story column is 42rem wide at most; below that a picture spans the screen.
COLUMN_SIZES = "(min-width: 44rem) 42rem, 100vw"


@dataclass
class Source:
    type: str
    srcset: str


@dataclass
class Picture:
    image: object
    src: str
    srcset: str = ""
    sources: list = field(default_factory=list)
    sizes: str = COLUMN_SIZES


def renditions(image):
    """The image's stored renditions, prefetched with the story; none means the original only."""
    manager = getattr(image, "renditions", None)
    return list(manager.all()) if manager is not None else []


def media_type(image_or_rendition):
    name = getattr(image_or_rendition, "format", "") or image_or_rendition.file.name.rsplit(".", 1)[-1]
    return MEDIA_TYPES.get(str(name).lower(), "application/octet-stream")


def _same_shape(rendition, image):
    # Fixed-ratio crops (1:1, 16:9) are for cards and social previews; in a story the photo keeps
    # the shape the photographer chose. A crop that happens to match it would repeat every width.
    if getattr(rendition, "ratio", "original") != "original":
        return False
    if not (rendition.height and image.height):
        return False
    return abs(rendition.width / rendition.height - image.width / image.height) < 0.01


def _srcset(renditions):
    return ", ".join(f"{r.file.url} {r.width}w" for r in sorted(renditions, key=lambda r: r.width))


def picture(image, sizes=COLUMN_SIZES):
    by_type = defaultdict(list)
    for rendition in renditions(image):
        if _same_shape(rendition, image):
            by_type[media_type(rendition)].append(rendition)
    sources = [Source(t, _srcset(by_type.pop(t))) for t in MODERN_TYPES if t in by_type]
    fallback = [r for renditions in by_type.values() for r in renditions]
    return Picture(image=image, src=image.file.url, srcset=_srcset(fallback), sources=sources, sizes=sizes)
