"""The OpenAPI contract as served is the truth: every live response validates against `/api/schema/`.

Each response is checked with openapi-core (status, media type, headers, body) against the schema exactly
as `/api/schema/` serves it — nothing is rewritten first. The walk is driven by the schema: every documented
operation, and every status each one documents, must be met by a real response.
"""

import base64
import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.http.request import RawPostDataException
from django.utils import timezone
from knox.models import AuthToken
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate as validate_spec
from rest_framework import throttling
from rest_framework.test import APIClient
from rest_framework.views import APIView

from articles import edge
from articles.api import examples, writes
from articles.models import Article
from articles.services.errors import SlugTaken
from tests.factories import ArticleFactory, CorrectionFactory, PublishedArticleFactory, UserFactory
from tests.helpers.imagefiles import jpeg, upload

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def served(client):
    return client.get("/api/schema/", {"format": "json"}).json()


def token_client(user):
    _, key = AuthToken.objects.create(user=user)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


class ServedRequest(DjangoOpenAPIRequest):
    """The request a response answered. Only responses are validated here, so a body the view has
    already streamed (a multipart upload) need not be read again."""

    @property
    def body(self):
        try:
            return super().body
        except RawPostDataException:
            return b""


class Contract:
    """Validates responses against the served schema and remembers which (operation, status) each was."""

    def __init__(self, spec):
        self.spec = spec
        # openapi-core reads application/json and the like; ninjs is JSON under its own name.
        config = Config(extra_media_type_deserializers={"application/ninjs+json": json.loads})
        self.openapi = OpenAPI.from_dict(spec, config=config)
        self.seen = set()
        self.checked = 0

    def documented(self):
        return {
            (template, method, status)
            for template, operations in self.spec["paths"].items()
            for method, operation in operations.items()
            if method in METHODS
            for status in operation["responses"]
        }

    def check(self, response):
        request = response.wsgi_request
        result = self.openapi.unmarshal_response(ServedRequest(request), DjangoOpenAPIResponse(response))
        assert not result.errors, (
            f"{request.method} {request.get_full_path()} {response.status_code} "
            f"{response.get('Content-Type')}: {result.errors[0]!r} "
            f"{str(getattr(result.errors[0], '__cause__', None))[-1500:]}"
        )
        self.checked += 1
        self.seen.add((self.template(request.path), request.method.lower(), str(response.status_code)))
        return response

    def template(self, path):
        for template in self.spec["paths"]:
            parts, actual = template.strip("/").split("/"), path.strip("/").split("/")
            if len(parts) == len(actual) and all(
                p == a or (p.startswith("{") and p.endswith("}")) for p, a in zip(parts, actual, strict=True)
            ):
                return template
        raise AssertionError(f"{path} is not in the schema")


@pytest.fixture
def contract(served):
    return Contract(served)


def test_the_schema_as_served_is_valid_openapi_3_1(served):
    validate_spec(served)
    assert served["openapi"] == "3.1.0"


def test_public_reads_need_no_credentials_and_writes_do(served):
    for template, operations in served["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            public = method == "get" and not template.endswith("/edit/") and "/desk/" not in template
            assert (operation["security"] == []) is public, (method, template)


def test_every_operation_documents_its_errors(served):
    for template, operations in served["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            codes = set(operation["responses"])
            assert {"406", "429", "500", "503"} <= codes, (method, template)
            assert any(code.startswith("2") for code in codes), (method, template)
            for code in codes:
                if code[0] in "23" or code == "410":
                    continue
                error = operation["responses"][code]["content"]["application/json"]["schema"]
                assert error["$ref"].rsplit("/", 1)[-1] in ("Error", "ValidationError"), (method, template)
            assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_every_list_documents_its_query_parameters(served):
    articles = {p["name"] for p in served["paths"]["/api/v1/articles/"]["get"]["parameters"]}
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
    assert {"published_after", "published_before", "page_size", "format"} <= articles
    edit = served["paths"]["/api/v1/articles/{slug}/"]["patch"]["parameters"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" and p["required"] for p in edit)
    quotes = served["paths"]["/api/v1/quotes/"]["get"]["parameters"]
    assert next(p for p in quotes if p["name"] == "is_pull_quote")["schema"] == {"type": "boolean"}


def test_every_response_field_the_api_always_sends_is_required(served):
    schemas = served["components"]["schemas"]
    for name, schema in schemas.items():
        if (
            name.endswith(("Request", "Sparse", "Enum"))
            or "properties" not in schema
            or name.startswith("Ninjs")
        ):
            continue
        optional = set(schema["properties"]) - set(schema.get("required", []))
        # Present only on request: field errors on a 400, a list's total with ?total=true.
        expected = {"ValidationError": {"fields"}, "PaginatedArticleDeskList": {"total"}}.get(name, set())
        assert optional == expected, name
    for name, schema in schemas.items():
        if name.endswith("Sparse") and not name.startswith("Paginated"):
            assert "required" not in schema, name


def test_examples_come_from_the_seeded_story_and_match_the_live_response(client, interview, served):
    live = client.get(f"/api/v1/articles/{interview.slug}/").json()
    example = examples.ARTICLE_DETAIL
    for field in ("slug", "headline", "kicker", "dek", "dateline", "section", "tags", "language", "bylines"):
        assert example[field] == live[field], field
    assert [b["text"] for b in example["body"]] == [b["text"] for b in live["body"][:2]]
    assert {q["text"] for q in example["quotes"]} <= {q["text"] for q in live["quotes"]}


class Deny(throttling.BaseThrottle):
    def allow_request(self, request, view):
        return False

    def wait(self):
        return 7


def raise_(exception):
    def fail(*args, **kwargs):
        raise exception

    return fail


def cursor(raw):
    return base64.b64encode(raw.encode()).decode()


def test_every_live_response_of_every_operation_validates_against_the_schema_as_served(
    contract, interview, editor, reporter, monkeypatch, settings
):
    check = contract.check
    anonymous = APIClient(raise_request_exception=False)
    image = interview.lead_image or interview.blocks.exclude(image=None).first().image
    quote = interview.quotes.first()
    values = {
        "/api/v1/articles/{slug}/": interview.slug,
        "/api/v1/articles/id/{id}/": interview.pk,
        "/api/v1/quotes/{id}/": quote.pk,
        "/api/v1/speakers/{slug}/": quote.speaker.slug,
        "/api/v1/contributors/{slug}/": interview.bylines.first().contributor.slug,
        "/api/v1/images/{id}/": image.pk,
        "/api/v1/desk/images/{id}/": image.pk,
        "/api/v1/sections/{slug}/": interview.section.slug,
        "/api/v1/tags/{slug}/": interview.tags.first().slug,
    }
    # Filters with values that find something, per list.
    filters = {
        "section": interview.section.slug,
        "tag": interview.tags.first().slug,
        "contributor": interview.bylines.first().contributor.slug,
        "speaker": quote.speaker.slug,
        "language": "en",
        "published_after": "2020-01-01T00:00:00Z",
        "published_before": "2100-01-01T00:00:00Z",
        "q": "Bakhmut",
        "article": interview.slug,
        "is_pull_quote": "false",
    }
    reads = [
        (template, operation)
        for template, operations in contract.spec["paths"].items()
        for method, operation in operations.items()
        if method == "get" and operation["security"] == []
    ]

    # Public reads: plain, each filter, sparse, paginated (following `next`), conditional, and their errors.
    for template, operation in reads:
        url = template.replace("{slug}", str(values.get(template, ""))).replace(
            "{id}", str(values.get(template, ""))
        )
        params = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
        first = check(anonymous.get(url))
        assert first.status_code == 200, url
        for name in sorted(params & set(filters)):
            assert check(anonymous.get(url, {name: filters[name]})).status_code == 200, (url, name)
        for parameter in operation["parameters"]:
            for value in parameter["schema"].get("enum", []):
                assert check(anonymous.get(url, {parameter["name"]: value})).status_code == 200, (url, value)
        item = first.json()["results"][0] if "results" in first.json() else first.json()
        fields = {
            "/api/v1/quotes/": "text,speaker.name,article.slug",
            "/api/v1/images/": "id,renditions.url",
            "/api/v1/contributors/{slug}/": "name,stories.slug,stories.lead_image.renditions.url",
        }.get(template, next(iter(item)))
        sparse = check(anonymous.get(url, {"fields": fields}))
        assert sparse.status_code == 200 and sparse["Content-Type"] == 'application/json; profile="sparse"'
        if "cursor" in params:
            page = check(anonymous.get(url, {"page_size": 1}))
            while page.json()["next"]:
                page = check(anonymous.get(page.json()["next"]))
            assert check(anonymous.get(url, {"cursor": cursor("p=not-a-date")})).status_code in (200, 400)
        assert check(anonymous.get(url, {"fields": "nonsense"})).status_code == 400
        assert check(anonymous.get(url, {"unknown": "1"})).status_code == 400
        if "304" in operation["responses"]:
            assert check(anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"])).status_code == 304, url
        if "{" in template:
            assert (
                check(anonymous.get(template.replace("{slug}", "missing").replace("{id}", "0"))).status_code
                == 404
            )
    story = f"/api/v1/articles/{interview.slug}/"
    ninjs = check(anonymous.get(story, {"format": "ninjs"}))
    assert ninjs.status_code == 200 and ninjs["Content-Type"] == "application/ninjs+json"
    assert check(anonymous.get(story, HTTP_ACCEPT="application/ninjs+json")).status_code == 200
    for fields in ("slug,lead_image.url,quotes.speaker.name", "body,corrections.note"):
        assert check(anonymous.get(story, {"fields": fields})).status_code == 200
    speaker = values["/api/v1/speakers/{slug}/"]
    assert (
        check(anonymous.get(f"/api/v1/speakers/{speaker}/", {"fields": "quotes.article.slug"})).status_code
        == 200
    )
    moved = PublishedArticleFactory(slug="before")
    moved.slug = "after"
    moved.save()
    redirect = check(anonymous.get("/api/v1/articles/before/"))
    assert (redirect.status_code, redirect["Location"]) == (301, "/api/v1/articles/after/")
    killed = CorrectionFactory().article
    Article.objects.filter(pk=killed.pk).update(status=Article.Status.KILLED, killed_at=timezone.now())
    gone = check(anonymous.get(f"/api/v1/articles/{killed.slug}/"))
    assert gone.status_code == 410 and gone.json()["code"] == "gone"
    assert check(anonymous.get(f"/api/v1/articles/id/{killed.pk}/")).status_code == 410

    # Writes: a reporter files and edits, an editor runs the workflow; each refusal in its shape.
    desk, own, outsider = token_client(editor), token_client(reporter), token_client(UserFactory())
    body = examples.article_create.value
    assert check(anonymous.post("/api/v1/articles/", body, format="json")).status_code == 401
    assert check(outsider.post("/api/v1/articles/", body, format="json")).status_code == 403
    assert check(own.post("/api/v1/articles/", "x", content_type="text/plain")).status_code == 415
    assert (
        check(own.post("/api/v1/articles/", {**body, "status": "published"}, format="json")).status_code
        == 400
    )
    created = check(own.post("/api/v1/articles/", {**body, "slug": "contract"}, format="json"))
    assert created.status_code == 201
    assert (
        check(own.post("/api/v1/articles/", {**body, "slug": "contract"}, format="json")).status_code == 400
    )
    with monkeypatch.context() as patch:
        # Another story takes the address between the check and the save.
        patch.setattr(writes, "article_create", raise_(SlugTaken("The address was just taken.")))
        assert check(own.post("/api/v1/articles/", body, format="json")).status_code == 409
    url = "/api/v1/articles/contract/"
    assert check(own.get(f"{url}edit/")).status_code == 200
    assert check(anonymous.get(f"{url}edit/")).status_code == 401
    assert check(outsider.get(f"{url}edit/")).status_code == 403
    assert check(own.get("/api/v1/articles/nowhere/edit/")).status_code == 404
    for verb in ("put", "patch"):
        send = getattr(own, verb)
        assert check(send(url, {"dek": "x"}, format="json")).status_code == 428
        assert check(send(url, {"dek": "x"}, format="json", HTTP_IF_MATCH='"stale"')).status_code == 412
        current = own.get(f"{url}edit/")["ETag"]
        assert check(send(url, "x", content_type="text/plain", HTTP_IF_MATCH=current)).status_code == 415
        assert check(getattr(anonymous, verb)(url, {}, format="json")).status_code == 401
        assert check(getattr(outsider, verb)(url, {}, format="json")).status_code == 403
        assert check(send("/api/v1/articles/nowhere/", {}, format="json")).status_code == 404
    etag = check(own.get(f"{url}edit/"))["ETag"]
    patched = check(own.patch(url, {"dek": "Shorter."}, format="json", HTTP_IF_MATCH=etag))
    assert patched.status_code == 200
    assert (
        check(own.patch(url, {"headline": ""}, format="json", HTTP_IF_MATCH=patched["ETag"])).status_code
        == 400
    )
    assert check(own.put(url, body, format="json", HTTP_IF_MATCH=patched["ETag"])).status_code == 200
    assert (
        check(
            own.put(url, {}, format="json", HTTP_IF_MATCH=check(own.get(f"{url}edit/"))["ETag"])
        ).status_code
        == 400
    )
    for verb in ("submit", "publish", "schedule", "unpublish", "kill", "corrections"):
        move = f"{url}{verb}/"
        assert check(anonymous.post(move, {}, format="json")).status_code == 401
        assert check(outsider.post(move, {}, format="json")).status_code == 403
        assert check(desk.post(f"/api/v1/articles/nowhere/{verb}/", {}, format="json")).status_code == 404
        assert check(desk.post(move, "x", content_type="text/plain")).status_code == 415
        assert check(desk.post(move, {}, format="json", HTTP_IF_MATCH='"stale"')).status_code == 412
    assert check(own.post(f"{url}publish/", {}, format="json")).status_code == 403
    assert check(own.post(f"{url}submit/", {"note": {"x": 1}}, format="json")).status_code == 400
    assert check(desk.post(f"{url}corrections/", {"note": "x"}, format="json")).status_code == 409
    assert check(own.post(f"{url}submit/", {}, format="json")).status_code == 200
    assert check(desk.post(f"{url}submit/", {}, format="json")).status_code == 409
    assert check(desk.post(f"{url}publish/", {}, format="json")).status_code == 200
    assert check(desk.post(f"{url}corrections/", {"note": ""}, format="json")).status_code == 400
    assert (
        check(desk.post(f"{url}corrections/", {"note": "A name was misspelled."}, format="json")).status_code
        == 201
    )
    assert check(desk.post(f"{url}schedule/", {}, format="json")).status_code in (400, 409)
    assert check(desk.post(f"{url}unpublish/", {}, format="json")).status_code == 200
    assert check(desk.post(f"{url}unpublish/", {}, format="json")).status_code == 409
    assert check(desk.post(f"{url}kill/", {}, format="json")).status_code == 400
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    assert check(desk.post(f"{url}schedule/", {"go_live_at": "soon"}, format="json")).status_code == 400
    assert check(desk.post(f"{url}schedule/", {"go_live_at": later}, format="json")).status_code == 200
    links = f"{url}preview-links/"
    assert check(desk.post(links, {"hours": 2}, format="json")).status_code == 201
    assert check(desk.post(links, {"hours": 0}, format="json")).status_code == 400
    assert check(own.post(links, {}, format="json")).status_code == 403
    assert check(desk.post(f"{links}revoke/", format="json")).status_code == 204
    for address in (links, f"{links}revoke/"):
        assert check(anonymous.post(address, {}, format="json")).status_code == 401
        assert check(outsider.post(address, {}, format="json")).status_code == 403
        nowhere = address.replace("/contract/", "/nowhere/")
        assert check(desk.post(nowhere, {}, format="json")).status_code == 404
    assert check(desk.post(links, "x", content_type="text/plain")).status_code == 415
    assert check(desk.post(f"{url}kill/", {"notice": "Withdrawn."}, format="json")).status_code == 200
    assert check(desk.post(links, {}, format="json")).status_code == 403
    assert check(desk.post(f"{url}kill/", {"notice": "Withdrawn."}, format="json")).status_code == 409
    assert check(desk.post(f"{url}publish/", {}, format="json")).status_code == 409
    assert check(desk.post(f"{url}schedule/", {"go_live_at": later}, format="json")).status_code == 409
    draft = ArticleFactory(created_by=editor)
    assert check(desk.post(f"/api/v1/articles/{draft.slug}/publish/", {}, format="json")).status_code == 400
    assert (
        check(
            desk.post(f"/api/v1/articles/{draft.slug}/unpublish/", {"note": {"x": 1}}, format="json")
        ).status_code
        == 400
    )

    # The desk: stories at every stage, for staff.
    desk_list = "/api/v1/desk/articles/"
    assert check(anonymous.get(desk_list)).status_code == 401
    assert check(outsider.get(desk_list)).status_code == 403
    assert check(desk.get(desk_list, {"status": "nonsense"})).status_code == 400
    page = check(desk.get(desk_list, {"status": ["draft", "killed"], "total": "true", "page_size": 1}))
    assert page.status_code == 200 and page.json()["total"] >= 2
    while page.json()["next"]:
        page = check(desk.get(page.json()["next"]))
    assert check(own.get(desk_list)).status_code == 200

    images = "/api/v1/images/"
    picture = {"file": upload(jpeg()), "alt_text": "A street.", "credit": "Staff"}
    assert check(anonymous.post(images, {}, format="multipart")).status_code == 401
    assert check(outsider.post(images, {}, format="multipart")).status_code == 403
    assert check(desk.post(images, {}, format="json")).status_code == 415
    assert check(desk.post(images, {}, format="multipart")).status_code == 400
    uploaded = check(desk.post(images, picture, format="multipart"))
    assert uploaded.status_code == 201
    mine = f"/api/v1/desk/images/{uploaded.json()['id']}/"
    assert check(desk.get(mine)).status_code == 200
    assert check(desk.get("/api/v1/desk/images/", {"page_size": 1})).status_code == 200
    assert check(desk.get("/api/v1/desk/images/", {"nonsense": 1})).status_code == 400
    assert check(desk.get("/api/v1/desk/images/0/")).status_code == 404
    assert check(desk.get(mine, {"nonsense": 1})).status_code == 400
    assert check(desk.get(mine, {"fields": "id,renditions.url"})).status_code == 200
    assert check(desk.get(desk_list, {"fields": "slug,status"})).status_code == 200
    for address in (mine, "/api/v1/desk/images/"):
        assert check(anonymous.get(address)).status_code == 401
        assert check(outsider.get(address)).status_code == 403
    assert (
        check(desk.post(images, {**picture, "file": upload(jpeg())}, format="multipart")).status_code == 409
    )

    # What every operation can answer whatever it is asked: an unacceptable format, a throttle, a fault,
    # a database away. Each is made to happen once per operation.
    operations = sorted({(template, method) for template, method, _ in contract.documented()})
    # The faults are made inside DRF: the edge, which answers a story's stored document before DRF runs,
    # stands aside so that every request reaches them.
    monkeypatch.setattr(edge, "lookup", lambda environ: (None, None))
    for template, method in operations:
        path = template.replace("{slug}", interview.slug).replace("{id}", str(values.get(template, 1)))
        client = anonymous if contract.spec["paths"][template][method]["security"] == [] else desk
        call = getattr(client, method)
        assert check(call(path, HTTP_ACCEPT="application/xml")).status_code == 406, (method, path)
        with monkeypatch.context() as patch:
            patch.setattr(APIView, "get_throttles", lambda self: [Deny()])
            assert check(call(path)).status_code == 429, (method, path)
        with monkeypatch.context() as patch:
            patch.setattr(APIView, "initial", raise_(RuntimeError("A bug.")))
            assert check(call(path)).status_code == 500, (method, path)
        with monkeypatch.context() as patch:
            patch.setattr(APIView, "initial", raise_(OperationalError("The database is away.")))
            assert check(call(path)).status_code == 503, (method, path)

    missing = contract.documented() - contract.seen
    print(f"contract: {contract.checked} responses validated, {len(contract.seen)} (operation, status) pairs")
    assert missing == set(), sorted(missing)
