"""Decide whether an uploaded file is a picture we accept, and re-encode it without its metadata.

The format is decided by decoding, never by the file name or the declared content type. The stored
original is encoded afresh from the decoded pixels, so nothing from the uploaded file survives except
the picture itself, its orientation (applied) and its colour profile: no GPS, no device make, model or
serial number, no maker notes, no hidden payload.
"""

import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError

from . import containers
from .metadata import read_credits

try:  # HEIC from phones, when the libheif plugin is installed
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - the plugin is a declared dependency
    pillow_heif = None

# Pillow's format names for what we accept. JPEGs with extra pictures (previews, depth maps) open as MPO.
ACCEPTED = ["JPEG", "PNG", "WEBP", "AVIF", "GIF"] + (["HEIF"] if pillow_heif else [])
ACCEPTED_NAMES = "JPEG, PNG, WebP, AVIF, GIF" + (" or HEIC" if pillow_heif else "")
# Formats whose pictures are kept lossless; everything else is stored as a high-quality JPEG.
LOSSLESS = {"PNG", "GIF"}
ORIGINAL_JPEG_QUALITY = 92
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class UploadRefused(ValueError):
    """The upload is not accepted; the message is written for the editor who sent it."""


@dataclass
class PreparedUpload:
    """A checked, cleaned picture ready to store, with what was read from its metadata."""

    sha256: str
    source_format: str
    content: bytes = field(repr=False)
    extension: str
    width: int
    height: int
    credits: dict

    @property
    def name(self):
        # A random name: the uploaded file name can identify a source or a place.
        return f"{secrets.token_hex(10)}.{self.extension}"


def _megapixels(pixels):
    return f"{pixels / 1_000_000:.1f} megapixels"


def _read(upload):
    limit = settings.IMAGE_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise UploadRefused(
            f"The file is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB."
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise UploadRefused("The file is empty.")
    if len(data) > limit:
        raise UploadRefused(f"The file is larger than the {limit / 1_048_576:.0f} MB limit.")
    return data


def _looks_like_markup(data):
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") or b"<svg" in head


def _open(data):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            return PILImage.open(io.BytesIO(data), formats=ACCEPTED)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise UploadRefused(
            f"The picture has too many pixels; the limit is {_megapixels(settings.IMAGE_MAX_PIXELS)}."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UploadRefused(f"This file is not a picture in a format we accept ({ACCEPTED_NAMES}).") from exc


def _decode(data, image_format):
    """Fully decode the picture: a damaged or cut-off file fails here, not on a reader's screen."""
    image_format = "JPEG" if image_format == "MPO" else image_format
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            PILImage.open(io.BytesIO(data), formats=[image_format]).verify()
            image = PILImage.open(io.BytesIO(data), formats=[image_format])
            image.load()
            return image
    except Exception as exc:  # Pillow's decoders raise many kinds; every one means a bad file.
        raise UploadRefused(
            f"The picture is damaged or incomplete ({exc}). Export it again from the original and retry."
        ) from exc


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info


def to_display_mode(image):
    """(RGB or RGBA picture, RGB colour profile or None meaning sRGB).

    Pictures in CMYK or greyscale profiles are converted through their profile to sRGB, because the
    formats browsers read need RGB and a profile that does not match the pixels would mislead them.
    """
    icc = image.info.get("icc_profile")
    alpha = _has_alpha(image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        except (OSError, ImageCms.PyCMSError):
            profile, icc = None, None
        if profile and profile.profile.xcolor_space.strip() != "RGB":
            mask = image.convert("RGBA").getchannel("A") if alpha else None
            source = image if image.mode in ("CMYK", "L", "RGB") else image.convert("RGB")
            try:
                image = ImageCms.profileToProfile(source, profile, SRGB, outputMode="RGB")
            except ImageCms.PyCMSError:
                image = source.convert("RGB")
            if mask:
                image.putalpha(mask)
            return image, None
    target = "RGBA" if alpha else "RGB"
    return (image if image.mode == target else image.convert(target)), icc


def prepare_upload(upload):
    """Check an uploaded file and return it re-encoded, or raise UploadRefused with the reason."""
    data = _read(upload)
    if _looks_like_markup(data):
        raise UploadRefused(
            "SVG and other markup files are not accepted: they can carry script. Upload a JPEG or PNG."
        )
    probe = _open(data)
    image_format, (width, height) = probe.format, probe.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise UploadRefused(
            f"The picture is {width}×{height} pixels ({_megapixels(width * height)}); "
            f"the limit is {_megapixels(settings.IMAGE_MAX_PIXELS)}."
        )
    if image_format != "MPO" and getattr(probe, "n_frames", 1) > 1:
        raise UploadRefused(
            "Animated or multi-picture files are not accepted; upload a single still picture."
        )
    try:
        containers.check(data, image_format)
    except containers.ContainerError as exc:
        raise UploadRefused(
            f"The file is not a plain picture: {exc}. Export it again as a plain {image_format} and retry."
        ) from exc

    image = _decode(data, image_format)
    credits = read_credits(image)
    ImageOps.exif_transpose(image, in_place=True)
    picture, icc = to_display_mode(image)
    del image
    lossless = image_format in LOSSLESS or picture.mode == "RGBA"
    buffer = io.BytesIO()
    if lossless:
        picture.save(buffer, "PNG", icc_profile=icc)
    else:
        picture.save(buffer, "JPEG", quality=ORIGINAL_JPEG_QUALITY, icc_profile=icc, optimize=True)
    return PreparedUpload(
        sha256=hashlib.sha256(data).hexdigest(),
        source_format=image_format.replace("MPO", "JPEG"),
        content=buffer.getvalue(),
        extension="png" if lossless else "jpg",
        width=picture.width,
        height=picture.height,
        credits=credits,
    )
