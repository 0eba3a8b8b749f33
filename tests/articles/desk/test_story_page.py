"""The story page in the admin: compact, a fixed number of queries, the body in typed blocks in order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Block, Quote
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return client


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_story_page_costs_at_most_25_queries_whatever_the_number_of_quotes(superuser_client, interview):
    url = reverse("admin:articles_article_change", args=[interview.pk])
    superuser_client.get(url)  # warm: content types, permissions
    before = _queries(superuser_client, url)
    paragraphs = list(interview.blocks.filter(type=Block.Type.PARAGRAPH))
    speaker = interview.quotes.first().speaker
    Quote.objects.bulk_create(
        Quote(article=interview, block=paragraphs[i % len(paragraphs)], speaker=speaker, text=f"extra {i}")
        for i in range(40)
    )
    after = _queries(superuser_client, url)
    assert before <= 25
    assert after == before
