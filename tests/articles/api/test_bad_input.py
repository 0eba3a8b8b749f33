"""Bad query input answers 400 naming the parameter on every list and detail, never a 500.

The addresses come from the API's router, so a new resource is covered without editing this file.
"""

import base64
import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from articles.api.urls import router

pytestmark = pytest.mark.django_db

# Cursors a server never issues: positions no ordering column can hold, absurd offsets, junk.
FORGED_CURSORS = [
    "p=not-a-date",
    "o=999999&p=x",
    "p=2023-01-01",  # a time without a zone
    "p=99999999999999999999999999",
    "r=1&p=%00",
    "o=-1",
    "o=abc",
    "p=1e999",
]
FORMATS = [None, "json", "ninjs", "api", "xml", ""]
FIELD_SELECTIONS = [None, "slug", "lead_image.url", "nonsense", ",", "a.b.c"]


def encode(raw):
    return base64.b64encode(raw.encode()).decode()


def public_prefixes():
    # The desk is for staff, and answers anonymous callers 401 (tests/articles/api/test_desk.py).
    return [prefix for prefix, viewset, _ in router.registry if not getattr(viewset, "staff_only", False)]


def list_urls():
    return [f"/api/v1/{prefix}/" for prefix in public_prefixes()]


def detail_urls(interview):
    quote = interview.quotes.first()
    image = interview.lead_image or interview.blocks.exclude(image=None).first().image
    keys = {
        "articles": interview.slug,
        "quotes": quote.pk,
        "speakers": quote.speaker.slug,
        "contributors": interview.bylines.first().contributor.slug,
        "images": image.pk,
        "sections": interview.section.slug,
        "tags": interview.tags.first().slug,
    }
    assert set(keys) == set(public_prefixes())
    return [f"/api/v1/{prefix}/{key}/" for prefix, key in keys.items()]


def named_parameters(response):
    """The parameters a 400 names, from its JSON body or the browsable API's page around it."""
    if response["Content-Type"].startswith("text/html"):
        return {name for name in ("cursor", "fields", "format") if f"&quot;{name}&quot;" in response.text}
    return set(response.json()["fields"])


@pytest.mark.parametrize("raw", FORGED_CURSORS)
def test_a_forged_cursor_is_a_400_naming_the_cursor_on_every_list(interview, raw):
    client = APIClient()
    for url in list_urls():
        response = client.get(url, {"cursor": encode(raw)})
        assert response.status_code in (200, 400), (url, raw, response.content[:200])
        if response.status_code == 400:
            assert set(response.json()["fields"]) == {"cursor"}, (url, raw)


def test_positions_no_column_can_hold_are_refused_on_time_and_id_orderings(interview):
    client = APIClient()
    for url in ("/api/v1/articles/", "/api/v1/quotes/", "/api/v1/images/"):
        for raw in ("p=not-a-date", "o=999999&p=x"):
            response = client.get(url, {"cursor": encode(raw)})
            assert response.status_code == 400, (url, raw)
            assert response.json()["code"] == "invalid"
    # A cursor the server issued still works.
    first = client.get("/api/v1/quotes/", {"page_size": 1}).json()
    assert client.get(first["next"]).status_code == 200


def test_every_format_with_every_field_selection_is_200_or_a_400_naming_the_parameter(interview):
    client = APIClient()
    seen = set()
    for url in [*list_urls(), *detail_urls(interview)]:
        cache.clear()  # the throttle's history: this walk asks more than a reader may in a minute
        for fmt in FORMATS:
            for fields in FIELD_SELECTIONS:
                query = {
                    name: value for name, value in (("format", fmt), ("fields", fields)) if value is not None
                }
                response = client.get(url, query)
                seen.add(response.status_code)
                assert response.status_code in (200, 400), (url, query, response.status_code)
                if response.status_code == 400:
                    assert named_parameters(response) & set(query), (url, query, response.content[:300])
    assert seen == {200, 400}


def test_ninjs_with_a_field_selection_is_a_400_naming_fields(interview):
    response = APIClient().get(
        f"/api/v1/articles/{interview.slug}/", {"format": "ninjs", "fields": "headline"}
    )
    assert response.status_code == 400
    assert set(json.loads(response.content)["fields"]) == {"fields"}


def test_an_unknown_format_is_a_400_naming_format(interview):
    response = APIClient().get("/api/v1/articles/", {"format": "ninjs"})
    assert response.status_code == 400
    assert response.json()["fields"]["format"][0]["message"].startswith("Unknown format.")


def test_details_refuse_unknown_parameters_as_lists_do(interview):
    client = APIClient()
    for url in detail_urls(interview):
        response = client.get(url, {"section": "world", "feilds": "slug"})
        assert response.status_code == 400, url
        assert set(response.json()["fields"]) == {"section", "feilds"}, url
    assert client.get(f"/api/v1/articles/{interview.slug}/", {"preview": "x"}).status_code == 200


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_addresses_answer_json_whatever_debug_says(settings, debug):
    settings.DEBUG = debug
    client = APIClient()
    for path in ("/api/v1/nothing-here/", "/api/nothing", "/api/v2/articles/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"code": "not_found", "message": "Not found."}, path
    # A missing slash is still put right before anything answers 404.
    assert client.get("/api/v1/articles").status_code == 301
