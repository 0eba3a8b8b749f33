"""Addresses never die: a published story's old slug answers 301 on the page, the API and ninjs; every
story has a stable id it can be fetched by."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article
from tests.factories import ArticleFactory, PublishedArticleFactory
from tests.helpers.api import token_client

pytestmark = pytest.mark.django_db


def move(article, slug):
    article = Article.objects.get(pk=article.pk)
    article.slug = slug
    article.save()
    return article


def test_an_editor_moves_a_published_story_through_the_api_and_its_old_addresses_redirect(client, editor):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    old = article.slug
    response = token_client(editor).patch(
        f"/api/v1/articles/{old}/", {"slug": "new-address"}, format="json", HTTP_IF_MATCH=article.etag
    )
    assert response.status_code == 200, response.content
    assert response.json()["slug"] == "new-address"

    page = client.get(f"/stories/{old}/")
    assert (page.status_code, page["Location"]) == (301, "/stories/new-address/")
    api = client.get(f"/api/v1/articles/{old}/")
    assert (api.status_code, api["Location"]) == (301, "/api/v1/articles/new-address/")
    ninjs = client.get(f"/api/v1/articles/{old}/?format=ninjs")
    assert (ninjs.status_code, ninjs["Location"]) == (301, "/api/v1/articles/new-address/?format=ninjs")
    assert client.get("/stories/new-address/").status_code == 200
    assert client.get("/api/v1/articles/new-address/?format=ninjs").status_code == 200


def test_a_slug_changed_in_the_admin_redirects_too(client):
    # The admin's form saves the story like this; the redirect is kept by the model, whoever saves it.
    article = move(PublishedArticleFactory(bylines=1, quotes=1), "renamed-in-the-admin")
    old = article.former_slugs.get().slug
    assert client.get(f"/stories/{old}/")["Location"] == "/stories/renamed-in-the-admin/"


def test_redirects_are_cached_and_purged_with_the_story(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    old = article.slug
    move(article, "moved")
    response = client.get(f"/stories/{old}/")
    assert response["Cache-Control"].startswith("public, max-age=")
    assert f"article-{article.pk}" in response["Surrogate-Key"].split()


def test_a_story_moved_twice_redirects_from_both_old_addresses_to_the_newest(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    first = article.slug
    article = move(article, "second")
    move(article, "third")
    for old in (first, "second"):
        assert client.get(f"/stories/{old}/")["Location"] == "/stories/third/"


def test_moving_back_to_an_old_address_drops_its_redirect(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    first = article.slug
    article = move(article, "elsewhere")
    move(article, first)
    assert client.get(f"/stories/{first}/").status_code == 200
    assert client.get("/stories/elsewhere/")["Location"] == f"/stories/{first}/"


def test_a_draft_renamed_before_publication_leaves_no_redirect(client):
    draft = ArticleFactory()
    old = draft.slug
    move(draft, "better-slug")
    assert client.get(f"/stories/{old}/").status_code == 404


def test_an_unpublished_story_does_not_reveal_its_new_address(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    old = article.slug
    article = move(article, "quietly-moved")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get(f"/stories/{old}/").status_code == 404
    assert client.get(f"/api/v1/articles/{old}/").status_code == 404


def test_another_story_cannot_take_an_old_address(editor):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    old = article.slug
    move(article, "moved-on")
    other = PublishedArticleFactory(bylines=1, quotes=1)
    response = token_client(editor).patch(
        f"/api/v1/articles/{other.slug}/", {"slug": old}, format="json", HTTP_IF_MATCH=other.etag
    )
    assert response.status_code == 400 and "slug" in response.json()["fields"]
    other.slug = old
    with pytest.raises(ValidationError):
        other.full_clean()


def test_stories_carry_a_stable_id_and_can_be_fetched_by_it(client):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    by_slug = client.get(f"/api/v1/articles/{article.slug}/")
    assert by_slug.json()["id"] == article.pk
    assert client.get("/api/v1/articles/").json()["results"][0]["id"] == article.pk
    by_id = client.get(f"/api/v1/articles/id/{article.pk}/")
    assert by_id.status_code == 200
    assert by_id.json() == by_slug.json()
    assert f"article-{article.pk}" in by_id["Surrogate-Key"].split()
    move(article, "a-new-slug")
    assert client.get(f"/api/v1/articles/id/{article.pk}/").json()["slug"] == "a-new-slug"
    ninjs = client.get(f"/api/v1/articles/id/{article.pk}/?format=ninjs")
    assert ninjs.status_code == 200 and ninjs.json()["slugline"] == "a-new-slug"


def test_ids_of_unknown_or_unpublished_stories_are_not_found(client):
    draft = ArticleFactory()
    assert client.get(f"/api/v1/articles/id/{draft.pk}/").status_code == 404
    assert client.get("/api/v1/articles/id/999999/").status_code == 404


def test_a_new_story_is_not_given_an_old_address(editor):
    article = PublishedArticleFactory(bylines=1, quotes=1)
    old = article.slug
    move(article, "moved-away")
    created = token_client(editor).post(
        "/api/v1/articles/", {"headline": old.replace("-", " ")}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["slug"] != old
