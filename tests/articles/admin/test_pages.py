import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.urls import reverse
from knox.models import AuthToken

from articles.models import Article, AuditEntry, Block
from articles.tasks import purge_keys
from articles.webhooks import Webhook, WebhookDelivery
from newsroom import second_factor
from tests.factories import BlockFactory, BylineFactory, CorrectionFactory, QuoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@newsroom.test", "a long test password")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_changelist_and_add_page_loads(superuser_client, superuser, rf, model, interview):
    info = model._meta.app_label, model._meta.model_name
    assert superuser_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    request = rf.get("/")
    request.user = superuser
    # Some records (such as the audit log) are never added by hand; their add page must refuse.
    expected = 200 if admin.site._registry[model].has_add_permission(request) else 403
    assert superuser_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == expected


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_change_page_loads(superuser_client, superuser, model, interview):
    # One record of each kind the seed does not make itself.
    AuthToken.objects.create(user=superuser)
    CorrectionFactory(article=interview)
    AuditEntry.objects.create(action=AuditEntry.Action.PUBLISHED, article=interview, headline="Seeded")
    login_record = {"username": "chief", "ip_address": "127.0.0.1", "user_agent": "test"}
    AccessAttempt.objects.create(**login_record, failures_since_start=1)
    AccessLog.objects.create(**login_record)
    AccessFailureLog.objects.create(**login_record)
    webhook = Webhook.objects.create(name="Apps", url="http://127.0.0.1:9/hook")
    WebhookDelivery.objects.create(webhook=webhook, event="published", article=interview, payload={})
    purge_keys.enqueue(keys=["article-1"])
    second_factor.enrol(superuser)
    obj = model._default_manager.first()
    if obj is None:
        pytest.fail(f"the seeded data has no {model._meta.label} to open")
    info = model._meta.app_label, model._meta.model_name
    assert superuser_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200


def test_editor_can_open_the_story_pages(client, editor, interview):
    client.force_login(editor)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200
    page = client.get(reverse("admin:articles_article_change", args=[interview.pk]))
    assert page.status_code == 200
    assert "Volodymyr Zelensky" in page.content.decode()


def test_changelist_searches_body_text(superuser_client, interview):
    response = superuser_client.get(reverse("admin:articles_article_changelist"), {"q": "mercenaries"})
    assert interview.headline in response.content.decode()
    response = superuser_client.get(reverse("admin:articles_article_changelist"), {"q": "Kramatorsk"})
    assert interview.headline in response.content.decode()


def _inline_post(article, blocks):
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "kicker": "",
        "dek": "",
        "dateline": "",
        "language": "en",
        "source_credit": "",
        "canonical_url": "",
        "status": article.status,
        "kill_notice": "",
        "blocks-TOTAL_FORMS": len(blocks),
        "blocks-INITIAL_FORMS": len(blocks),
        "blocks-MIN_NUM_FORMS": 0,
        "blocks-MAX_NUM_FORMS": 1000,
        "bylines-TOTAL_FORMS": 0,
        "bylines-INITIAL_FORMS": 0,
        "bylines-MIN_NUM_FORMS": 0,
        "bylines-MAX_NUM_FORMS": 1000,
        "quotes-TOTAL_FORMS": 0,
        "quotes-INITIAL_FORMS": 0,
        "quotes-MIN_NUM_FORMS": 0,
        "quotes-MAX_NUM_FORMS": 1000,
        "corrections-TOTAL_FORMS": 0,
        "corrections-INITIAL_FORMS": 0,
        "corrections-MIN_NUM_FORMS": 0,
        "corrections-MAX_NUM_FORMS": 1000,
    }
    for i, (block, position) in enumerate(blocks):
        data.update(
            {
                f"blocks-{i}-id": block.pk,
                f"blocks-{i}-article": article.pk,
                f"blocks-{i}-position": position,
                f"blocks-{i}-type": block.type,
                f"blocks-{i}-text": block.text,
            }
        )
    return data


def test_editors_reorder_body_blocks_by_swapping_positions(superuser_client):
    first = BlockFactory(position=0, text="First")
    second = BlockFactory(article=first.article, position=1, text="Second")
    url = reverse("admin:articles_article_change", args=[first.article.pk])
    response = superuser_client.post(url, _inline_post(first.article, [(first, 1), (second, 0)]))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert list(first.article.blocks.order_by("position").values_list("text", flat=True)) == [
        "Second",
        "First",
    ]


def test_two_blocks_given_the_same_position_get_a_form_error(superuser_client):
    first = BlockFactory(position=0, text="First")
    second = BlockFactory(article=first.article, position=1, text="Second")
    url = reverse("admin:articles_article_change", args=[first.article.pk])
    response = superuser_client.post(url, _inline_post(first.article, [(first, 4), (second, 4)]))
    assert response.status_code == 200
    assert "used twice" in response.content.decode()
    assert list(Block.objects.order_by("position").values_list("position", flat=True)) == [0, 1]


def test_changelist_shows_byline_and_filters_by_status(superuser_client):
    byline = BylineFactory(contributor__name="Olena Reporter")
    QuoteFactory(article=byline.article)
    response = superuser_client.get(reverse("admin:articles_article_changelist"), {"status__exact": "draft"})
    assert "Olena Reporter" in response.content.decode()
    response = superuser_client.get(
        reverse("admin:articles_article_changelist"), {"status__exact": "published"}
    )
    assert byline.article.headline not in response.content.decode()
    assert Article.objects.count() == 1
