"""Leak matrix: every URL the project serves × every story state × every role.

The routes come from the URL resolver, so a new endpoint fails `test_every_route_is_classified`
until someone decides what it may show. For each story that a role may not see, the answer must be
indistinguishable from the answer for a story that does not exist (same status, same content type,
same error code), and the story's marker — in its headline, body, quotes, speaker, byline, tag,
image — must appear nowhere: not in lists, counts, searches, filters, feeds, sitemaps, embedded
relations, media listings, autocompletes, the schema, or the admin pages of another reporter.
"""

import contextlib
import json
import re
from urllib.parse import quote as urlquote

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from articles import preview
from tests.helpers.routes import (
    DESK_PART_ROUTES,
    DESK_ROUTES,
    EDITORIAL_ROUTES,
    GHOST,
    GHOST_KWARGS,
    GHOST_PK,
    LIST_ROUTES,
    QUERY_ROUTES,
    STORY_PART_ROUTES,
    STORY_ROUTES,
    UNNAMED_ROUTES,
    leaf_routes,
)
from tests.helpers.world import GONE_STATES, PUBLIC_STATES, ROLES, STATES, build_world

pytestmark = pytest.mark.django_db


def test_every_route_is_classified():
    known = set(STORY_ROUTES) | set(STORY_PART_ROUTES) | EDITORIAL_ROUTES | set(LIST_ROUTES) | QUERY_ROUTES
    known |= set(DESK_ROUTES) | set(DESK_PART_ROUTES)
    unclassified = []
    for route, pattern in leaf_routes():
        if route.startswith("admin/"):
            # Unnamed admin routes are its catch-all and the old "<id>/" address that redirects to change/.
            if (
                pattern.name is None
                and route not in UNNAMED_ROUTES
                and not route.endswith("<path:object_id>/")
            ):
                unclassified.append(route)
            continue
        if pattern.name not in known:
            unclassified.append(f"{route} ({pattern.name})")
    assert unclassified == [], "decide what these may show and add them to the leak matrix"
    models = {model._meta.label for model in admin.site._registry}
    assert models == STORY_SCOPED_ADMIN | SHARED_ADMIN | ADMIN_ONLY_ADMIN, "classify every admin model"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def clients(world):
    clients = {"anonymous": Client()}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def variants(name, kwargs):
    """The route as resolved with and without its format suffix (?format= and .json)."""
    urls = [reverse(name, kwargs=kwargs)]
    with contextlib.suppress(NoReverseMatch):  # routes without a format suffix
        urls.append(reverse(name, kwargs={**kwargs, "format": "json"}))
    return urls


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def error_shape(response, body):
    """What an observer can compare between two refusals: status, type, and a JSON error's code."""
    shape = (response.status_code, response.get("Content-Type", "").split(";")[0])
    if shape[1] == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            return shape
        if isinstance(data, dict):
            return (*shape, data.get("code"), tuple(sorted(data)))
    return shape


def assert_no_secrets(world, body, where):
    for secret in world.secrets:
        assert secret not in body, f"{where} shows a password hash, token or private e-mail"


def assert_same_as_nonexistent(client, url, ghost_url, story, role, world):
    response = client.get(url)
    body = body_of(response)
    # The answer for a nonexistent object is the same for every state: ask once per client and URL.
    ghosts = client.__dict__.setdefault("ghost_shapes", {})
    if ghost_url not in ghosts:
        ghost = client.get(ghost_url)
        ghosts[ghost_url] = error_shape(ghost, body_of(ghost))
    assert error_shape(response, body) == ghosts[ghost_url], (
        f"{role} can tell the {story.state} story exists at {url}"
    )
    assert story.marker not in body, f"{role} sees the {story.state} story at {url}"
    assert_no_secrets(world, body, url)


def role_may_edit(role, state):
    return role == "editor" or role == "owner"


def test_story_routes_show_public_stories_only(world, clients):
    for state in STATES:
        story = world.stories[state]
        for name, kwargs_for in STORY_ROUTES.items():
            kwargs = kwargs_for(story)
            ghost = {key: GHOST_KWARGS[key] for key in kwargs}
            for url, ghost_url in zip(variants(name, kwargs), variants(name, ghost), strict=True):
                for role in ROLES:
                    client = clients[role]
                    if state in PUBLIC_STATES:
                        response = client.get(url)
                        assert response.status_code == 200, (url, role)
                        assert story.marker in body_of(response)
                    elif state in GONE_STATES:
                        response = client.get(url)
                        body = body_of(response)
                        assert response.status_code == 410, (url, role)
                        # The notice stands where the story stood; the story itself does not.
                        assert f"Paragraph {story.marker}" not in body and f"Quote {story.marker}" not in body
                    else:
                        assert_same_as_nonexistent(client, url, ghost_url, story, role, world)


def test_story_parts_are_public_only_through_a_public_story(world, clients):
    for state in STATES:
        story = world.stories[state]
        for name, kwargs_for in STORY_PART_ROUTES.items():
            kwargs = kwargs_for(story)
            ghost = {key: GHOST_KWARGS[key] for key in kwargs}
            for url, ghost_url in zip(variants(name, kwargs), variants(name, ghost), strict=True):
                for role in ROLES:
                    if state in PUBLIC_STATES:
                        response = clients[role].get(url)
                        assert response.status_code == 200, (url, role)
                    else:
                        assert_same_as_nonexistent(clients[role], url, ghost_url, story, role, world)


def test_editorial_routes_reach_only_the_owner_and_editors(world, clients):
    for state in STATES:
        story = world.stories[state]
        for name in EDITORIAL_ROUTES:
            for url, ghost_url in zip(
                variants(name, {"slug": story.marker}), variants(name, {"slug": GHOST}), strict=True
            ):
                for role in ROLES:
                    if not role_may_edit(role, state):
                        assert_same_as_nonexistent(clients[role], url, ghost_url, story, role, world)


def test_desk_routes_show_each_role_only_the_stories_it_may_open(world, clients):
    for name, kwargs in DESK_ROUTES.items():
        for url in variants(name, kwargs):
            for role in ROLES:
                body = clients[role].get(url).content.decode()
                for state in STATES:
                    if state not in PUBLIC_STATES and not role_may_edit(role, state):
                        assert world.stories[state].marker not in body, (url, role, state)
    for state in STATES:
        story = world.stories[state]
        for name, kwargs_for in DESK_PART_ROUTES.items():
            kwargs = kwargs_for(story)
            ghost = {key: GHOST_KWARGS[key] for key in kwargs}
            for url, ghost_url in zip(variants(name, kwargs), variants(name, ghost), strict=True):
                for role in ROLES:
                    if state not in PUBLIC_STATES and not role_may_edit(role, state):
                        assert_same_as_nonexistent(clients[role], url, ghost_url, story, role, world)


def test_oembed_describes_public_stories_only(world, clients):
    for state in STATES:
        story = world.stories[state]
        url = f"/oembed/?url={urlquote(settings.SITE_URL + f'/stories/{story.marker}/')}"
        ghost_url = f"/oembed/?url={urlquote(settings.SITE_URL + f'/stories/{GHOST}/')}"
        for role in ROLES:
            if state in PUBLIC_STATES:
                assert clients[role].get(url).status_code == 200
            elif state not in GONE_STATES:
                assert_same_as_nonexistent(clients[role], url, ghost_url, story, role, world)


def list_urls():
    for name, kwargs in LIST_ROUTES.items():
        for each in kwargs if isinstance(kwargs, list) else [kwargs]:
            yield from variants(name, each)


def filtered_list_urls(story):
    """Lists narrowed to one story's speaker, tag, byline or words: they must come back empty."""
    mark = story.marker
    yield f"/api/v1/articles/?speaker={story.speaker_slug}"
    yield f"/api/v1/articles/?tag={story.tag_slug}"
    yield f"/api/v1/articles/?section={story.section_slug}"
    yield f"/api/v1/articles/?contributor={story.contributor_slug}"
    yield f"/api/v1/articles/?search={mark}"
    yield f"/api/v1/articles/?q={mark}"
    yield f"/api/v1/quotes/?speaker={story.speaker_slug}"
    yield f"/api/v1/quotes/?article={mark}"
    yield f"/api/v1/quotes/?search={mark}"
    yield f"/api/v1/speakers/?search={mark}"
    yield f"/api/v1/contributors/?search={mark}"
    yield f"/api/v1/tags/?search={mark}"
    yield f"/api/v1/images/?search={mark}"
    yield f"/?q={mark}"


def hidden_markers(world):
    return [s.marker for s in world.stories.values() if s.state not in PUBLIC_STATES]


def test_no_list_feed_sitemap_or_schema_reveals_a_hidden_story(world, clients):
    hidden = hidden_markers(world)
    for role in ROLES:
        for url in list_urls():
            response = clients[role].get(url)
            body = body_of(response)
            assert response.status_code < 500, url
            for mark in hidden:
                assert mark not in body, f"{url} shows {mark} to {role}"
            assert_no_secrets(world, body, url)


def test_no_filter_or_search_reveals_a_hidden_story(world, clients):
    for state in STATES:
        story = world.stories[state]
        if state in PUBLIC_STATES:
            continue
        for role in ROLES:
            for url in filtered_list_urls(story):
                response = clients[role].get(url)
                body = body_of(response)
                ghost = clients[role].get(re.sub(r"mk[a-z]+mk", GHOST, url))
                assert story.marker not in body.replace(url, ""), f"{url} reveals it to {role}"
                assert error_shape(response, body)[:2] == error_shape(ghost, body_of(ghost))[:2], url


def test_a_preview_token_opens_its_own_story_and_no_other(world, clients):
    draft, in_review = world.stories["draft"], world.stories["in_review"]
    token = preview.make_token(draft.article)
    anonymous = clients["anonymous"]
    opened = anonymous.get(f"/api/v1/articles/{draft.marker}/?preview={token}")
    assert opened.status_code == 200 and "no-store" in opened["Cache-Control"]
    page = anonymous.get(f"/stories/{draft.marker}/?preview={token}")
    assert page.status_code == 200 and "noindex" in page["X-Robots-Tag"]
    for url in [f"/api/v1/articles/{in_review.marker}/", f"/stories/{in_review.marker}/"]:
        assert_same_as_nonexistent(
            anonymous, f"{url}?preview={token}", f"/stories/{GHOST}/?preview={token}"
            if url.startswith("/stories/") else f"/api/v1/articles/{GHOST}/?preview={token}",
            in_review, "anonymous", world,
        )  # fmt: skip
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert anonymous.get(f"/api/v1/articles/{draft.marker}/?preview={forged}").status_code == 404
    # A preview never leaks into lists.
    assert draft.marker not in body_of(anonymous.get(f"/api/v1/articles/?preview={token}"))


# Admin ----------------------------------------------------------------------------------------

# Rows that belong to one story: another reporter must not reach them.
STORY_SCOPED_ADMIN = {
    "articles.Article",
    "articles.Block",
    "articles.Quote",
    "articles.Correction",
    "articles.AuditEntry",
}
# The newsroom's shared directories: every staff member picks from them (people, pictures, taxonomy).
SHARED_ADMIN = {
    "articles.Speaker",
    "articles.Image",
    "articles.Embed",
    "articles.Section",
    "articles.Tag",
    "contributors.Contributor",
}
# Only admins have these at all; the role tests check that reporters and editors cannot open them.
ADMIN_ONLY_ADMIN = {
    "articles.Webhook",
    "articles.WebhookDelivery",
    "auth.Group",
    "auth.User",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "django_tasks_database.DBTaskResult",
    "knox.AuthToken",
    "otp_static.StaticDevice",
    "otp_totp.TOTPDevice",
}


def story_objects(story):
    article = story.article
    return {
        "articles.Article": article.pk,
        "articles.Block": article.blocks.first().pk,
        "articles.Quote": story.quote.pk,
        "articles.Correction": getattr(article.corrections.first(), "pk", None),
        "articles.AuditEntry": None,
    }


def admin_object_urls(label, object_id):
    app_label, model_name = label.lower().split(".")
    prefix = f"admin/{app_label}/{model_name}/"
    for route, pattern in leaf_routes():
        if not route.startswith(prefix) or "object_id" not in route or not pattern.name:
            continue
        kwargs = {"object_id": object_id}
        if "<str:verb>" in route:
            kwargs["verb"] = "publish"
        if "version_id" in route:
            continue
        yield reverse(f"admin:{pattern.name}", kwargs=kwargs)


def test_another_reporter_cannot_reach_a_reporters_stories_in_the_admin(world, clients):
    other = clients["other_reporter"]
    for state in STATES:
        story = world.stories[state]
        for label, pk in story_objects(story).items():
            if pk is None:
                continue
            for url, ghost_url in zip(
                admin_object_urls(label, pk), admin_object_urls(label, GHOST_PK), strict=True
            ):
                response = other.get(url)
                ghost = other.get(ghost_url)
                assert response.status_code == ghost.status_code, f"{url}: {response.status_code}"
                assert story.marker not in body_of(response), url


def test_admin_lists_and_autocompletes_show_another_reporter_nothing_of_their_stories(world, clients):
    other = clients["other_reporter"]
    markers = [s.marker for s in world.stories.values()]
    urls = []
    for label in sorted(STORY_SCOPED_ADMIN):
        app_label, model_name = label.lower().split(".")
        changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
        urls += [changelist, f"{changelist}?q=mk", f"{changelist}?status__exact=draft"]
    for model_name, field_name in [("quote", "article"), ("block", "article"), ("correction", "article")]:
        urls.append(
            f"/admin/autocomplete/?app_label=articles&model_name={model_name}&field_name={field_name}&term=mk"
        )
    urls += ["/admin/", "/admin/articles/article/recover/"]
    for url in urls:
        response = other.get(url)
        body = body_of(response)
        for mark in markers:
            assert mark not in body, f"{url} shows another reporter {mark}"
        assert_no_secrets(world, body, url)


def test_the_owner_and_editors_do_see_the_stories_in_the_admin(world, clients):
    for role in ("owner", "editor"):
        body = body_of(clients[role].get("/admin/articles/article/"))
        for story in world.stories.values():
            assert story.marker in body, (role, story.state)


@pytest.mark.parametrize("role", ["owner", "other_reporter", "editor"])
def test_staff_roles_cannot_open_accounts_tokens_or_security_logs(world, clients, role):
    for label in sorted(ADMIN_ONLY_ADMIN):
        app_label, model_name = label.lower().split(".")
        response = clients[role].get(reverse(f"admin:{app_label}_{model_name}_changelist"))
        assert response.status_code == 403, (role, label)
    for user in world.users.values():
        body = body_of(clients[role].get(reverse("admin:auth_user_change", args=[user.pk])))
        assert_no_secrets(world, body, f"user {user.username} as {role}")
