import json

import jsonschema
import pytest

from articles.api.contract import NINJS_SCHEMA_FILE
from articles.media.renditions import generate_renditions
from articles.models import Rendition
from tests.factories import ArticleFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(NINJS_SCHEMA_FILE.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def assert_valid(item):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(item)]
    assert not errors, errors


def test_the_validator_catches_what_the_schema_forbids():
    assert "uri" in jsonschema.Draft202012Validator.FORMAT_CHECKER.checkers, "install rfc3986-validator"
    assert list(VALIDATOR.iter_errors({"uri": "x", "pubstatus": "maybe", "extra": 1}))
    assert list(VALIDATOR.iter_errors({"uri": "not a uri at all"}))


@pytest.mark.parametrize(
    "request_kwargs",
    [{"data": {"format": "ninjs"}}, {"HTTP_ACCEPT": "application/ninjs+json"}],
    ids=["format parameter", "accept header"],
)
def test_story_is_served_as_valid_ninjs_2_2(api_client, settings, request_kwargs):
    story = ArticleFactory(dressed=True)
    response = api_client.get(f"/api/v1/articles/{story.slug}/", **request_kwargs)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ninjs+json")
    assert "Accept" in response["Vary"]
    item = response.json()
    assert_valid(item)
    page = f"{settings.SITE_URL}{story.get_absolute_url()}"
    assert item["uri"] == page
    assert item["standard"]["version"] == "2.2"
    assert item["type"] == "text"
    assert item["pubstatus"] == "usable"
    assert item["version"] == str(story.version)
    assert item["language"] == "en"
    assert item["located"] == "Kyiv"
    assert {h["role"]: h["value"] for h in item["headlines"]} == {
        "main": story.headline,
        "kicker": "Exclusive",
    }
    assert item["descriptions"][0] == {"role": "summary", "contenttype": "text/plain", "value": story.dek}
    assert item["descriptions"][1]["role"] == "correction"
    bodies = {b["contenttype"]: b for b in item["bodies"]}
    assert "<h2>The crossing</h2>" in bodies["text/html"]["value"]
    assert "<blockquote><p>The old piers are sound.</p></blockquote>" in bodies["text/html"]["value"]
    assert bodies["text/plain"]["wordcount"] == len(bodies["text/plain"]["value"].split())
    names = [b.contributor.name for b in story.bylines.order_by("position")]
    assert item["by"].startswith(f"By {names[0]}; Interview by {names[1]}")
    assert [(p["name"], p["rel"]) for p in item["people"]] == [
        ("Olena Kovalenko", "quoted"),
        ("a city engineer", "quoted"),
    ]
    assert "uri" in item["people"][0] and "uri" not in item["people"][1], "anonymous sources get no page"
    assert [s["name"] for s in item["subjects"]] == ["Ukraine"]
    [picture] = item["associations"]
    assert picture["type"] == "picture" and picture["name"] == "featureimage"
    assert picture["renditions"] == [
        {
            "name": "original",
            "href": f"{settings.SITE_URL}{story.lead_image.file.url}",
            "contenttype": "image/jpeg",
            "width": 800,
            "height": 450,
        }
    ]
    assert picture["by"] == "Jane Photographer / Agency"


def test_lead_image_renditions_are_listed_after_the_original(api_client, settings):
    story = ArticleFactory(dressed=True)
    generate_renditions(story.lead_image.pk)
    item = api_client.get(f"/api/v1/articles/{story.slug}/", {"format": "ninjs"}).json()
    assert_valid(item)
    renditions = item["associations"][0]["renditions"]
    assert renditions[0]["name"] == "original"
    stored = Rendition.objects.filter(image=story.lead_image)
    assert len(renditions) == 1 + stored.count() > 1
    names = {r["name"]: r for r in renditions}
    assert len(names) == len(renditions), "every rendition has its own name"
    avif = names["original-avif-320"]
    assert (avif["contenttype"], avif["width"], avif["height"]) == ("image/avif", 320, 180)
    assert (
        avif["href"]
        == f"{settings.SITE_URL}{stored.get(ratio='original', format='avif', width=320).file.url}"
    )
    assert names["1x1-jpeg-320"]["height"] == 320


def test_the_plain_json_detail_is_unchanged_and_lists_have_no_ninjs(api_client):
    story = ArticleFactory(dressed=True)
    response = api_client.get(f"/api/v1/articles/{story.slug}/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["slug"] == story.slug
    assert api_client.get("/api/v1/articles/", {"format": "ninjs"}).status_code == 400
    assert api_client.get("/api/v1/articles/", HTTP_ACCEPT="application/ninjs+json").status_code == 406


def test_hostile_headline_is_plain_text_in_ninjs(api_client):
    story = PublishedArticleFactory(headline="<script>alert(1)</script>")
    item = api_client.get(f"/api/v1/articles/{story.slug}/", {"format": "ninjs"}).json()
    assert_valid(item)
    assert item["headlines"][0] == {
        "role": "main",
        "contenttype": "text/plain",
        "value": "<script>alert(1)</script>",
    }


@pytest.mark.parametrize("paragraphs", [1, 12])
def test_ninjs_costs_three_queries_whatever_the_story_size(api_client, django_assert_num_queries, paragraphs):
    story = ArticleFactory(dressed=True, quotes=paragraphs)
    # 1 story with tags, bylines, corrections and lead renditions folded in, 2 blocks with their
    # pictures' renditions, 3 quotes
    with django_assert_num_queries(3):
        assert api_client.get(f"/api/v1/articles/{story.slug}/", {"format": "ninjs"}).status_code == 200
