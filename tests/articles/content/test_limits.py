"""Story size limits on every way in: API, admin, importer. Refused with field messages, nothing stored.

The inputs are the ones that once killed a worker (10,000 blocks), stored 120,000 characters past the
20,000-character cap (60 blocks of "&#" x 20,000) or answered 500 (one block of "&#" x 25,000). Each test
also proves the refusal comes before the HTML sanitizer, whose work grows faster than its input.
"""

from unittest import mock

import nh3
import pytest
from django.urls import reverse

from articles.content import limits
from articles.importing import UnreadableInput, parse
from articles.models import Article, Block
from tests.factories import ArticleFactory, TagFactory
from tests.helpers.api import story_payload, token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("people")]

TEN_THOUSAND_BLOCKS = [{"type": "paragraph", "text": "a"}] * 10_000
SIXTY_REFERENCE_BLOCKS = [{"type": "paragraph", "text": "&#" * 20_000}] * 60
ONE_LONG_REFERENCE_BLOCK = [{"type": "paragraph", "text": "&#" * 25_000}]


@pytest.fixture
def sanitizer():
    """The HTML sanitizer, watched: tests assert it is never handed a story that is refused."""
    with mock.patch.object(nh3, "clean", wraps=nh3.clean) as clean:
        yield clean


def handed(sanitizer, body):
    """The texts of `body` the sanitizer was handed (other calls, such as the API's examples, aside)."""
    texts = {block["text"] for block in body}
    return [call.args[0] for call in sanitizer.call_args_list if call.args[0] in texts]


def post_story(client, **overrides):
    return client.post("/api/v1/articles/", story_payload(**overrides), format="json")


@pytest.mark.parametrize(
    "body, field",
    [
        (TEN_THOUSAND_BLOCKS, "body"),
        (SIXTY_REFERENCE_BLOCKS, "body"),
        (ONE_LONG_REFERENCE_BLOCK, "body.0.text"),
    ],
    ids=["10000-blocks", "60-reference-blocks", "one-long-reference-block"],
)
def test_an_oversized_story_is_refused_before_its_text_is_sanitized(editor, sanitizer, body, field):
    response = post_story(token_client(editor), body=body, quotes=[])
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()["fields"]) == [field]
    assert handed(sanitizer, body) == []
    assert not Article.objects.exists() and not Block.objects.exists()


def test_text_that_would_be_stored_past_the_cap_is_refused(editor):
    # 20,000 characters as typed, but each "&" is stored as "&amp;": 60,000 characters stored.
    response = post_story(
        token_client(editor), body=[{"type": "paragraph", "text": "&#" * 10_000}], quotes=[]
    )
    assert response.status_code == 400
    [error] = response.json()["fields"]["body.0.text"]
    assert "60,000" in error["message"] and "20,000" in error["message"]
    assert not Article.objects.exists()


def test_a_paragraph_at_the_cap_is_stored_whole(editor):
    text = "a" * limits.MAX_BLOCK_TEXT
    response = post_story(token_client(editor), body=[{"type": "paragraph", "text": text}], quotes=[])
    assert response.status_code == 201, response.content[:300]
    assert Block.objects.get().text == text


@pytest.mark.parametrize(
    "field, items",
    [
        ("quotes", [{"text": "a", "speaker": "zelensky"}] * (limits.MAX_QUOTES + 1)),
        ("bylines", [{"contributor": "tim-lister", "role": "author"}] * (limits.MAX_BYLINES + 1)),
        ("tags", ["ukraine"] * (limits.MAX_TAGS + 1)),
    ],
)
def test_too_many_quotes_bylines_or_tags_are_refused_before_any_is_read(
    editor, django_assert_max_num_queries, field, items
):
    client = token_client(editor)
    # Authentication and role only: none of the items is looked up.
    with django_assert_max_num_queries(6):
        response = post_story(client, **{field: items})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert "at most" in response.json()["fields"][field][0]["message"]
    assert not Article.objects.exists()


def test_an_edit_is_held_to_the_same_limits(editor, sanitizer):
    client = token_client(editor)
    created = post_story(client).json()
    before = list(Block.objects.values_list("text", flat=True))
    response = client.patch(
        f"/api/v1/articles/{created['slug']}/",
        {"body": SIXTY_REFERENCE_BLOCKS, "quotes": []},
        format="json",
        HTTP_IF_MATCH=client.get(f"/api/v1/articles/{created['slug']}/edit/")["ETag"],
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["body"]
    assert handed(sanitizer, SIXTY_REFERENCE_BLOCKS) == []
    assert list(Block.objects.values_list("text", flat=True)) == before


def test_the_schema_states_the_limits(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    story_input = schema["ArticleInputRequest"]["properties"]
    assert story_input["body"]["maxItems"] == limits.MAX_BLOCKS
    assert story_input["quotes"]["maxItems"] == limits.MAX_QUOTES
    assert story_input["bylines"]["maxItems"] == limits.MAX_BYLINES
    assert story_input["tags"]["maxItems"] == limits.MAX_TAGS
    assert schema["BlockInputRequest"]["properties"]["text"]["maxLength"] == limits.MAX_BLOCK_TEXT


# The admin


def admin_post(article, texts):
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "language": "en",
        "blocks-TOTAL_FORMS": len(texts),
        "blocks-INITIAL_FORMS": 0,
    }
    for prefix in ("bylines", "quotes", "corrections"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    for i, text in enumerate(texts):
        data |= {f"blocks-{i}-position": i, f"blocks-{i}-type": "paragraph", f"blocks-{i}-text": text}
    return data


@pytest.mark.parametrize(
    "texts, message",
    [
        (["a"] * (limits.MAX_BLOCKS + 1), f"Please submit at most {limits.MAX_BLOCKS} forms."),
        (["&#" * 20_000] * 6, "Ensure this value has at most 20000 characters"),
        (["&#" * 25_000], "Ensure this value has at most 20000 characters"),
        (["&#" * 10_000], "Stored, this text has 60,000 characters"),
        (["a" * 20_000] * 11, "can hold at most 200,000 characters together"),
    ],
    ids=["too-many-blocks", "references", "one-long-reference-block", "stored-too-long", "body-too-long"],
)
def test_the_admin_refuses_an_oversized_body_with_a_form_error(client, editor, texts, message):
    article = ArticleFactory(headline="Draft")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, admin_post(article, texts))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Block.objects.exists()


def test_the_admin_refuses_too_many_tags(client, editor):
    article = ArticleFactory(headline="Draft")
    tags = [TagFactory().pk for _ in range(limits.MAX_TAGS + 1)]
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, admin_post(article, ["Text."]) | {"tags": tags})
    assert response.status_code == 200
    assert f"at most {limits.MAX_TAGS} tags" in response.content.decode()
    assert not article.tags.exists()


# The importer


@pytest.mark.parametrize(
    "paragraphs, message",
    [
        (["a."] * 10_000, f"over {limits.MAX_BLOCKS} paragraphs"),
        (["&#" * 20_000], "at most 20,000"),
        (["&#" * 10_000], "Stored, this text has 60,000 characters"),
        (["a" * 19_000 + "."] * 11, "over 200,000 characters"),
    ],
    ids=["10000-paragraphs", "long-paragraph", "stored-too-long", "body-too-long"],
)
def test_the_importer_refuses_an_oversized_story(sanitizer, paragraphs, message):
    text = "A headline\n\n" + "\n\n".join(paragraphs)
    with pytest.raises(UnreadableInput, match=message):
        parse(text)
    # Only a paragraph within the typed limit is sanitized, to learn its stored length.
    for call in sanitizer.call_args_list:
        assert len(call.args[0]) <= limits.MAX_BLOCK_TEXT
