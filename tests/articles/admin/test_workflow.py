"""The workflow as editors and reporters meet it in the admin."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import preview
from articles.models import Article, AuditEntry, Block
from articles.services.errors import NotReadyToPublish
from articles.services.workflow import article_correct, article_publish, article_unpublish
from tests.factories import ArticleFactory, BlockFactory, QuoteFactory, UserFactory
from tests.helpers.admin import change_url, form_data, move_url

pytestmark = pytest.mark.django_db

Status = Article.Status


# Roles reaching stories by URL.


def test_a_reporter_cannot_reach_another_reporters_draft_by_any_url(client, reporter, other_reporter):
    theirs = ArticleFactory(ready=True, created_by=other_reporter, headline="Their scoop")
    client.force_login(reporter)
    urls = [
        change_url(theirs),
        move_url(theirs, "submit"),
        reverse("admin:articles_article_preview", args=[theirs.pk]),
        reverse("admin:articles_article_preview_link", args=[theirs.pk]),
        reverse("admin:articles_article_history", args=[theirs.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert b"Their scoop" not in response.content, url
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Their scoop" not in changelist
    # Nor through the parts of the story that have admin pages of their own.
    block = theirs.blocks.get()
    assert client.get(reverse("admin:articles_block_change", args=[block.pk])).status_code == 302
    assert (
        "The first paragraph" not in client.get(reverse("admin:articles_block_changelist")).content.decode()
    )


def test_a_reporter_edits_their_own_draft_and_files_it(client, reporter):
    story = ArticleFactory(ready=True, created_by=reporter)
    client.force_login(reporter)
    page = client.get(change_url(story))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Submit for review" in html and "Publish now" not in html
    data = form_data(page)
    data["headline"] = "A sharper headline"
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "A sharper headline"
    assert client.post(move_url(story, "submit"), {"note": "Ready"}).status_code == 302
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW


def test_a_reporter_cannot_change_a_story_once_it_is_in_review(client, reporter):
    story = ArticleFactory(ready=True, created_by=reporter, status=Status.IN_REVIEW)
    client.force_login(reporter)
    page = client.get(change_url(story))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url(story), {"headline": "Sneaky"}).status_code == 403
    story.refresh_from_db()
    assert story.headline != "Sneaky"


def test_a_reporter_cannot_publish_through_the_move_page_or_the_action(client, reporter):
    story = ArticleFactory(ready=True, created_by=reporter)
    client.force_login(reporter)
    assert client.post(move_url(story, "publish")).status_code == 403
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [story.pk]},
    )
    assert response.status_code in (200, 302)  # the action is not offered to reporters at all
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_status_and_timing_cannot_be_posted_past_the_workflow(client, editor):
    story = ArticleFactory(ready=True)
    client.force_login(editor)
    data = form_data(client.get(change_url(story)))
    data.update(status="published", go_live_at="2020-01-01 00:00:00")
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.go_live_at is None


# Editors' moves.


def test_an_editor_publishes_from_the_story_page(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    client.force_login(editor)
    page = client.get(change_url(story)).content.decode()
    assert move_url(story, "publish") in page
    response = client.post(move_url(story, "publish"), {"embargo_until": ""}, follow=True)
    assert "Published." in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.version == 1


def test_publish_page_says_exactly_what_is_missing(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    story.bylines.all().delete()
    client.force_login(editor)
    assert "Add at least one byline." in client.get(move_url(story, "publish")).content.decode()
    response = client.post(move_url(story, "publish"), {"embargo_until": ""})
    assert response.status_code == 200
    assert "This story cannot go out yet: Add at least one byline." in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW


def test_images_without_alt_text_or_credit_block_publishing(editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.models import Image

    gif = (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
        b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    image = Image.objects.create(file=SimpleUploadedFile("dot.gif", gif), caption="A dot")
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW, lead_image=image)
    BlockFactory(article=story, position=5, type=Block.Type.IMAGE, text="", image=image)
    with pytest.raises(NotReadyToPublish) as refused:
        article_publish(article=story, by=editor)
    assert refused.value.problems == [
        f"The lead image (“A dot”, id {image.pk}) needs alt text and a credit.",
        f"The image in body block 2 (“A dot”, id {image.pk}) needs alt text and a credit.",
    ]
    image.alt_text, image.credit = "A black dot", "Photo: Desk"
    image.save()
    article_publish(article=story, by=editor)


def test_scheduling_from_the_admin(client, editor):
    story = ArticleFactory(ready=True)
    client.force_login(editor)
    go_live = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    response = client.post(
        move_url(story, "schedule"),
        {"go_live_at": go_live.strftime("%Y-%m-%dT%H:%M:%S"), "expires_at": "", "embargo_until": ""},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.SCHEDULED and story.go_live_at == go_live
    listing = client.get(reverse("admin:articles_article_changelist"), {"timing": "waiting"})
    assert story.headline in listing.content.decode()


def test_scheduling_in_the_past_shows_the_reason_on_the_form(client, editor):
    story = ArticleFactory(ready=True)
    client.force_login(editor)
    response = client.post(move_url(story, "schedule"), {"go_live_at": "2020-01-01T00:00:00"})
    assert response.status_code == 200
    assert "Choose a go-live time in the future" in response.content.decode()


def test_killing_from_the_admin_leaves_a_410_with_the_notice(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    article_publish(article=story, by=editor)
    client.force_login(editor)
    assert client.post(move_url(story, "kill"), {"notice": "Withdrawn: legal reasons."}).status_code == 302
    client.logout()
    page = client.get(story.get_absolute_url())
    assert page.status_code == 410
    assert "Withdrawn: legal reasons." in page.content.decode()
    assert story.headline not in page.content.decode()
    api = client.get(f"/api/v1/articles/{story.slug}/")
    assert api.status_code == 410
    assert api.json()["kill_notice"] == "Withdrawn: legal reasons."


def test_a_correction_from_the_admin_shows_in_the_api_with_a_new_version(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    article_publish(article=story, by=editor)
    before = client.get(f"/api/v1/articles/{story.slug}/").json()
    client.force_login(editor)
    response = client.post(
        move_url(story, "correct"), {"kind": "correction", "note": "The mayor's name was misspelled."}
    )
    assert response.status_code == 302
    client.logout()
    after = client.get(f"/api/v1/articles/{story.slug}/").json()
    assert after["version"] == before["version"] + 1
    assert after["updated_at"] > before["updated_at"]
    assert [c["note"] for c in after["corrections"]] == ["The mayor's name was misspelled."]


def test_editing_a_live_story_in_the_admin_bumps_its_version(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    article_publish(article=story, by=editor)
    client.force_login(editor)
    data = form_data(client.get(change_url(story)))
    data["dek"] = "A new standfirst."
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.version == 2
    assert AuditEntry.objects.filter(article=story, action=AuditEntry.Action.UPDATED).count() == 1


def test_bulk_publish_reports_each_story_it_could_not_publish(client, editor):
    good = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    bad = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    bad.bylines.all().delete()
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert f"“{bad.headline}”: This story cannot go out yet: Add at least one byline." in html
    assert "Publish now: 1 story." in html
    assert Article.objects.get(pk=good.pk).status == Status.PUBLISHED
    assert Article.objects.get(pk=bad.pk).status == Status.IN_REVIEW


# No lost updates.


def test_the_second_of_two_saves_is_refused_naming_who_saved_first(client, editor):
    other = UserFactory(username="maria", first_name="Maria", last_name="Desk", is_staff=True, role="editor")
    story = ArticleFactory(ready=True, dek="Original standfirst.")
    client.force_login(editor)
    mine = form_data(client.get(change_url(story)))
    client.force_login(other)
    theirs = form_data(client.get(change_url(story)))
    theirs["dek"] = "Maria's standfirst."
    assert client.post(change_url(story), theirs).status_code == 302

    client.force_login(editor)
    mine["dek"] = "My standfirst."
    response = client.post(change_url(story), mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maria Desk saved this story at" in html
    assert "Your changes have not been saved" in html
    story.refresh_from_db()
    assert story.dek == "Maria's standfirst."
    # What I typed is still in the form, ready to copy across.
    assert "My standfirst." in html


def test_who_else_is_editing_is_shown_and_refreshed(client, editor, reporter):
    story = ArticleFactory(ready=True, created_by=reporter)
    client.force_login(reporter)
    client.get(change_url(story))
    client.force_login(editor)
    page = client.get(change_url(story)).content.decode()
    assert "Also editing this story now" in page and "reporter" in page
    presence = reverse("admin:articles_article_presence", args=[story.pk])
    assert client.post(presence).json() == {"others": ["reporter"]}
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert client.post(presence).json() == {"others": []}
    assert client.get(presence).status_code == 405


# Audit log.


def test_audit_log_is_listed_and_filtered_but_never_editable(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    article_publish(article=story, by=editor)
    article_unpublish(article=story, by=editor)
    client.force_login(editor)
    url = reverse("admin:articles_auditentry_changelist")
    listed = client.get(url, {"action__exact": "published"}).context["cl"].result_list
    assert [(e.action, e.headline, e.actor) for e in listed] == [("published", story.headline, editor)]
    assert client.get(url).context["cl"].result_count == 2
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PUBLISHED)
    change = reverse("admin:articles_auditentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.post(change, {"note": "rewritten"}).status_code == 403
    assert client.get(reverse("admin:articles_auditentry_add")).status_code == 403
    delete = reverse("admin:articles_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk, note="").exists()


# Revisions.


def test_history_compares_two_revisions_side_by_side(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    client.force_login(editor)
    for dek in ["First standfirst.", "Second standfirst."]:
        data = form_data(client.get(change_url(story)))
        data["dek"] = dek
        assert client.post(change_url(story), data).status_code == 302
    history = client.get(reverse("admin:articles_article_history", args=[story.pk]))
    versions = [v for v, _ in history.context["versions"]]
    assert len(versions) == 2
    compare = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"old": versions[1].pk, "new": versions[0].pk},
    )
    html = compare.content.decode().replace("&nbsp;", " ")
    assert 'class="diff"' in html
    assert "First" in html and "Second" in html
    assert "The first paragraph." in html  # the body is part of every revision


def test_restoring_brings_back_old_text_blocks_and_quotes_as_a_new_revision(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    QuoteFactory(article=story, text="The original words.")
    article_publish(article=story, by=editor)
    original = services_first_version(story)
    client.force_login(editor)
    data = form_data(client.get(change_url(story)))
    data["headline"] = "Rewritten headline"
    data["blocks-0-text"] = "A rewritten paragraph."
    data["quotes-0-text"] = "Different words."
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.version == 2
    restore = reverse("admin:articles_article_restore", args=[story.pk, original.pk])
    assert "Rewritten headline" in client.get(restore).content.decode()
    assert client.post(restore).status_code == 302
    story.refresh_from_db()
    assert story.headline.startswith("Story number")
    assert list(story.blocks.values_list("text", flat=True)) == ["The first paragraph."]
    assert list(story.quotes.values_list("text", flat=True)) == ["The original words."]
    # Still live, one version further on, and the rewrite is kept in history too.
    assert story.status == Status.PUBLISHED and story.version == 3
    assert (
        len(client.get(reverse("admin:articles_article_history", args=[story.pk])).context["versions"]) == 3
    )
    assert AuditEntry.objects.filter(article=story, action=AuditEntry.Action.RESTORED, actor=editor).exists()


def services_first_version(article):
    from articles.revisions import history

    return history(article).last()


def test_the_librarys_own_revert_form_is_routed_to_ours(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    article_publish(article=story, by=editor)
    version = services_first_version(story)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_revision", args=[story.pk, version.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_restore", args=[story.pk, version.pk])


def test_a_correction_keeps_the_original_text_recoverable(client, editor):
    story = ArticleFactory(ready=True, status=Status.IN_REVIEW)
    article_publish(article=story, by=editor)
    client.force_login(editor)
    data = form_data(client.get(change_url(story)))
    data["blocks-0-text"] = "The corrected paragraph."
    client.post(change_url(story), data)
    article_correct(article=story, by=editor, note="The first paragraph was wrong.")
    from articles.revisions import history, version_lines

    texts = ["\n".join(version_lines(v)) for v in history(story)]
    assert "The first paragraph." in texts[-1]
    assert "The corrected paragraph." in texts[0]


# Preview.


def test_an_editor_previews_any_draft_with_the_reader_template(client, editor, reporter):
    story = ArticleFactory(ready=True, created_by=reporter, headline="Draft under wraps")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_preview", args=[story.pk]))
    assert response.status_code == 200
    assert "articles/article.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Draft under wraps" in html and "Preview — not published" in html
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_a_preview_link_opens_one_story_on_the_page_and_in_the_api(client, settings, editor):
    story = ArticleFactory(ready=True, headline="Embargoed exclusive")
    other = ArticleFactory(ready=True, headline="Another draft")
    client.force_login(editor)
    response = client.post(reverse("admin:articles_article_preview_link", args=[story.pk]), {"hours": 2})
    links = response.context["links"]
    client.logout()
    page = client.get(links["page"].replace(settings.SITE_URL, ""))
    assert page.status_code == 200 and "Embargoed exclusive" in page.content.decode()
    api = client.get(links["api"].replace(settings.SITE_URL, ""))
    assert api.status_code == 200 and api.json()["headline"] == "Embargoed exclusive"
    assert api["Cache-Control"] == "private, no-store"
    # The token is scoped to its story and to its lifetime.
    token = links["api"].split("preview=")[1]
    assert client.get(f"/api/v1/articles/{other.slug}/?preview={token}").status_code == 404
    assert client.get(f"/api/v1/articles/{story.slug}/").status_code == 404
    assert client.get(f"/api/v1/articles/{story.slug}/?preview={token}x").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(hours=2, seconds=1)):
        assert client.get(f"/api/v1/articles/{story.slug}/?preview={token}").status_code == 404


def test_preview_json_has_the_same_shape_as_the_public_detail(client, editor):
    draft = ArticleFactory(ready=True)
    published = ArticleFactory(ready=True)
    article_publish(article=published, by=editor)
    token = preview.make_token(draft)
    preview_json = client.get(f"/api/v1/articles/{draft.slug}/?preview={token}").json()
    public_json = client.get(f"/api/v1/articles/{published.slug}/").json()
    assert set(preview_json) == set(public_json)
    assert set(preview_json["body"][0]) == set(public_json["body"][0])
    # The token opens its own story only; the public one is still served as usual beside it.
    assert client.get(f"/api/v1/articles/{published.slug}/?preview={token}").status_code == 200


def test_preview_detail_costs_the_same_queries_as_the_public_detail(
    client, editor, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    story = ArticleFactory(ready=True)
    QuoteFactory(article=story)
    published = ArticleFactory(ready=True)
    QuoteFactory(article=published)
    article_publish(article=published, by=editor)
    token = preview.make_token(story)
    # A public story's build, which its stored document then saves readers (the document's own queries
    # left out): the three queries of the story's rows.
    with CaptureQueriesContext(connection) as public:
        assert client.get(f"/api/v1/articles/{published.slug}/").status_code == 200
    built = [q for q in public.captured_queries if "articles_storydocument" not in q["sql"]]
    # The token is checked by signature alone: no query of its own.
    with django_assert_num_queries(len(built)):
        assert client.get(f"/api/v1/articles/{story.slug}/?preview={token}").status_code == 200
