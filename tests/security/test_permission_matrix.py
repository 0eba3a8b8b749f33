"""Permission matrix: every route × every unsafe method × every story state × every role.

A refused write changes nothing in the database; a story a role may not see answers like a story that
does not exist; fields a role may not set are refused, never obeyed; filters and ordering accept
allow-listed names only, so request data never reaches the ORM as a keyword.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from articles import permissions
from articles.models import Article, AuditEntry, Correction
from tests.helpers.routes import (
    EDITORIAL_ROUTES,
    GHOST,
    LIST_ROUTES,
    QUERY_ROUTES,
    STORY_PART_ROUTES,
    STORY_ROUTES,
    leaf_routes,
)
from tests.helpers.world import ROLES, STATES, build_world

pytestmark = pytest.mark.django_db

UNSAFE = ["post", "put", "patch", "delete"]
# Where a write may succeed at all; everything else refuses every unsafe method.
WRITABLE = {"article-list", "article-detail", "image-list", *EDITORIAL_ROUTES}
VERB_PAYLOADS = {
    "article-submit": {"note": "Ready."},
    "article-publish": {},
    "article-schedule": {"go_live_at": "2099-01-01T09:00:00Z"},
    "article-unpublish": {"note": "Pulled."},
    "article-kill": {"notice": "Withdrawn for legal reasons."},
    "article-corrections": {"kind": "correction", "note": "A date was wrong."},
}


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def clients(world):
    clients = {"anonymous": Client()}
    for role, token in world.tokens.items():
        clients[role] = Client(HTTP_AUTHORIZATION=f"Token {token}")
    return clients


def fingerprint():
    """Everything a write could change, to prove a refused one changed nothing."""
    return (
        list(
            Article.objects.order_by("pk").values_list(
                "pk", "status", "version", "headline", "dek", "go_live_at"
            )
        ),
        Correction.objects.count(),
        AuditEntry.objects.count(),
    )


def send(client, method, url, data=None, **headers):
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json", **headers)


def test_every_public_route_refuses_every_unsafe_method(world, clients):
    names = (set(STORY_ROUTES) | set(STORY_PART_ROUTES) | set(LIST_ROUTES) | QUERY_ROUTES) - WRITABLE
    story = world.stories["published"]
    for route, pattern in leaf_routes():
        if route.startswith("admin/") or pattern.name not in names:
            continue
        kwargs = {}
        if "slug" in route:
            kwargs["slug"] = (
                LIST_ROUTES.get(pattern.name, {}).get("slug", story.marker)
                if isinstance(LIST_ROUTES.get(pattern.name), dict)
                else story.marker
            )
        if "<pk>" in route or "(?P<pk>" in route:
            kwargs["pk"] = story.quote.pk
        if "(?P<id>" in route:
            kwargs["id"] = story.article.pk
        if "section>" in route:
            kwargs["section"] = "stories"
        if "format" in route:
            kwargs["format"] = "json"
        try:
            url = reverse(pattern.name, kwargs=kwargs)
        except Exception:
            url = reverse(pattern.name, kwargs={k: v for k, v in kwargs.items() if k != "slug"})
        before = fingerprint()
        for role in ROLES:
            for method in UNSAFE:
                response = send(clients[role], method, url, {"headline": "owned"})
                assert response.status_code in (401, 403, 404, 405), (method, url, role, response.status_code)
        assert fingerprint() == before, url


def etag_of(world, state):
    editor = Client(HTTP_AUTHORIZATION=f"Token {world.tokens['editor']}")
    return editor.get(f"/api/v1/articles/{world.stories[state].marker}/edit/")["ETag"]


def test_content_edits_follow_the_role_rules_in_every_state(world, clients):
    for state in STATES:
        story = world.stories[state]
        url = f"/api/v1/articles/{story.marker}/"
        for role in ROLES:
            etag = etag_of(world, state)
            before = fingerprint()
            response = send(clients[role], "patch", url, {"dek": f"Changed by {role}"}, HTTP_IF_MATCH=etag)
            user = world.users.get(role)
            story.article.refresh_from_db()
            allowed = user is not None and permissions.can_edit(user, story.article)
            if allowed:
                assert response.status_code == 200, (state, role, response.content[:300])
            else:
                assert response.status_code in (401, 403, 404, 409), (state, role, response.status_code)
                assert fingerprint() == before, (state, role)
                if role == "other_reporter":
                    # Another reporter's story does not exist for them, exactly like a missing one.
                    ghost = send(
                        clients[role], "patch", f"/api/v1/articles/{GHOST}/", {"dek": "x"}, HTTP_IF_MATCH=etag
                    )
                    assert (response.status_code, response.json()["code"]) == (
                        ghost.status_code,
                        ghost.json()["code"],
                    )


def test_workflow_verbs_follow_the_role_rules_in_every_state(world, clients):
    for name, payload in VERB_PAYLOADS.items():
        for state in STATES:
            story = world.stories[state]
            url = reverse(name, kwargs={"slug": story.marker})
            for role in ("anonymous", "owner", "other_reporter"):
                before = fingerprint()
                response = send(clients[role], "post", url, payload)
                if role == "owner" and name == "article-submit" and state in ("draft", "unpublished"):
                    continue  # the one move a reporter has
                assert response.status_code in (401, 403, 404, 409, 400), (
                    name,
                    state,
                    role,
                    response.status_code,
                )
                assert response.status_code != 400 or role == "owner", (name, state, role)
                assert fingerprint() == before, (name, state, role)


def test_editors_verbs_work_and_refusals_are_clean(world, clients):
    for name, payload in VERB_PAYLOADS.items():
        for state in STATES:
            url = reverse(name, kwargs={"slug": world.stories[state].marker})
            response = send(clients["editor"], "post", url, payload)
            assert response.status_code in (200, 201, 400, 409), (name, state, response.status_code)
            assert "code" in response.json() or response.status_code in (200, 201)


@pytest.mark.parametrize(
    "field, value",
    [
        ("status", "published"),
        ("version", 99),
        ("created_by", 1),
        ("created_at", "2001-01-01T00:00:00Z"),
        ("updated_at", "2001-01-01T00:00:00Z"),
        ("first_published_at", "2001-01-01T00:00:00Z"),
        ("go_live_at", "2001-01-01T00:00:00Z"),
        ("embargo_until", "2001-01-01T00:00:00Z"),
        ("expires_at", "2099-01-01T00:00:00Z"),
        ("killed_at", "2001-01-01T00:00:00Z"),
        ("id", 1),
    ],
)
def test_fields_no_role_may_set_are_refused_on_create_and_edit(world, clients, field, value):
    for role in ("owner", "editor"):
        before = fingerprint()
        created = send(clients[role], "post", "/api/v1/articles/", {"headline": "New", field: value})
        assert created.status_code == 400, (role, field, created.status_code)
        assert field in json.dumps(created.json())
        etag = etag_of(world, "draft")
        edited = send(
            clients[role], "patch", f"/api/v1/articles/{world.stories['draft'].marker}/", {field: value},
            HTTP_IF_MATCH=etag,
        )  # fmt: skip
        assert edited.status_code == 400, (role, field, edited.status_code)
        assert fingerprint() == before


def test_a_created_story_belongs_to_whoever_filed_it(world, clients):
    response = send(clients["owner"], "post", "/api/v1/articles/", {"headline": "Filed by the owner"})
    assert response.status_code == 201
    article = Article.objects.get(slug=response.json()["slug"])
    assert article.created_by == world.users["owner"]
    assert article.status == Article.Status.DRAFT and article.version == 0
    # Not visible to another reporter, even through the create response's Location.
    assert clients["other_reporter"].get(response["Location"]).status_code == 404


def test_anonymous_and_unknown_tokens_cannot_write(world):
    for client in (Client(), Client(HTTP_AUTHORIZATION="Token not-a-real-token")):
        before = fingerprint()
        assert send(client, "post", "/api/v1/articles/", {"headline": "x"}).status_code in (401, 403)
        assert fingerprint() == before


LISTS = [
    "/api/v1/articles/",
    "/api/v1/quotes/",
    "/api/v1/speakers/",
    "/api/v1/contributors/",
    "/api/v1/images/",
]


@pytest.mark.parametrize("list_url", [*LISTS, "/api/v1/tags/"])
@pytest.mark.parametrize(
    "query",
    [
        "ordering=created_by__password",
        "ordering=-created_by__email",
        "ordering=status",
        "ordering=kill_notice",
        "status=draft",
        "status__in=draft,in_review",
        "created_by__username=owner-reporter",
        "created_by__password__startswith=md5",
        "article__status=draft",
        "headline__regex=.*",
        "pk__gt=0",
        "fields=created_by,status",
        "expand=created_by",
    ],
)
def test_filters_and_ordering_accept_allow_listed_fields_only(world, clients, list_url, query):
    hidden = [s.marker for s in world.stories.values() if s.state != "published"]
    for role in ("anonymous", "editor"):
        response = clients[role].get(f"{list_url}?{query}")
        assert response.status_code in (200, 400), (list_url, query, response.status_code)
        body = response.content.decode()
        for mark in hidden:
            assert mark not in body, (list_url, query, role)
        assert "md5$" not in body and "private@home.test" not in body
        if "ordering=" in query and query not in ("ordering=status",):
            assert response.status_code == 400, (list_url, query)


def test_another_reporters_admin_form_posts_change_nothing(world):
    other = Client()
    other.force_login(world.users["other_reporter"])
    for state in STATES:
        article = world.stories[state].article
        before = fingerprint()
        for url, data in [
            (
                reverse("admin:articles_article_change", args=[article.pk]),
                {"headline": "owned", "slug": "owned"},
            ),
            (reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}),
            (reverse("admin:articles_article_move", args=[article.pk, "publish"]), {}),
            (reverse("admin:articles_article_move", args=[article.pk, "kill"]), {"notice": "x"}),
            (reverse("admin:articles_article_preview_link", args=[article.pk]), {}),
        ]:
            response = other.post(url, data)
            assert response.status_code in (302, 403, 404), (url, response.status_code)
            assert "mk" not in response.get("Location", "") or "/admin/" in response.get("Location", "")
        assert fingerprint() == before, state
        assert Article.objects.filter(pk=article.pk).exists()


def test_a_reporter_cannot_publish_their_own_story_through_the_admin(world):
    owner = Client()
    owner.force_login(world.users["owner"])
    article = world.stories["in_review"].article
    before = fingerprint()
    response = owner.post(reverse("admin:articles_article_move", args=[article.pk, "publish"]), {})
    assert response.status_code in (302, 403)
    assert fingerprint() == before
