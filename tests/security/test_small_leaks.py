"""Smaller leaks: sections, anonymous sources, duplicate addresses and pictures, uploads by non-staff."""

import json

import pytest
from django.urls import reverse
from knox.models import AuthToken

from articles.media.uploads import image_upload
from articles.models import Block, Image
from tests.factories import (
    ArticleFactory,
    BlockFactory,
    PublishedArticleFactory,
    QuoteFactory,
    SectionFactory,
    SpeakerFactory,
    UserFactory,
)
from tests.helpers import imagefiles as files

pytestmark = pytest.mark.django_db


def test_a_section_used_only_by_unpublished_stories_is_not_found(client):
    hidden = SectionFactory(name="Secret investigations", slug="secret-investigations")
    ArticleFactory(section=hidden)
    live = SectionFactory(name="World", slug="world")
    PublishedArticleFactory(section=live)
    for url in [
        "/api/v1/sections/secret-investigations/",
        "/sections/secret-investigations/",
        "/sections/secret-investigations/feed/",
        "/sections/secret-investigations/feed/atom/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get("/sections/world/").status_code == 200
    names = [s["slug"] for s in client.get("/api/v1/sections/").json()["results"]]
    assert names == ["world"]
    # Filtering by it answers exactly as for a section that does not exist.
    secret = client.get("/api/v1/articles/?section=secret-investigations")
    ghost = client.get("/api/v1/articles/?section=no-such-section")
    assert (secret.status_code, secret.json()) == (ghost.status_code, ghost.json())


@pytest.fixture
def anonymous_source():
    story = PublishedArticleFactory(slug="live-story")
    source = SpeakerFactory(name="a senior official", slug="a-senior-official", is_anonymous=True)
    block = BlockFactory(article=story, position=0, text="“We will not retreat,” a senior official said.")
    QuoteFactory(article=story, block=block, speaker=source, text="We will not retreat,")
    return source


def test_an_anonymous_source_has_no_public_identifier(client, anonymous_source):
    assert client.get("/api/v1/speakers/a-senior-official/").status_code == 404
    assert client.get("/speakers/a-senior-official/").status_code == 404
    listed = client.get("/api/v1/speakers/").json()["results"]
    assert all(s["slug"] != "a-senior-official" for s in listed)
    quotes = client.get("/api/v1/quotes/").json()["results"]
    assert quotes and quotes[0]["speaker"]["slug"] is None
    detail = client.get("/api/v1/articles/live-story/").json()
    assert detail["quotes"][0]["speaker"]["slug"] is None
    assert detail["quotes"][0]["speaker"]["name"] == "a senior official"
    for url in ["/api/v1/articles/live-story/", "/stories/live-story/", "/api/v1/quotes/"]:
        assert "a-senior-official" not in client.get(url).content.decode(), url
    secret = client.get("/api/v1/articles/?speaker=a-senior-official")
    ghost = client.get("/api/v1/articles/?speaker=no-such-speaker")
    assert (secret.status_code, secret.json()) == (ghost.status_code, ghost.json())


def _photo():
    return files.jpeg((200, 150))


def _token(user):
    return {"HTTP_AUTHORIZATION": f"Token {AuthToken.objects.create(user=user)[1]}"}


@pytest.fixture
def their_picture(other_reporter):
    image = image_upload(files.upload(_photo()), alt_text="Picture of their secret source")
    story = ArticleFactory(created_by=other_reporter, headline="Their secret draft")
    BlockFactory(article=story, position=0, type=Block.Type.IMAGE, text="", image=image)
    return image


def test_a_duplicate_upload_names_no_picture_the_reporter_cannot_reach(api_client, reporter, their_picture):
    response = api_client.post(
        "/api/v1/images/", {"file": files.upload(_photo(), name="copy.jpg")}, **_token(reporter)
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate" and "existing" not in body
    text = json.dumps(body)
    assert "secret" not in text and str(their_picture.pk) not in text and their_picture.file.name not in text


def test_a_duplicate_in_the_admin_names_no_picture_the_reporter_cannot_reach(client, reporter, their_picture):
    client.force_login(reporter)
    response = client.post(
        reverse("admin:articles_image_add"),
        {"file": files.upload(_photo()), "focal_x": 0.5, "focal_y": 0.5},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "already in the library" in page
    assert "secret" not in page
    assert reverse("admin:articles_image_change", args=[their_picture.pk]) not in page


def test_a_non_staff_account_in_the_reporter_group_cannot_upload(api_client):
    outsider = UserFactory(username="outsider", is_staff=False, role="reporter")
    response = api_client.post("/api/v1/images/", {"file": files.upload(_photo())}, **_token(outsider))
    assert response.status_code == 403
    assert not Image.objects.exists()
