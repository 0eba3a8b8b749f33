"""Editorial reads: staff list the stories they may see by stage, with totals on request, and read the
pictures they brought in before any story shows them. Reporters see only their own stories."""

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from articles.models import Article
from tests.factories import ArticleFactory, ImageFactory, PublishedArticleFactory, UserFactory
from tests.helpers.imagefiles import jpeg, upload

pytestmark = pytest.mark.django_db
DESK = "/api/v1/desk/articles/"


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


@pytest.fixture
def newsroom(reporter, other_reporter, editor):
    later = timezone.now() + timedelta(days=1)
    return {
        "mine": ArticleFactory(created_by=reporter, slug="mine"),
        "mine-in-review": ArticleFactory(created_by=reporter, slug="mine-in-review", status="in_review"),
        "theirs": ArticleFactory(created_by=other_reporter, slug="theirs"),
        "scheduled": ArticleFactory(
            created_by=editor, slug="scheduled", status="scheduled", go_live_at=later
        ),
        "live": PublishedArticleFactory(created_by=editor, slug="live"),
    }


def slugs(response):
    return {story["slug"] for story in response.json()["results"]}


def test_reporters_list_only_their_own_stories_by_stage(newsroom, reporter):
    desk = token_client(reporter)
    assert slugs(desk.get(DESK)) == {"mine", "mine-in-review"}
    assert slugs(desk.get(DESK, {"status": "draft"})) == {"mine"}
    assert slugs(desk.get(DESK, {"status": ["draft", "in_review"]})) == {"mine", "mine-in-review"}
    assert slugs(desk.get(DESK, {"status": "scheduled"})) == set()


def test_editors_list_every_story_at_any_stage_with_its_state(newsroom, editor):
    response = token_client(editor).get(DESK, {"status": ["draft", "scheduled"]})
    assert response.status_code == 200
    assert slugs(response) == {"mine", "theirs", "scheduled"}
    scheduled = next(s for s in response.json()["results"] if s["slug"] == "scheduled")
    assert scheduled["status"] == "scheduled" and scheduled["go_live_at"] is not None
    assert response["Cache-Control"] == "private, no-store"


def test_totals_come_on_request_and_pages_follow_next(newsroom, editor):
    desk = token_client(editor)
    assert "total" not in desk.get(DESK).json()
    page = desk.get(DESK, {"page_size": 2, "total": "true"}).json()
    assert page["total"] == 5
    seen = [s["slug"] for s in page["results"]]
    while page["next"]:
        page = desk.get(page["next"]).json()
        seen += [s["slug"] for s in page["results"]]
        assert page["total"] == 5
    assert sorted(seen) == sorted(newsroom)
    # Newest change first.
    Article.objects.filter(slug="theirs").update(updated_at=timezone.now() + timedelta(minutes=5))
    assert desk.get(DESK).json()["results"][0]["slug"] == "theirs"


def test_the_desk_is_for_staff_and_refuses_what_it_does_not_know(newsroom, editor):
    assert APIClient().get(DESK).status_code == 401
    assert token_client(UserFactory()).get(DESK).status_code == 403
    desk = token_client(editor)
    assert set(desk.get(DESK, {"status": "lost"}).json()["fields"]) == {"status"}
    assert set(desk.get(DESK, {"stage": "draft"}).json()["fields"]) == {"stage"}
    assert set(desk.get(DESK, {"total": "maybe"}).json()["fields"]) == {"total"}


def test_an_uploader_reads_their_picture_before_any_story_shows_it(reporter, other_reporter, editor):
    response = token_client(reporter).post(
        "/api/v1/images/",
        {"file": upload(jpeg()), "alt_text": "A street.", "credit": "Staff"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    address = f"/api/v1/desk/images/{response.json()['id']}/"
    mine = token_client(reporter).get(address)
    assert mine.status_code == 200 and mine.json()["alt_text"] == "A street."
    assert mine["Cache-Control"] == "private, no-store"
    assert token_client(editor).get(address).status_code == 200
    assert response.json()["id"] in {
        i["id"] for i in token_client(reporter).get("/api/v1/desk/images/").json()["results"]
    }
    # The public address stays public-only, whoever asks.
    assert APIClient().get(address).status_code == 401
    assert token_client(reporter).get(f"/api/v1/images/{response.json()['id']}/").status_code == 404
    # Once the uploader's draft shows it, another reporter no longer reaches it.
    ArticleFactory(created_by=reporter, lead_image_id=response.json()["id"])
    assert token_client(other_reporter).get(address).status_code == 404
    assert token_client(reporter).get(address).status_code == 200
    assert response.json()["id"] not in {
        i["id"] for i in APIClient().get("/api/v1/images/").json()["results"]
    }


def test_a_reporter_reads_the_pictures_their_own_stories_show(reporter, other_reporter):
    picture = ImageFactory()
    ArticleFactory(created_by=reporter, lead_image=picture)
    read = token_client(reporter).get(f"/api/v1/desk/images/{picture.pk}/")
    assert read.status_code == 200 and read["Cache-Control"] == "private, no-store"
    assert token_client(other_reporter).get(f"/api/v1/desk/images/{picture.pk}/").status_code == 404
