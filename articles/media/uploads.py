"""Adding a picture to the library: the one way in, used by the admin, the API and the seed."""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from ..models import Image
from .processing import UploadRefused, prepare_upload
from .renditions import schedule_renditions


class DuplicateImage(UploadRefused):
    """The same file is already in the library; `existing` is the image to reuse."""

    def __init__(self, existing):
        self.existing = existing
        super().__init__(
            f"This picture is already in the library as image {existing.pk} (“{existing}”). "
            "Use that one rather than uploading it again."
        )


def find_duplicate(prepared):
    return Image.objects.filter(sha256=prepared.sha256).first()


def image_create(*, prepared, image=None, **fields):
    """Store a prepared upload as a new Image (`image`, or one made from `fields`); schedule renditions.

    Caption, credit and copyright found in the file fill only the fields the editor left blank.
    """
    if existing := find_duplicate(prepared):
        raise DuplicateImage(existing)
    image = image or Image(**fields)
    for name, found in prepared.credits.items():
        if found and not getattr(image, name).strip():
            limit = Image._meta.get_field(name).max_length
            setattr(image, name, found[:limit] if limit else found)
    image.sha256, image.source_format = prepared.sha256, prepared.source_format
    image.file.save(prepared.name, ContentFile(prepared.content), save=False)
    image.width, image.height = prepared.width, prepared.height
    try:
        with transaction.atomic():
            image.save()
    except IntegrityError:
        # Uploaded at the same moment by someone else: keep theirs, offer it for reuse.
        image.file.delete(save=False)
        raise DuplicateImage(Image.objects.get(sha256=prepared.sha256)) from None
    schedule_renditions(image.pk)
    return image


def image_upload(upload, **fields):
    """Check, clean and store an uploaded file; raises UploadRefused (or DuplicateImage) with the reason."""
    return image_create(prepared=prepare_upload(upload), **fields)
