"""The API as a client meets it: a staff token, and a story as a client writes it."""

from knox.models import AuthToken
from rest_framework.test import APIClient


def token_client(user):
    _, key = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def story_payload(**overrides):
    return {
        "headline": "Zelensky warns of open road through the east",
        "dek": "Ukraine's president speaks to CNN.",
        "tags": ["ukraine"],
        "body": [
            {"type": "paragraph", "text": "“We will not give up,” the president <em>said</em>."},
            {"type": "quote", "quote_index": 0},
            {
                "type": "embed",
                "embed": {"url": "https://example.com/video", "fallback_text": "Watch the interview."},
            },
        ],
        "quotes": [
            {"text": "We will not give up,", "speaker": "zelensky", "block_index": 0, "is_pull_quote": True}
        ],
        "bylines": [{"contributor": "tim-lister", "role": "contributing_reporter"}],
        **overrides,
    }
