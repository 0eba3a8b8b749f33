"""Pictures dropped on the story page: the file's credits read for confirmation, then stored as confirmed."""

import pytest
from django.urls import reverse

from articles.models import Image
from tests.helpers.imagefiles import jpeg, upload

pytestmark = pytest.mark.django_db

URL = "admin:articles_image_drop"


def test_reading_a_dropped_picture_shows_its_credits_and_stores_nothing(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse(URL), {"file": upload(jpeg(iptc=True)), "step": "read"})
    assert response.status_code == 200, response.content
    assert response.json()["found"]["caption"] == "IPTC caption"
    assert response.json()["found"]["credit"] == "Iptc Byline / Iptc Credit"
    assert not Image.objects.exists()


def test_a_stored_picture_prints_what_the_editor_confirmed_not_the_file(client, reporter):
    client.force_login(reporter)
    fields = {"alt_text": "A bunker", "caption": "", "credit": "Photo: Desk", "copyright": ""}
    response = client.post(reverse(URL), {"file": upload(jpeg(iptc=True)), "step": "store", **fields})
    assert response.status_code == 201, response.content
    image = Image.objects.get(pk=response.json()["created"]["id"])
    # The editor cleared the caption the file carried: it stays cleared.
    assert (image.alt_text, image.caption, image.credit, image.copyright) == (
        "A bunker",
        "",
        "Photo: Desk",
        "",
    )


def test_a_picture_already_in_the_library_is_offered_again(client, reporter):
    client.force_login(reporter)
    data = jpeg(iptc=True)
    first = client.post(reverse(URL), {"file": upload(data), "step": "store", "alt_text": "A"}).json()
    again = client.post(reverse(URL), {"file": upload(data), "step": "read"}).json()
    assert again["existing"]["id"] == first["created"]["id"]


def test_a_file_that_is_not_a_picture_is_refused_with_a_reason(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse(URL), {"file": upload(b"not a picture"), "step": "read"})
    assert response.status_code == 400
    assert response.json()["error"]


def test_dropping_needs_post_and_the_right_to_add_pictures(client, reporter, django_user_model):
    client.force_login(reporter)
    assert client.get(reverse(URL)).status_code == 405
    nobody = django_user_model.objects.create_user("visitor", is_staff=True)
    client.force_login(nobody)
    assert client.post(reverse(URL), {"file": upload(jpeg())}).status_code == 403


def test_a_story_showing_a_picture_twice_counts_once_in_the_picture_list(client, editor):
    from articles.media.uploads import image_upload
    from articles.models import Block
    from tests.factories import ArticleFactory, BlockFactory

    image = image_upload(upload(jpeg()), alt_text="A", credit="B")
    story = ArticleFactory(lead_image=image)
    BlockFactory(article=story, position=0, type=Block.Type.IMAGE, text="", image=image)
    BlockFactory(article=story, position=1, type=Block.Type.IMAGE, text="", image=image)
    ArticleFactory(lead_image=image)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_image_changelist"))
    assert [row.story_count for row in response.context["cl"].result_list] == [2]
