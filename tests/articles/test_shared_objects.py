"""Pictures, embeds, speakers, sections and tags are changed as part of the stories that show them."""

import pytest
from django.urls import reverse

from articles.models import AuditEntry, Block
from articles.signals import story_event
from tests.factories import ArticleFactory, EmbedFactory, ImageFactory, PublishedArticleFactory
from tests.helpers.admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    events = []

    def listen(sender, article, event, **kwargs):
        events.append((article.pk, event))

    story_event.connect(listen)
    yield events
    story_event.disconnect(listen)


@pytest.fixture
def live_embed():
    story = PublishedArticleFactory(headline="Live story")
    embed = EmbedFactory(url="https://video.example/real", title="The interview")
    Block.objects.create(article=story, position=0, type=Block.Type.EMBED, embed=embed)
    return story, embed


def _post_embed(client, admin_client, embed, url):
    change = reverse("admin:articles_embed_change", args=[embed.pk])
    data = form_data(admin_client.get(change))
    data["url"] = url
    return client.post(change, data)


def test_a_reporter_cannot_point_a_live_storys_embed_elsewhere(client, admin_client, reporter, live_embed):
    story, embed = live_embed
    client.force_login(reporter)
    _post_embed(client, admin_client, embed, "https://phish.example/login")
    embed.refresh_from_db()
    assert embed.url == "https://video.example/real"


def test_an_editors_change_to_a_live_embed_is_a_published_change_of_its_story(
    client, admin_client, editor, live_embed, announced, django_capture_on_commit_callbacks
):
    story, embed = live_embed
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post_embed(client, admin_client, embed, "https://video.example/fixed").status_code == 302
    embed.refresh_from_db()
    story.refresh_from_db()
    assert embed.url == "https://video.example/fixed"
    assert story.version == 2
    assert AuditEntry.objects.filter(article=story, action=AuditEntry.Action.UPDATED, actor=editor).exists()
    assert (story.pk, "updated") in announced


def test_used_in_and_lists_name_only_stories_the_user_may_open(client, reporter, other_reporter):
    image = ImageFactory(alt_text="Shared picture")
    theirs = ArticleFactory(ready=True, created_by=other_reporter, headline="Their secret draft")
    Block.objects.create(article=theirs, position=1, type=Block.Type.IMAGE, image=image)
    EmbedFactory(title="Their embed", fallback_text="Their secret draft embed")
    Block.objects.create(
        article=theirs, position=2, type=Block.Type.EMBED, embed=EmbedFactory(title="Secret embed")
    )
    client.force_login(reporter)
    page = client.get(reverse("admin:articles_image_change", args=[image.pk]))
    assert page.status_code in (302, 404)  # used only by a draft they cannot open
    embeds = client.get(reverse("admin:articles_embed_changelist")).content.decode()
    assert "Secret embed" not in embeds
    assert "Their embed" in embeds  # unused: nothing to give away

    mine = ArticleFactory(ready=True, created_by=reporter, headline="My draft")
    Block.objects.create(article=mine, position=1, type=Block.Type.IMAGE, image=image)
    page = client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert "My draft" in page and "Their secret draft" not in page
