"""The photo pipeline where the desk meets it: the upload API, the admin, publishing, the seed, serving."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from knox.models import AuthToken
from PIL import Image as PILImage

from articles.media.renditions import generate_renditions, plan
from articles.media.serving import serve_media
from articles.media.uploads import image_upload
from articles.models import Block, Image, Rendition
from tests.factories import ArticleFactory, BlockFactory, UserFactory
from tests.helpers import imagefiles as files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_renditions(settings):
    settings.IMAGE_RENDITION_WIDTHS = [160, 320]


def photo():
    return files.jpeg((200, 150), exif=files.exif_with_location(), xmp=files.XMP)


def token_for(user):
    return {"HTTP_AUTHORIZATION": f"Token {AuthToken.objects.create(user=user)[1]}"}


# The upload API


def test_staff_upload_a_picture_and_get_its_id_url_size_and_renditions(api_client, reporter):
    response = api_client.post(
        "/api/v1/images/",
        {"file": files.upload(photo()), "alt_text": "Rubble", "focal_x": "0.25"},
        format="multipart",
        **token_for(reporter),
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert {"id", "url", "width", "height", "renditions"} <= set(data)
    assert (data["width"], data["height"]) == (200, 150) and data["url"].startswith("http")
    assert data["renditions"] == []  # made by the worker, not while the editor waits
    assert data["credit"] == "Olena Photographer / Wire Agency" and data["alt_text"] == "Rubble"
    image = Image.objects.get(pk=data["id"])
    assert image.focal_x == 0.25
    assert DBTaskResult.objects.filter(task_path="articles.tasks.make_renditions").exists()


def test_a_session_login_can_upload_too(client, editor):
    client.force_login(editor)
    response = client.post("/api/v1/images/", {"file": files.upload(photo())})
    assert response.status_code == 201


def test_readers_and_staff_without_the_right_cannot_upload(api_client):
    assert api_client.post("/api/v1/images/", {"file": files.upload(photo())}).status_code == 401
    nobody = UserFactory(is_staff=True)
    response = api_client.post("/api/v1/images/", {"file": files.upload(photo())}, **token_for(nobody))
    assert response.status_code == 403
    assert Image.objects.count() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<svg onload='alert(1)'/>", "SVG"),
        (files.jpeg() + b"PK\x03\x04 payload", "follow the end of the picture"),
        (b"", "empty"),
    ],
)
def test_a_refused_upload_answers_400_naming_the_reason(api_client, reporter, data, message):
    response = api_client.post(
        "/api/v1/images/", {"file": files.upload(data)}, format="multipart", **token_for(reporter)
    )
    assert response.status_code == 400
    body = response.json()
    assert message in body["fields"]["file"][0]["message"]
    assert Image.objects.count() == 0


def test_an_out_of_frame_focal_point_is_a_field_error(api_client, reporter):
    response = api_client.post(
        "/api/v1/images/", {"file": files.upload(photo()), "focal_x": "1.5"}, **token_for(reporter)
    )
    assert response.status_code == 400 and "focal_x" in response.json()["fields"]


def test_uploading_the_same_file_again_answers_409_with_the_existing_image(api_client, reporter):
    auth = token_for(reporter)
    first = api_client.post("/api/v1/images/", {"file": files.upload(photo())}, **auth).json()
    response = api_client.post("/api/v1/images/", {"file": files.upload(photo(), name="copy.jpg")}, **auth)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate" and f"image {first['id']}" in body["message"]
    assert body["existing"]["id"] == first["id"] and body["existing"]["url"] == first["url"]
    assert Image.objects.count() == 1


def test_new_pictures_stay_out_of_the_public_list_until_a_public_story_shows_them(
    api_client, reporter, published_article
):
    created = api_client.post(
        "/api/v1/images/", {"file": files.upload(photo())}, **token_for(reporter)
    ).json()
    api_client.credentials()
    assert api_client.get(f"/api/v1/images/{created['id']}/").status_code == 404
    published_article.lead_image_id = created["id"]
    published_article.save()
    generate_renditions(created["id"])
    shown = api_client.get(f"/api/v1/images/{created['id']}/").json()
    # srcset-ready: modern formats first within each crop, narrowest first within each format.
    originals = [(r["format"], r["width"]) for r in shown["renditions"] if r["ratio"] == "original"]
    assert originals == [
        ("avif", 160),
        ("avif", 200),
        ("webp", 160),
        ("webp", 200),
        ("jpeg", 160),
        ("jpeg", 200),
    ]
    assert all(r["url"].startswith("http") for r in shown["renditions"])


# The admin


@pytest.fixture
def desk(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("chief", "c@n.test", "a long test password")
    )
    return client


def admin_upload(desk, data, **fields):
    return desk.post(
        reverse("admin:articles_image_add"),
        {"file": files.upload(data), "alt_text": "", "caption": "", "credit": "", "copyright": "", **fields}
        | {"focal_x": fields.get("focal_x", 0.5), "focal_y": fields.get("focal_y", 0.5)},
    )


def test_the_desk_uploads_through_the_admin_and_the_credits_fill_in(desk):
    response = admin_upload(desk, photo(), alt_text="Rubble")
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.alt_text == "Rubble" and image.credit == "Olena Photographer / Wire Agency"
    stored = PILImage.open(image.file.path)
    assert not stored.getexif().get_ifd(0x8825) and "exif" not in stored.info


def test_a_bad_file_in_the_admin_is_a_form_error_and_nothing_is_stored(desk):
    response = admin_upload(desk, files.jpeg()[:-200])
    assert response.status_code == 200
    assert "ends in the middle of the picture" in response.content.decode()
    assert Image.objects.count() == 0


def test_a_duplicate_in_the_admin_links_to_the_picture_already_there(desk):
    existing = image_upload(files.upload(photo()), alt_text="Rubble")
    response = admin_upload(desk, photo())
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        reverse("admin:articles_image_change", args=[existing.pk]) in page
        and "already in the library" in page
    )


def test_lists_and_inlines_show_thumbnails(desk):
    image = image_upload(files.upload(photo()), alt_text="Rubble")
    generate_renditions(image.pk)
    thumb = image.renditions.filter(format="jpeg", ratio="original").order_by("width").first()
    assert thumb.file.url in desk.get(reverse("admin:articles_image_changelist")).content.decode()
    story = ArticleFactory(lead_image=image)
    BlockFactory(article=story, position=0, type=Block.Type.IMAGE, text="", image=image)
    page = desk.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert page.count(thumb.file.url) >= 2  # beside the lead image field and in the image block
    assert thumb.file.url in desk.get(reverse("admin:articles_article_changelist")).content.decode()


def test_the_change_page_has_the_focal_point_picker_and_lists_where_the_picture_is_used(desk):
    image = image_upload(files.upload(photo()), alt_text="Rubble")
    story = ArticleFactory(lead_image=image, headline="Rescue in Kramatorsk")
    page = desk.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert "data-focal-picker" in page and "articles/admin/focal-point" in page
    assert (
        "Rescue in Kramatorsk" in page and reverse("admin:articles_article_change", args=[story.pk]) in page
    )


def test_moving_the_focal_point_remakes_the_crops_only(desk, django_capture_on_commit_callbacks):
    image = image_upload(files.upload(photo()), alt_text="Rubble", credit="Agency")
    generate_renditions(image.pk)
    kept = set(image.renditions.filter(ratio="original").values_list("pk", flat=True))
    crops = set(image.renditions.exclude(ratio="original").values_list("pk", flat=True))
    url = reverse("admin:articles_image_change", args=[image.pk])
    form = {"alt_text": "Rubble", "caption": "", "credit": "Agency", "copyright": "", "focal_y": 0.5}
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(url, {**form, "focal_x": 0.1}).status_code == 302
    remaining = set(image.renditions.values_list("pk", flat=True))
    assert kept <= remaining and not crops & remaining
    generate_renditions(image.pk)
    assert image.renditions.count() == len(plan(Image.objects.get(pk=image.pk)))


def test_deleting_a_picture_in_use_is_refused_with_a_message(desk):
    image = image_upload(files.upload(photo()))
    ArticleFactory(lead_image=image, headline="Rescue in Kramatorsk")
    response = desk.post(
        reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}, follow=True
    )
    page = response.content.decode()
    assert "cannot be deleted" in page and "Rescue in Kramatorsk" in page
    assert Image.objects.filter(pk=image.pk).exists()


def test_deleting_an_unused_picture_removes_it(desk, django_capture_on_commit_callbacks):
    image = image_upload(files.upload(photo()))
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"})
    assert not Image.objects.exists() and not Path(image.file.path).exists()


# Publishing


def test_a_story_cannot_go_out_while_a_picture_lacks_alt_text_or_credit():
    image = image_upload(files.upload(files.jpeg()))
    assert image.missing_for_publication() == ["alt text", "a credit"]
    story = ArticleFactory(lead_image=image)
    assert any("needs alt text and a credit" in problem for problem in story.publication_problems())
    image.alt_text, image.credit = "Rubble", "Agency"
    image.save()
    assert image.missing_for_publication() == []
    story.refresh_from_db()
    assert not any("needs" in problem for problem in story.publication_problems())


# The seed and the command


def test_the_seed_placeholder_goes_through_the_pipeline(interview):
    image = interview.lead_image
    assert image.sha256 and image.source_format == "JPEG" and image.file.name.endswith(".jpg")
    assert "placeholder" not in image.file.name  # the pipeline names files, not the uploader
    assert DBTaskResult.objects.filter(task_path="articles.tasks.make_renditions").exists()


def test_generate_renditions_backfills_missing_ones_and_rebuilds_on_request():
    image = image_upload(files.upload(photo()))
    out = io.StringIO()
    call_command("generate_renditions", "--missing", "--dry-run", stdout=out)
    assert "would make" in out.getvalue() and not Rendition.objects.exists()
    call_command("generate_renditions", "--missing", stdout=out)
    made = set(Rendition.objects.values_list("pk", flat=True))
    assert len(made) == len(plan(image))
    Rendition.objects.filter(format="avif").delete()
    call_command("generate_renditions", "--missing", stdout=out)
    # Only the missing AVIF renditions were made again; the others were left alone.
    assert Rendition.objects.count() == len(plan(image))
    assert (
        Rendition.objects.exclude(pk__in=made).filter(format="avif").count()
        == Rendition.objects.filter(format="avif").count()
    )
    call_command("generate_renditions", str(image.pk), stdout=out)
    assert not made & set(Rendition.objects.values_list("pk", flat=True))  # rebuilt from scratch
    with pytest.raises(CommandError, match="No image with id 999"):
        call_command("generate_renditions", "999")


# Serving


def test_media_is_served_with_its_content_type_and_nosniff():
    image = image_upload(files.upload(photo()))
    generate_renditions(image.pk)
    avif = image.renditions.filter(format="avif").first()
    for stored, expected in [(image.file.name, "image/jpeg"), (avif.file.name, "image/avif")]:
        response = serve_media(RequestFactory().get("/"), stored)
        assert response["Content-Type"] == expected
        assert response["X-Content-Type-Options"] == "nosniff"
    Path(settings.MEDIA_ROOT, "note.html").write_text("<script>alert(1)</script>")
    with pytest.raises(Exception, match="Not a picture"):
        serve_media(RequestFactory().get("/"), "note.html")
