"""The photo pipeline: what is refused, what is stripped, what is kept, and the renditions made once."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image as PILImage

from articles.media.processing import UploadRefused, prepare_upload
from articles.media.renditions import crop_box, generate_renditions, plan
from articles.media.uploads import DuplicateImage, image_upload
from articles.models import Image, Rendition
from tests.helpers import imagefiles as files
from tests.helpers.refused_files import REFUSED

pytestmark = pytest.mark.django_db

# What must not survive anywhere we store: location (in EXIF or XMP), device, serial number, maker
# notes, and the raw metadata blocks themselves. (A bare b"GPS" could occur by chance in compressed pixels.)
PRIVATE = [
    b"GPSLatitude",
    files.SERIAL.encode(),
    files.MAKER_NOTE,
    b"Canon",
    b"EOS R5",
    b"Exif\x00\x00",
    b"xmpmeta",
]


@pytest.fixture(autouse=True)
def small_renditions(settings):
    settings.IMAGE_RENDITION_WIDTHS = [160, 320]


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def opened(path_or_bytes):
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return data, PILImage.open(io.BytesIO(data))


def assert_nothing_private(data):
    for secret in PRIVATE:
        assert secret not in data, secret
    picture = PILImage.open(io.BytesIO(data))
    assert not picture.getexif() and not picture.getexif().get_ifd(0x8825)
    assert "xmp" not in picture.info and "exif" not in picture.info


def phone_photo(**options):
    return files.jpeg(
        (120, 80),
        exif=files.exif_with_location(**options),
        xmp=files.XMP,
        iptc=True,
        icc=files.srgb_profile(),
    )


# Privacy


def test_no_stored_original_or_rendition_keeps_location_device_or_maker_notes():
    upload = phone_photo()
    for secret in PRIVATE[:-1]:
        assert secret in upload  # the test file really carries them
    assert PILImage.open(io.BytesIO(upload)).getexif().get_ifd(0x8825)
    image = image_upload(files.upload(upload))
    generate_renditions(image.pk)
    stored = stored_files()
    assert len(stored) == 1 + image.renditions.count() > 1
    for path in stored:
        assert_nothing_private(path.read_bytes())


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_exif_location_is_stripped_from_png_and_webp_too(fmt):
    image = image_upload(files.upload(files.encoded(fmt, exif=files.exif_with_location()), name="x.bin"))
    generate_renditions(image.pk)
    for path in stored_files():
        assert_nothing_private(path.read_bytes())


def test_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera was turned; the picture must be stored the way it is seen.
    image = image_upload(files.upload(phone_photo(orientation=6)))
    assert (image.width, image.height) == (80, 120)
    _, stored = opened(image.file.path)
    assert stored.size == (80, 120)
    red, green, blue = stored.convert("RGB").getpixel((stored.width - 3, 3))
    assert red > 200 and green < 60  # the red top-left corner is now top-right


def test_the_colour_profile_is_kept_in_the_original_and_every_rendition():
    profile = files.srgb_profile()
    image = image_upload(files.upload(phone_photo()))
    generate_renditions(image.pk)
    for path in stored_files():
        assert opened(path)[1].info.get("icc_profile") == profile, path.name


def test_caption_credit_and_copyright_are_read_from_xmp_first():
    image = image_upload(files.upload(phone_photo()))
    assert image.caption == "Rescuers search the rubble in Kramatorsk"
    assert image.credit == "Olena Photographer / Wire Agency"
    assert image.copyright == "(c) Wire Agency 2026"


def test_iptc_and_exif_credits_are_read_when_there_is_no_xmp():
    iptc = image_upload(files.upload(files.jpeg(iptc=True)))
    assert (iptc.caption, iptc.credit, iptc.copyright) == (
        "IPTC caption",
        "Iptc Byline / Iptc Credit",
        "Iptc Rights",
    )
    exif = image_upload(files.upload(files.jpeg(exif=files.exif_with_location(), quality=80)))
    assert (exif.caption, exif.credit, exif.copyright) == (
        "Caption from EXIF",
        "Exif Artist",
        "Exif Copyright",
    )


def test_camera_boilerplate_is_not_taken_for_a_caption():
    image = image_upload(
        files.upload(files.jpeg(exif=files.exif_with_location(description="OLYMPUS DIGITAL CAMERA")))
    )
    assert image.caption == ""


def test_what_the_editor_typed_is_kept_and_only_blank_fields_are_filled():
    image = image_upload(files.upload(phone_photo()), caption="Our own caption", alt_text="Rubble")
    assert image.caption == "Our own caption" and image.alt_text == "Rubble"
    assert image.credit == "Olena Photographer / Wire Agency"


def test_the_stored_file_name_says_nothing_about_the_upload():
    image = image_upload(files.upload(files.jpeg(), name="kramatorsk-safehouse-ivan.jpg"))
    assert "kramatorsk" not in image.file.name and image.file.name.endswith(".jpg")


# What is accepted: the format is decided by decoding


@pytest.mark.parametrize(
    ("fmt", "options", "stored_as"),
    [
        ("JPEG", {}, "jpg"),
        ("PNG", {}, "png"),
        ("WEBP", {"quality": 80}, "jpg"),
        ("AVIF", {"quality": 60}, "jpg"),
        ("GIF", {}, "png"),
        ("HEIF", {}, "jpg"),
    ],
)
def test_each_accepted_format_is_stored_re_encoded(fmt, options, stored_as):
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    image = image_upload(files.upload(files.encoded(fmt, **options), name="upload.dat"))
    assert image.source_format == fmt
    assert image.file.name.endswith(f".{stored_as}")
    assert opened(image.file.path)[1].size == (96, 64)


def test_a_png_named_jpg_is_treated_as_the_png_it_is():
    image = image_upload(files.upload(files.encoded("PNG"), name="photo.jpg", content_type="image/jpeg"))
    assert image.source_format == "PNG" and image.file.name.endswith(".png")


def test_transparency_survives_and_the_jpeg_rendition_is_flattened_on_white():
    image = image_upload(files.upload(files.encoded("PNG", mode="RGBA")))
    generate_renditions(image.pk)
    assert opened(image.file.path)[1].mode == "RGBA"
    jpeg = image.renditions.filter(format="jpeg").first()
    assert opened(jpeg.file.path)[1].mode == "RGB"


def test_a_camera_jpeg_with_mpf_preview_images_is_accepted():
    first, second = files.picture(), files.picture((48, 32))
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    image = image_upload(files.upload(buffer.getvalue()))
    assert image.source_format == "JPEG" and (image.width, image.height) == (96, 64)


# What is refused, with a message, storing nothing


@pytest.mark.parametrize("data, message", REFUSED.values(), ids=REFUSED.keys())
def test_bad_files_are_refused_with_a_reason_and_nothing_is_stored(data, message):
    with pytest.raises(UploadRefused, match=message):
        image_upload(files.upload(data, name="photo.jpg"))
    assert Image.objects.count() == 0 and stored_files() == []


def test_pictures_over_the_pixel_limit_are_refused(settings):
    settings.IMAGE_MAX_PIXELS = 96 * 64 - 1
    with pytest.raises(UploadRefused, match=r"96×64 pixels .* the limit is 0\.0 megapixels"):
        prepare_upload(files.upload(files.jpeg()))


def test_files_over_the_byte_limit_are_refused(settings):
    data = files.jpeg()
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(UploadRefused, match="MB"):
        prepare_upload(files.upload(data))


def test_padding_after_the_picture_is_harmless():
    assert prepare_upload(files.upload(files.jpeg() + b"\x00" * 512)).source_format == "JPEG"


# Duplicates


def test_the_same_file_twice_is_recognised_and_offered_for_reuse():
    data = phone_photo()
    first = image_upload(files.upload(data))
    with pytest.raises(DuplicateImage) as refused:
        image_upload(files.upload(data, name="again.jpg"))
    assert refused.value.existing == first and f"image {first.pk}" in str(refused.value)
    assert Image.objects.count() == 1 and len(stored_files()) == 1
    assert first.sha256 and len(first.sha256) == 64


# Renditions


def test_crops_are_centred_on_the_focal_point_and_stay_inside_the_picture():
    assert crop_box(1600, 900, "1:1", 0.5, 0.5) == (350, 0, 1250, 900)
    assert crop_box(1600, 900, "1:1", 0.1, 0.5) == (0, 0, 900, 900)
    assert crop_box(1600, 900, "1:1", 0.9, 0.5) == (700, 0, 1600, 900)
    assert crop_box(1000, 1000, "16:9", 0.5, 0.6) == (0, 319, 1000, 881)
    assert crop_box(1000, 1000, "16:9", 0.5, 0.9) == (0, 438, 1000, 1000)
    assert crop_box(1000, 1000, "16:9", 0.5, 0.0) == (0, 0, 1000, 562)
    assert crop_box(1000, 800, "original", 0.2, 0.2) == (0, 0, 1000, 800)


def test_the_declared_widths_formats_and_crops_are_made_once_through_storage():
    image = image_upload(files.upload(files.jpeg((400, 300))))
    made = generate_renditions(image.pk)
    renditions = list(image.renditions.all())
    assert made == len(renditions) == len(plan(image))
    # Never wider than the crop: a 300-pixel square crop gets 300 rather than the declared 320.
    assert {(r.ratio, r.width) for r in renditions} == {
        ("original", 160),
        ("original", 320),
        ("16:9", 160),
        ("16:9", 320),
        ("1:1", 160),
        ("1:1", 300),
    }
    assert {r.format for r in renditions} == {"avif", "webp", "jpeg"}
    for rendition in renditions:
        _, picture = opened(rendition.file.path)
        assert picture.size == (rendition.width, rendition.height)
        assert picture.format == {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}[rendition.format]
        assert rendition.file.name.startswith(image.file.name.rsplit(".", 1)[0] + "/")
    names = {r.file.name for r in renditions}
    assert generate_renditions(image.pk) == 0
    assert {r.file.name for r in image.renditions.all()} == names


def test_the_square_crop_follows_the_focal_point():
    image = image_upload(files.upload(files.jpeg((400, 200))), focal_x=0.0, focal_y=0.0)
    generate_renditions(image.pk)
    square = image.renditions.get(ratio="1:1", format="jpeg", width=160)
    red, green, _ = opened(square.file.path)[1].convert("RGB").getpixel((5, 5))
    assert red > 200 and green < 60  # the red top-left corner is in the crop


def test_an_upload_queues_its_renditions_for_the_worker(django_capture_on_commit_callbacks, run_worker):
    with django_capture_on_commit_callbacks(execute=True):
        image = image_upload(files.upload(files.jpeg()))
    assert image.renditions.count() == 0  # the editor did not wait for them
    run_worker()
    assert image.renditions.count() == len(plan(image))


def test_a_time_budget_stops_rendition_work_and_the_rest_is_made_later():
    image = image_upload(files.upload(files.jpeg((400, 300))))
    assert generate_renditions(image.pk, budget_seconds=0) == 0
    assert generate_renditions(image.pk) == len(plan(image))


def test_big_jpegs_are_decoded_at_a_reduced_scale_for_renditions(monkeypatch):
    image = image_upload(files.upload(files.jpeg((2400, 1600))))
    sizes = []
    original_load = PILImage.Image.load

    def spy(picture):
        result = original_load(picture)
        sizes.append(picture.size)
        return result

    monkeypatch.setattr(PILImage.Image, "load", spy)
    generate_renditions(image.pk)
    # The widest rendition is 320 wide (from a 1600-wide square crop): a 1/4 scale decode suffices.
    assert (600, 400) in sizes and (2400, 1600) not in sizes


def test_deleting_an_image_removes_its_files(django_capture_on_commit_callbacks):
    image = image_upload(files.upload(files.jpeg()))
    generate_renditions(image.pk)
    assert stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert stored_files() == [] and Rendition.objects.count() == 0
