"""The focal point marker is drawn where the picture was clicked, at every width."""

import pytest
from django.db import connections

from articles.media.uploads import image_upload
from tests.helpers.browser import login
from tests.helpers.imagefiles import jpeg, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKER_VS_PICTURE = """() => {
  const picture = document.querySelector('[data-focal-picker] img').getBoundingClientRect();
  const marker = document.querySelector('.focal-marker').getBoundingClientRect();
  const x = marker.left + marker.width / 2, y = marker.top + marker.height / 2;
  return [(x - picture.left) / picture.width, (y - picture.top) / picture.height];
}"""


@pytest.mark.parametrize("width", [1366, 1024, 760, 390])
def test_the_marker_lands_where_the_picture_was_clicked(live_server, desk, chromium, settings, width):
    settings.ROOT_URLCONF = "tests.helpers.browser_urls"
    image = image_upload(upload(jpeg((1600, 900))), alt_text="A street", credit="Desk")
    connections.close_all()
    try:
        page = login(chromium, live_server, "desk")
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/admin/articles/image/{image.pk}/change/")
        picture = page.locator("[data-focal-picker] img")
        box = picture.bounding_box()
        picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.6})
        x, y = page.evaluate(MARKER_VS_PICTURE)
        assert abs(x - 0.25) < 0.02 and abs(y - 0.6) < 0.02, (width, x, y)
        assert abs(float(page.input_value("#id_focal_x")) - 0.25) < 0.02
    finally:
        connections.close_all()
