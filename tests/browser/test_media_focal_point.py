"""Setting a picture's focal point by clicking it in the admin, in a real browser under the site's CSP."""

import pytest

from articles.media.renditions import generate_renditions
from articles.media.uploads import image_upload
from articles.models import Image
from tests.factories import PASSWORD
from tests.helpers import imagefiles as files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def picture(django_user_model, settings):
    settings.ROOT_URLCONF = "tests.helpers.browser_urls"
    settings.IMAGE_RENDITION_WIDTHS = [160]
    django_user_model.objects.create_superuser("chief", "chief@newsroom.test", PASSWORD)
    image = image_upload(files.upload(files.jpeg((400, 200))), alt_text="Rubble", credit="Agency")
    generate_renditions(image.pk)
    return image


def test_clicking_the_picture_sets_the_focal_point_and_saving_remakes_the_crops(
    picture, chromium, live_server
):
    page = chromium.new_page(base_url=live_server.url)
    page.set_default_timeout(15_000)
    problems = []
    page.on(
        "console",
        lambda message: (
            message.type == "error" and "404" not in message.text and problems.append(message.text)
        ),
    )
    page.on("response", lambda r: r.status == 404 and "favicon" not in r.url and problems.append(r.url))
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")

    page.goto(f"/admin/articles/image/{picture.pk}/change/")
    shown = page.locator(".focal-picker img")
    box = shown.bounding_box()
    shown.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert float(page.input_value("#id_focal_x")) == pytest.approx(0.25, abs=0.01)
    assert float(page.input_value("#id_focal_y")) == pytest.approx(0.75, abs=0.01)
    marker = page.locator(".focal-marker").evaluate("m => [m.style.left, m.style.top]")
    assert [float(value.rstrip("%")) for value in marker] == pytest.approx([25, 75], abs=1)
    crops = set(picture.renditions.exclude(ratio="original").values_list("pk", flat=True))

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    picture = Image.objects.get(pk=picture.pk)
    assert (picture.focal_x, picture.focal_y) == pytest.approx((0.25, 0.75), abs=0.01)
    assert not crops & set(picture.renditions.values_list("pk", flat=True))
    assert not problems, problems  # no CSP refusal of the picker's script
