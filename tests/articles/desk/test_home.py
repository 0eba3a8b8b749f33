"""The desk home at /admin/: each person's work, cut to what their role lets them open."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db
Status = Article.Status


def shelf(page, key):
    start = page.index(f'id="shelf-{key}"')
    return page[start : page.find("</section>", start)]


def test_an_editor_sees_drafts_review_schedule_published_and_overdue_each_as_a_link(client, editor):
    now = timezone.now()
    mine = ArticleFactory(headline="My own draft", created_by=editor)
    review = ArticleFactory(headline="Waiting for the desk", status=Status.IN_REVIEW)
    soon = ArticleFactory(
        headline="Goes out at dawn", status=Status.SCHEDULED, go_live_at=now + timedelta(hours=5)
    )
    late = ArticleFactory(
        headline="Missed its slot", status=Status.SCHEDULED, go_live_at=now - timedelta(hours=1)
    )
    out = PublishedArticleFactory(headline="Out this morning")
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    for key, story in [
        ("drafts", mine),
        ("review", review),
        ("scheduled", soon),
        ("overdue", late),
        ("published", out),
    ]:
        assert reverse("admin:articles_article_change", args=[story.pk]) in shelf(page, key), key
    assert timezone.localtime(soon.go_live_at).strftime("%H:%M") in shelf(page, "scheduled")
    assert "Missed its slot" not in shelf(page, "scheduled")


def test_a_reporter_sees_only_their_own_stories(client, reporter, other_reporter):
    ArticleFactory(headline="Olena's draft", created_by=reporter)
    ArticleFactory(headline="Someone else's draft", created_by=other_reporter)
    ArticleFactory(headline="Someone else's review", created_by=other_reporter, status=Status.IN_REVIEW)
    client.force_login(reporter)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Olena&#x27;s draft" in shelf(page, "drafts")
    assert "Someone else" not in page
    assert 'id="shelf-overdue"' not in page  # shown only when something is overdue


def test_the_site_is_branded_and_the_sidebar_grouped_for_editors(client, editor, settings):
    settings.SITE_NAME = "Kyiv Evening Post"
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Kyiv Evening Post" in page and "Django administration" not in page
    groups = [app["name"] for app in client.get(reverse("admin:index")).context["app_list"]]
    assert groups[:4] == ["Stories", "People", "Pictures", "Sections and tags"]
    sidebar = {
        m["object_name"]
        for app in client.get(reverse("admin:index")).context["app_list"]
        for m in app["models"]
    }
    assert not sidebar & {"Block", "Embed", "AuditEntry"}
    # Internal parts stay reachable from the app's own page, and registered for everything that uses them.
    app_page = client.get(reverse("admin:app_list", args=["articles"])).context["app_list"]
    assert {"Block", "Embed", "AuditEntry"} <= {m["object_name"] for app in app_page for m in app["models"]}
    assert {Article, *[m for m in admin.site._registry if m._meta.object_name in ("Block", "Embed")]} <= set(
        admin.site._registry
    )


def test_the_desk_home_costs_a_fixed_number_of_queries(client, editor, django_assert_max_num_queries):
    for n in range(15):
        ArticleFactory(headline=f"Draft {n}", created_by=editor)
        PublishedArticleFactory(headline=f"Live {n}")
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        client.get(reverse("admin:index"))
