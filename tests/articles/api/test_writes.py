"""Writing stories through the API: token auth, one validated request, If-Match, workflow verbs, roles."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from articles.models import Article, Correction, Quote
from tests.factories import ArticleFactory, PublishedArticleFactory, UserFactory
from tests.helpers.api import story_payload, token_client

pytestmark = pytest.mark.django_db


def create(client, **overrides):
    response = client.post("/api/v1/articles/", story_payload(**overrides), format="json")
    assert response.status_code == 201, response.content
    return response


# Authentication and roles


def test_writes_need_a_staff_token(people):
    anonymous = APIClient().post("/api/v1/articles/", story_payload(), format="json")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    assert anonymous["WWW-Authenticate"] == "Token"
    outsider = token_client(UserFactory(is_staff=False)).post(
        "/api/v1/articles/", story_payload(), format="json"
    )
    assert outsider.status_code == 403 and outsider.json()["code"] == "permission_denied"
    revoked = token_client(UserFactory(is_staff=True))
    AuthToken.objects.all().delete()
    assert revoked.post("/api/v1/articles/", story_payload(), format="json").status_code == 401


def test_a_reporter_files_a_whole_story_in_one_request(reporter, people):
    response = create(token_client(reporter))
    data = response.json()
    article = Article.objects.get(slug=data["slug"])
    assert response["ETag"] == article.etag
    assert response["Location"].endswith(f"/api/v1/articles/{article.slug}/edit/")
    assert article.status == Article.Status.DRAFT and article.created_by == reporter
    assert [b.type for b in article.blocks.order_by("position")] == ["paragraph", "quote", "embed"]
    quote = Quote.objects.get(article=article)
    assert quote.block == article.blocks.get(position=0) and quote.speaker.slug == "zelensky"
    assert article.blocks.get(position=1).quote == quote
    assert data["status"] == "draft" and data["bylines"][0]["slug"] == "tim-lister"
    assert data["body"][1]["quote"]["text"] == "We will not give up,"
    assert [t["slug"] for t in data["tags"]] == ["ukraine"]
    # Filed, not published: the public API does not know it.
    assert APIClient().get(f"/api/v1/articles/{article.slug}/").status_code == 404


def test_paragraph_markup_is_sanitized_on_the_way_in(reporter, people):
    body = [{"type": "paragraph", "text": "Hello <script>alert(1)</script><strong>there</strong>"}]
    data = create(token_client(reporter), body=body, quotes=[]).json()
    assert data["body"][0]["html"] == "Hello <strong>there</strong>"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"status": "published"}, "status"),
        ({"version": 9}, "version"),
        ({"go_live_at": "2030-01-01T00:00:00Z"}, "go_live_at"),
        ({"colour": "red"}, "colour"),
        ({"headline": ""}, "headline"),
        ({"tags": ["no-such-tag"]}, "tags"),
        ({"body": [{"type": "paragraph", "text": "<br>"}], "quotes": []}, "body.0.text"),
        ({"body": [{"type": "image", "text": "x"}], "quotes": []}, "body.0.text"),
        ({"body": [{"type": "video"}], "quotes": []}, "body.0.type"),
        ({"body": [{"type": "quote", "quote_index": 3}], "quotes": []}, "body.0.quote_index"),
        ({"quotes": [{"text": "Words nobody said", "block_index": 0}]}, "quotes.0.text"),
        ({"quotes": [{"text": "We will not give up,", "block_index": 2}]}, "quotes.0.block_index"),
        ({"quotes": [{"text": "We will not give up,", "speaker": "nobody"}]}, "quotes.0.speaker"),
        ({"bylines": [{"contributor": "tim-lister", "role": "astronaut"}]}, "bylines.0.role"),
        (
            {"bylines": [{"contributor": "tim-lister", "role": "author"}] * 2},
            "bylines.1",
        ),
        ({"slug": "Not A Slug"}, "slug"),
    ],
)
def test_invalid_stories_are_refused_naming_the_field(reporter, people, overrides, field):
    response = token_client(reporter).post("/api/v1/articles/", story_payload(**overrides), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"], body
    assert not Article.objects.exists()


def test_read_only_fields_say_where_to_change_them(reporter, people):
    response = token_client(reporter).post(
        "/api/v1/articles/", story_payload(status="published"), format="json"
    )
    assert "publish" in response.json()["fields"]["status"][0]["message"]


def test_a_taken_address_is_refused(reporter, people):
    ArticleFactory(slug="taken")
    response = token_client(reporter).post("/api/v1/articles/", story_payload(slug="taken"), format="json")
    assert response.status_code == 400 and "slug" in response.json()["fields"]


def test_the_body_must_be_json(reporter):
    response = token_client(reporter).post("/api/v1/articles/", "headline", content_type="text/plain")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    broken = token_client(reporter).post("/api/v1/articles/", "{", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"


# Optimistic concurrency


def test_patch_needs_if_match_and_refuses_a_stale_etag_without_writing(reporter, people):
    client = token_client(reporter)
    created = create(client)
    slug, etag = created.json()["slug"], created["ETag"]
    url = f"/api/v1/articles/{slug}/"

    missing = client.patch(url, {"headline": "New"}, format="json")
    assert missing.status_code == 428 and missing.json()["code"] == "precondition_required"

    first = client.patch(url, {"headline": "First editor"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] != etag
    assert first.json()["headline"] == "First editor"

    second = client.patch(url, {"headline": "Second editor"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412 and second.json()["code"] == "precondition_failed"
    assert Article.objects.get(slug=slug).headline == "First editor"

    wildcard = client.patch(url, {"headline": "Any"}, format="json", HTTP_IF_MATCH="*")
    assert wildcard.status_code == 428


def test_an_edit_that_loses_the_race_after_validation_writes_nothing(reporter, people, monkeypatch):
    from articles.services import editing

    client = token_client(reporter)
    created = create(client)
    article = Article.objects.get(slug=created.json()["slug"])
    real_locked = editing.locked

    def someone_saves_first(target):
        # Another editor's save lands between this request's checks and its lock.
        Article.objects.filter(pk=target.pk).update(updated_at=timezone.now())
        return real_locked(target)

    monkeypatch.setattr(editing, "locked", someone_saves_first)
    response = client.patch(
        f"/api/v1/articles/{article.slug}/",
        {"headline": "Mine"},
        format="json",
        HTTP_IF_MATCH=created["ETag"],
    )
    assert response.status_code == 412
    assert Article.objects.get(pk=article.pk).headline == article.headline


def test_patch_replaces_body_and_quotes_together(reporter, people):
    client = token_client(reporter)
    created = create(client)
    url, etag = f"/api/v1/articles/{created.json()['slug']}/", created["ETag"]
    alone = client.patch(
        url, {"body": [{"type": "paragraph", "text": "Only this."}]}, format="json", HTTP_IF_MATCH=etag
    )
    assert alone.status_code == 400 and "quotes" in alone.json()["fields"]
    both = client.patch(
        url,
        {"body": [{"type": "paragraph", "text": "Only this."}], "quotes": []},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert both.status_code == 200
    assert [b["type"] for b in both.json()["body"]] == ["paragraph"] and both.json()["quotes"] == []
    assert both.json()["tags"] and both.json()["bylines"]  # untouched by the PATCH


def test_put_replaces_the_whole_story(reporter, people):
    client = token_client(reporter)
    created = create(client)
    slug = created.json()["slug"]
    response = client.put(
        f"/api/v1/articles/{slug}/", {"headline": "Rewritten"}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["headline"] == "Rewritten" and data["slug"] == slug
    assert data["body"] == [] and data["bylines"] == [] and data["tags"] == [] and data["dek"] == ""


@pytest.mark.parametrize("quotes", [5, 200])
def test_edit_costs_a_fixed_number_of_queries(editor, django_assert_num_queries, quotes):
    article = PublishedArticleFactory(bylines=1, quotes=quotes)
    client = token_client(editor)
    # 1-2 the token and its user (knox), 3-4 the role's permissions, 5 the story as the role may see it,
    # then the detail's 3: story with tags, bylines and corrections folded in, blocks, quotes
    with django_assert_num_queries(8):
        response = client.get(f"/api/v1/articles/{article.slug}/edit/")
    assert len(response.json()["quotes"]) == quotes


def test_edit_shows_any_stage_to_its_editors_with_the_etag(reporter, other_reporter, people):
    created = create(token_client(reporter))
    slug = created.json()["slug"]
    mine = token_client(reporter).get(f"/api/v1/articles/{slug}/edit/")
    assert (
        mine.status_code == 200
        and mine["ETag"] == created["ETag"]
        and mine["Cache-Control"] == "private, no-store"
    )
    assert token_client(other_reporter).get(f"/api/v1/articles/{slug}/edit/").status_code == 404
    assert APIClient().get(f"/api/v1/articles/{slug}/edit/").status_code == 401


# Workflow verbs and roles


def test_reporters_edit_their_own_drafts_only(reporter, other_reporter, people):
    created = create(token_client(reporter))
    url, etag = f"/api/v1/articles/{created.json()['slug']}/", created["ETag"]
    theirs = token_client(other_reporter).patch(
        url, {"headline": "Mine now"}, format="json", HTTP_IF_MATCH=etag
    )
    assert theirs.status_code == 404
    submitted = token_client(reporter).post(f"{url}submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"
    in_review = token_client(reporter).patch(
        url, {"headline": "Too late"}, format="json", HTTP_IF_MATCH=submitted["ETag"]
    )
    assert in_review.status_code == 403 and in_review.json()["code"] == "permission_denied"


def test_reporters_cannot_publish(reporter, people):
    created = create(token_client(reporter))
    response = token_client(reporter).post(
        f"/api/v1/articles/{created.json()['slug']}/publish/", {}, format="json"
    )
    assert response.status_code == 403
    assert Article.objects.get().status == Article.Status.DRAFT


def test_an_editor_runs_a_story_through_the_workflow(editor, reporter, people):
    slug = create(token_client(reporter)).json()["slug"]
    desk = token_client(editor)
    url = f"/api/v1/articles/{slug}/"

    published = desk.post(f"{url}publish/", {}, format="json")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published" and published.json()["version"] == 1
    assert APIClient().get(url).status_code == 200

    edited = desk.patch(url, {"dek": "Now with more."}, format="json", HTTP_IF_MATCH=published["ETag"])
    assert edited.status_code == 200 and edited.json()["version"] == 2

    corrected = desk.post(
        f"{url}corrections/", {"kind": "correction", "note": "We misspelled a name."}, format="json"
    )
    assert corrected.status_code == 201 and corrected.json()["note"] == "We misspelled a name."
    assert corrected["ETag"] == Article.objects.get(slug=slug).etag
    assert Correction.objects.get().created_by == editor

    stale = desk.post(f"{url}unpublish/", {}, format="json", HTTP_IF_MATCH=edited["ETag"])
    assert stale.status_code == 412

    unpublished = desk.post(f"{url}unpublish/", {"note": "Legal check"}, format="json")
    assert unpublished.status_code == 200 and unpublished.json()["status"] == "draft"
    assert APIClient().get(url).status_code == 404

    later = (timezone.now() + timedelta(hours=2)).isoformat()
    scheduled = desk.post(f"{url}schedule/", {"go_live_at": later}, format="json")
    assert scheduled.status_code == 200 and scheduled.json()["status"] == "scheduled"

    killed = desk.post(f"{url}kill/", {"notice": "Withdrawn for legal reasons."}, format="json")
    assert killed.status_code == 200 and killed.json()["status"] == "killed"

    again = desk.post(f"{url}publish/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def test_workflow_refusals_are_explained(editor):
    bare = ArticleFactory(created_by=editor)
    desk = token_client(editor)
    not_ready = desk.post(f"/api/v1/articles/{bare.slug}/publish/", {}, format="json")
    assert not_ready.status_code == 400 and "byline" in not_ready.json()["message"]
    past = desk.post(
        f"/api/v1/articles/{bare.slug}/schedule/",
        {"go_live_at": (timezone.now() - timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert past.status_code == 400 and past.json()["code"] == "workflow_error"
    no_notice = desk.post(f"/api/v1/articles/{bare.slug}/kill/", {}, format="json")
    assert no_notice.status_code == 400 and "notice" in no_notice.json()["fields"]


def test_reporters_cannot_correct(reporter):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    article.created_by = reporter
    article.save()
    response = token_client(reporter).post(
        f"/api/v1/articles/{article.slug}/corrections/", {"note": "x"}, format="json"
    )
    assert response.status_code == 403


# Tokens in the admin


def test_admins_create_list_and_revoke_tokens_and_see_the_key_once(client, editor):
    admin_user = UserFactory(username="boss", is_staff=True, role="admin")
    client.force_login(admin_user)
    created = client.post("/admin/knox/authtoken/add/", {"user": editor.pk, "expiry": ""}, follow=True)
    assert created.status_code == 200
    [message] = [str(m) for m in created.context["messages"] if "not be shown again" in str(m)]
    key = message.rsplit(" ", 1)[-1]
    token = AuthToken.objects.get(user=editor)
    assert key.startswith(token.token_key) and key != token.digest
    draft = ArticleFactory(created_by=editor)
    with_key = APIClient()
    with_key.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert with_key.get(f"/api/v1/articles/{draft.slug}/edit/").status_code == 200
    listing = client.get("/admin/knox/authtoken/")
    assert token.token_key.encode() in listing.content and key.encode() not in listing.content
    detail = client.get(f"/admin/knox/authtoken/{token.pk}/change/")
    assert detail.status_code == 200 and key.encode() not in detail.content
    client.post(f"/admin/knox/authtoken/{token.pk}/delete/", {"post": "yes"})
    assert not AuthToken.objects.exists()
    assert with_key.get(f"/api/v1/articles/{draft.slug}/edit/").status_code == 401


def test_tokens_are_only_for_staff_accounts(client):
    admin_user = UserFactory(username="boss", is_staff=True, role="admin")
    client.force_login(admin_user)
    reader = UserFactory(is_staff=False)
    response = client.post("/admin/knox/authtoken/add/", {"user": reader.pk, "expiry": ""})
    assert response.status_code == 200 and not AuthToken.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks and concurrent connections")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_edits_of_one_version_land_exactly_once(reporter, people, monkeypatch):
    from articles.services import editing

    created = create(token_client(reporter))
    url, etag = f"/api/v1/articles/{created.json()['slug']}/", created["ETag"]
    both_checked = threading.Barrier(2, timeout=10)
    real_locked = editing.locked

    def locked_together(article):
        # Both requests have passed every early check before either takes the lock.
        both_checked.wait()
        return real_locked(article)

    monkeypatch.setattr(editing, "locked", locked_together)
    statuses = {}

    def edit(headline):
        try:
            client = token_client(reporter)
            statuses[headline] = client.patch(
                url, {"headline": headline}, format="json", HTTP_IF_MATCH=etag
            ).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(name,)) for name in ("Alpha", "Beta")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(statuses.values()) == [200, 412]
    winner = next(name for name, code in statuses.items() if code == 200)
    assert Article.objects.get(slug=created.json()["slug"]).headline == winner


def test_stories_are_not_deleted_through_the_api(editor, published_article):
    response = token_client(editor).delete(f"/api/v1/articles/{published_article.slug}/")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert Article.objects.filter(pk=published_article.pk).exists()
