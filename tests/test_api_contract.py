"""The OpenAPI contract: a valid schema that describes every endpoint, and real responses that match it.

Responses are validated against the schema with additional properties forbidden, so a field the
API sends but the contract does not describe fails here as surely as a missing one.
"""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from knox.models import AuthToken
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate as validate_spec
from rest_framework.test import APIClient

from articles.api import examples
from articles.models import Article
from tests.factories import ArticleFactory, CorrectionFactory

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def spec():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def strict(node, sparse=False):
    """A copy of the schema where every object with properties allows no others.

    `sparse`: for `?fields=` responses, which leave out whatever was not asked for.
    """
    if isinstance(node, dict):
        node = {
            key: strict(value, sparse) for key, value in node.items() if not (sparse and key == "required")
        }
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        if node.get("nullable") and "allOf" in node and "type" not in node:
            # OpenAPI 3.0 means "this reference, or null"; JSON Schema needs it spelled out.
            return {"anyOf": [{"allOf": node["allOf"]}, {"enum": [None]}]}
        return node
    if isinstance(node, list):
        return [strict(item, sparse) for item in node]
    return node


def template_of(path, spec):
    for template in spec["paths"]:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not in the schema")


class Contract:
    def __init__(self, spec):
        self.spec = spec
        self.seen = set()

    def schema_for(self, template, method, status, sparse):
        operation = self.spec["paths"][template][method]
        assert str(status) in operation["responses"], (
            f"{method.upper()} {template} does not document {status}"
        )
        content = operation["responses"][str(status)].get("content", {})
        if not content:
            return None
        # The components travel with the schema so its "#/components/..." references resolve.
        return strict(
            {**content["application/json"]["schema"], "components": self.spec["components"]}, sparse
        )

    def check(self, response, method="get"):
        path = response.wsgi_request.path
        template = template_of(path, self.spec)
        self.seen.add((template, method))
        sparse = "fields" in response.wsgi_request.GET and response.status_code == 200
        schema = self.schema_for(template, method, response.status_code, sparse)
        if schema is not None:
            validator = OAS30Validator(schema, format_checker=oas30_format_checker)
            errors = sorted(validator.iter_errors(response.json()), key=str)
            assert not errors, f"{method.upper()} {path} {response.status_code}: {errors[0]}"
        return response


@pytest.fixture
def contract(spec):
    return Contract(spec)


def token_client(user):
    _, key = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_schema_is_valid_openapi(spec):
    validate_spec(spec)
    assert spec["openapi"].startswith("3.")


def test_every_operation_documents_its_errors(spec):
    for template, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            codes = set(operation["responses"])
            assert {"429", "500"} <= codes, (method, template)
            assert any(code.startswith("2") for code in codes), (method, template)
            error = operation["responses"]["500"]["content"]["application/json"]["schema"]
            assert error["$ref"].endswith("/Error"), (method, template)
            if method != "get" or "{" in template:
                assert "400" in codes, (method, template)


def test_every_list_documents_its_query_parameters(spec):
    articles = {p["name"] for p in spec["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert {
        "q",
        "section",
        "tag",
        "contributor",
        "speaker",
        "language",
        "ordering",
        "fields",
        "cursor",
    } <= articles
    assert {"published_after", "published_before", "page_size"} <= articles
    edit = spec["paths"]["/api/v1/articles/{slug}/"]["patch"]["parameters"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" and p["required"] for p in edit)


def test_examples_come_from_the_seeded_story_and_match_the_live_response(client, interview, contract, spec):
    live = client.get(f"/api/v1/articles/{interview.slug}/").json()
    example = examples.ARTICLE_DETAIL
    for field in ("slug", "headline", "kicker", "dek", "dateline", "section", "tags", "language", "bylines"):
        assert example[field] == live[field], field
    assert [b["text"] for b in example["body"]] == [b["text"] for b in live["body"][:2]]
    assert {q["text"] for q in example["quotes"]} <= {q["text"] for q in live["quotes"]}
    detail = spec["paths"]["/api/v1/articles/{slug}/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]
    schema = strict({**detail["schema"], "components": spec["components"]})
    for value in [ex["value"] for ex in detail["examples"].values()]:
        OAS30Validator(schema, format_checker=oas30_format_checker).validate(value)


def test_every_endpoint_answers_as_the_schema_says(contract, interview, editor, reporter, spec):
    anonymous = APIClient()
    check = contract.check
    image = interview.lead_image or interview.blocks.exclude(image=None).first().image
    quote = interview.quotes.first()
    speaker, contributor = quote.speaker, interview.bylines.first().contributor
    section, tag = interview.section, interview.tags.first()

    # Reads, and their errors.
    for path in [
        "/api/v1/articles/",
        f"/api/v1/articles/{interview.slug}/",
        f"/api/v1/articles/id/{interview.pk}/",
        "/api/v1/articles/?q=bakhmut&fields=slug,headline,lead_image.url",
        "/api/v1/quotes/",
        f"/api/v1/quotes/{quote.pk}/",
        "/api/v1/speakers/",
        f"/api/v1/speakers/{speaker.slug}/",
        "/api/v1/contributors/",
        f"/api/v1/contributors/{contributor.slug}/",
        "/api/v1/images/",
        f"/api/v1/images/{image.pk}/",
        "/api/v1/sections/",
        f"/api/v1/sections/{section.slug}/",
        "/api/v1/tags/",
        f"/api/v1/tags/{tag.slug}/",
        "/api/v1/articles/?section=nowhere",
        "/api/v1/articles/?unknown=1",
        "/api/v1/articles/no-such-story/",
        "/api/v1/speakers/?fields=nonsense",
    ]:
        response = check(anonymous.get(path))
        assert response.status_code in (200, 400, 404), path

    killed = CorrectionFactory().article
    Article.objects.filter(pk=killed.pk).update(status=Article.Status.KILLED, killed_at=timezone.now())
    assert check(anonymous.get(f"/api/v1/articles/{killed.slug}/")).status_code == 410

    # Writes: a reporter files and edits, an editor runs the workflow.
    desk, own = token_client(editor), token_client(reporter)
    body = examples.article_create.value
    assert check(anonymous.post("/api/v1/articles/", body, format="json"), "post").status_code == 401
    assert (
        check(
            own.post("/api/v1/articles/", {**body, "status": "published"}, format="json"), "post"
        ).status_code
        == 400
    )
    created = check(own.post("/api/v1/articles/", {**body, "slug": "contract"}, format="json"), "post")
    assert created.status_code == 201
    url = "/api/v1/articles/contract/"
    assert check(own.get(f"{url}edit/")).status_code == 200
    assert check(own.patch(url, {"dek": "x"}, format="json"), "patch").status_code == 428
    assert (
        check(own.patch(url, {"dek": "x"}, format="json", HTTP_IF_MATCH='"stale"'), "patch").status_code
        == 412
    )
    patched = check(
        own.patch(url, {"dek": "Shorter."}, format="json", HTTP_IF_MATCH=created["ETag"]), "patch"
    )
    assert patched.status_code == 200
    put = check(own.put(url, body, format="json", HTTP_IF_MATCH=patched["ETag"]), "put")
    assert put.status_code == 200
    assert check(own.post(f"{url}publish/", {}, format="json"), "post").status_code == 403
    assert check(own.post(f"{url}submit/", {}, format="json"), "post").status_code == 200
    assert check(desk.post(f"{url}publish/", {}, format="json"), "post").status_code == 200
    corrected = check(
        desk.post(f"{url}corrections/", {"note": "A name was misspelled."}, format="json"), "post"
    )
    assert corrected.status_code == 201
    assert check(desk.post(f"{url}unpublish/", {}, format="json"), "post").status_code == 200
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    assert (
        check(desk.post(f"{url}schedule/", {"go_live_at": later}, format="json"), "post").status_code == 200
    )
    links = f"{url}preview-links/"
    assert check(desk.post(links, {"hours": 2}, format="json"), "post").status_code == 201
    assert check(own.post(links, {}, format="json"), "post").status_code == 403
    assert check(desk.post(f"{links}revoke/", format="json"), "post").status_code == 204
    assert check(desk.post(f"{url}kill/", {"notice": "Withdrawn."}, format="json"), "post").status_code == 200
    assert check(desk.post(links, {}, format="json"), "post").status_code == 403
    assert check(desk.post(f"{url}publish/", {}, format="json"), "post").status_code == 409
    draft = ArticleFactory(created_by=editor)
    assert (
        check(desk.post(f"/api/v1/articles/{draft.slug}/publish/", {}, format="json"), "post").status_code
        == 400
    )
    assert check(desk.post("/api/v1/images/", {}, format="multipart"), "post").status_code == 400

    documented = {
        (template, method) for template, ops in spec["paths"].items() for method in ops if method in METHODS
    }
    assert documented - contract.seen == set()
