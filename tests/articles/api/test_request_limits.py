"""Request limits: bodies, fields, nesting, string length, uploads. Each refused with a clear 4xx."""

import json

import pytest
from django.test import Client
from django.test.client import encode_multipart

from articles.api.parsers import MAX_DEPTH, MAX_STRING_LENGTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = "tests.helpers.urls_faults"
    return Client(raise_request_exception=False, enforce_csrf_checks=False)


def post_json(client, body):
    return client.post("/api/v1/echo/", body, content_type="application/json")


def test_reasonable_json_is_accepted(client):
    response = post_json(client, json.dumps({"body": [{"type": "paragraph", "text": "x" * 10_000}]}))
    assert response.status_code == 200


def test_deeply_nested_json_is_refused(client):
    response = post_json(client, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert "nested" in str(response.json())


def test_json_just_past_the_depth_limit_is_refused(client):
    nested = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert post_json(client, nested).status_code == 400
    assert post_json(client, "[" * MAX_DEPTH + "]" * MAX_DEPTH).status_code == 200


def test_deeply_nested_objects_are_refused(client):
    deep = "{}"
    for _ in range(MAX_DEPTH + 5):
        deep = '{"a": ' + deep + "}"
    assert post_json(client, deep).status_code == 400


def test_overlong_strings_are_refused(client):
    response = post_json(client, json.dumps({"text": "&" * (MAX_STRING_LENGTH + 1)}))
    assert response.status_code == 400
    assert "longer" in str(response.json())


def test_overlong_keys_are_refused(client):
    assert post_json(client, json.dumps({"k" * (MAX_STRING_LENGTH + 1): 1})).status_code == 400


@pytest.mark.parametrize(
    "body", ["{", "NaN", '{"a": Infinity}', "1" * 5000, '"\\ud800"', '{"a": "x\\u0000"}', "\xff\xfe"]
)
def test_malformed_json_is_a_400(client, body):
    assert post_json(client, body).status_code == 400


def test_a_body_over_the_limit_answers_413_before_it_is_read(client, settings):
    response = post_json(client, json.dumps({"text": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}))
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_lying_content_length_is_a_400(client):
    response = client.post("/api/v1/echo/", "{}", content_type="application/json", CONTENT_LENGTH="lots")
    assert response.status_code == 400


def test_too_many_form_fields_are_a_400(client, settings):
    fields = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.post("/form/", fields, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_an_upload_over_the_limit_answers_413(client, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    body = encode_multipart("BoUnDaRy", {"file": ("x" * (2 * 1024 * 1024))})
    response = client.post("/api/v1/echo/", body, content_type="multipart/form-data; boundary=BoUnDaRy")
    assert response.status_code == 413


def test_page_sizes_are_capped(client):
    from tests.factories import PublishedArticleFactory

    PublishedArticleFactory.create_batch(3)
    response = client.get("/api/v1/articles/", {"page_size": 10**9})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert len(response.json()["results"]) <= 100
