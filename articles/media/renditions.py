"""Responsive renditions: a declared set of widths, formats and crops, made once and stored.

Crops for fixed ratios are centred on the editor's focal point. Files go through the field's storage,
so object storage behind django-storages works unchanged; nothing is ever resized per request.
"""

import io
import logging
import math
import time
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image as PILImage

from ..models import Image, Rendition, delete_files_after_commit
from ..signals import renditions_wanted
from .processing import to_display_mode

log = logging.getLogger(__name__)

ENCODE = {
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
    "avif": {"format": "AVIF", "quality": 60, "speed": 8},
}
EXTENSIONS = {"jpeg": "jpg", "webp": "webp", "avif": "avif"}


@dataclass(frozen=True)
class Spec:
    ratio: str
    width: int
    height: int
    format: str
    box: tuple  # (left, upper, right, lower) in the original's pixels

    @property
    def key(self):
        return self.ratio, self.width, self.format


def ratio_value(ratio):
    across, down = ratio.split(":")
    return int(across) / int(down)


def crop_box(width, height, ratio, focal_x, focal_y):
    """The largest box of `ratio` inside the picture, centred on the focal point as far as it fits."""
    if ratio == "original":
        return 0, 0, width, height
    wanted = ratio_value(ratio)
    crop_w, crop_h = (
        (width, round(width / wanted)) if width / height <= wanted else (round(height * wanted), height)
    )
    crop_w, crop_h = min(crop_w, width), min(crop_h, height)
    left = min(max(round(focal_x * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal_y * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def plan(image):
    """Every rendition the image should have: per crop, widest first, each width in every format."""
    specs = []
    for ratio in Rendition.Ratio.values:
        box = crop_box(image.width, image.height, ratio, image.focal_x, image.focal_y)
        crop_w, crop_h = box[2] - box[0], box[3] - box[1]
        # Never upscale: a crop narrower than the widest declared width also gets one at its own width.
        widths = [w for w in settings.IMAGE_RENDITION_WIDTHS if w < crop_w]
        if crop_w <= max(settings.IMAGE_RENDITION_WIDTHS):
            widths.append(crop_w)
        for width in sorted(widths, reverse=True):
            for fmt in settings.IMAGE_RENDITION_FORMATS:
                specs.append(Spec(ratio, width, max(1, round(width * crop_h / crop_w)), fmt, box))
    return specs


def _decode_for(image, specs):
    """Open the stored original, decoding big JPEGs at a reduced scale when no rendition needs more."""
    with image.file.open("rb") as handle:
        picture = PILImage.open(handle)
        scale = max(s.width / (s.box[2] - s.box[0]) for s in specs)
        # JPEG decodes at 1/2, 1/4 or 1/8 scale for a fraction of the memory; other formats ignore this.
        picture.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        picture.load()
    return to_display_mode(picture)


def _resized(picture, factor, specs):
    """(spec group, pixels) per crop and width, widest first.

    Each crop is resized from the decoded original once, then every narrower width from the one before:
    a third of a big original's resampling work, and each format of a width shares the same pixels.
    """
    for _, of_ratio in groupby(specs, key=lambda s: s.ratio):
        previous = None
        for _, group in groupby(of_ratio, key=lambda s: s.width):
            group = list(group)
            size = (group[0].width, group[0].height)
            if previous is None:
                box = tuple(edge * factor for edge in group[0].box)
                previous = picture.resize(size, PILImage.Resampling.LANCZOS, box=box, reducing_gap=3.0)
            else:
                previous = previous.resize(size, PILImage.Resampling.LANCZOS)
            yield group, previous


def encode(pixels, fmt, icc):
    if fmt == "jpeg" and pixels.mode == "RGBA":
        flat = PILImage.new("RGB", pixels.size, (255, 255, 255))
        flat.paste(pixels, mask=pixels.getchannel("A"))
        pixels = flat
    buffer = io.BytesIO()
    pixels.save(buffer, icc_profile=icc, **ENCODE[fmt])
    return buffer.getvalue()


def rendition_name(image, spec):
    ratio = spec.ratio.replace(":", "x")
    return f"{spec.width}w-{ratio}.{EXTENSIONS[spec.format]}"


def generate_renditions(image_id, *, budget_seconds=None):
    """Make the renditions image `image_id` lacks; returns how many were made.

    Safe to run twice or in parallel: a rendition that already exists is skipped. With a time budget it
    stops starting new work once the budget is spent; the worker's task (or `manage.py
    generate_renditions --missing`) completes the rest.
    """
    started = time.monotonic()
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not image.file:
        return 0
    done = {(r.ratio, r.width, r.format) for r in image.renditions.all()}
    todo = [spec for spec in plan(image) if spec.key not in done]
    if not todo:
        return 0
    picture, icc = _decode_for(image, todo)
    made = 0
    for group, pixels in _resized(picture, picture.width / image.width, todo):
        for spec in group:
            if budget_seconds is not None and time.monotonic() - started > budget_seconds:
                return made
            rendition = Rendition(
                image=image, ratio=spec.ratio, width=spec.width, height=spec.height, format=spec.format
            )
            content = ContentFile(encode(pixels, spec.format, icc))
            rendition.file.save(rendition_name(image, spec), content, save=False)
            try:
                with transaction.atomic():
                    rendition.save()
            except IntegrityError:  # made meanwhile by another worker
                rendition.file.delete(save=False)
                continue
            made += 1
    return made


def schedule_renditions(image_id):
    """Queue the image's renditions for the worker, in the same transaction as the image itself.

    With IMAGE_RENDITIONS_INLINE_SECONDS above zero (a site run without a worker), as many as fit in
    that time are also made right after the commit; the queued task makes whatever is left.
    """
    renditions_wanted.send(sender=Image, image_id=image_id)
    budget = settings.IMAGE_RENDITIONS_INLINE_SECONDS
    if budget <= 0:
        return

    def run():
        try:
            generate_renditions(image_id, budget_seconds=budget)
        except Exception:  # a failed rendition must never fail the editor's save; the task retries
            log.exception("Renditions for image %s failed", image_id)

    transaction.on_commit(run)


def discard_crops(image):
    """The focal point moved, so the crops are wrong: remove them and make new ones after commit."""
    crops = image.renditions.exclude(ratio=Rendition.Ratio.ORIGINAL)
    names = list(crops.values_list("file", flat=True))
    crops.delete()
    delete_files_after_commit(Rendition._meta.get_field("file").storage, names)
    schedule_renditions(image.pk)
