import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article, Block
from tests.factories import ArticleFactory, BlockFactory, BylineFactory, EmbedFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def test_slugs_are_unique_in_the_database():
    ArticleFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="Another", slug="same")


def test_two_blocks_cannot_share_a_place_in_the_body():
    block = BlockFactory(position=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        BlockFactory(article=block.article, position=3)


def test_two_bylines_cannot_share_a_place():
    byline = BylineFactory(position=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        BylineFactory(article=byline.article, position=0)


def test_the_same_person_is_credited_once_per_role():
    byline = BylineFactory(position=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        BylineFactory(article=byline.article, contributor=byline.contributor, role=byline.role, position=1)


def test_a_block_must_carry_what_its_type_says():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(article=article, position=0, type=Block.Type.IMAGE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(article=article, position=1, type=Block.Type.PARAGRAPH, text="")


def test_a_block_cannot_show_two_things_at_once():
    quote = QuoteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(
            article=quote.article, position=0, type=Block.Type.EMBED, embed=EmbedFactory(), quote=quote
        )


def test_block_validation_names_the_missing_field():
    block = Block(article=ArticleFactory(), position=0, type=Block.Type.EMBED)
    with pytest.raises(ValidationError) as excinfo:
        block.full_clean()
    assert "embed" in excinfo.value.message_dict


def test_a_live_story_needs_a_go_live_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.PUBLISHED, go_live_at=None)


def test_paragraph_markup_is_sanitized_on_save():
    block = BlockFactory(
        text='Hello <script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">x</a> <em>there</em>'
    )
    block.refresh_from_db()
    assert "<script" not in block.text
    assert "javascript:" not in block.text
    assert "onclick" not in block.text
    assert "<em>there</em>" in block.text


def test_etag_changes_when_the_story_is_saved_or_republished(published_article):
    first = published_article.etag
    assert first.startswith('"') and first.endswith('"') and first == published_article.etag
    published_article.save()
    saved = published_article.etag
    assert saved != first
    published_article.version += 1
    assert published_article.etag != saved
