"""OpenAPI examples taken from the seeded interview (articles/seed/interview.json), so the docs show a
real story. Ids, times and addresses are illustrative; tests check the rest against the live response.
"""

import json

from drf_spectacular.utils import OpenApiExample

from ..content.markup import strip_tags
from ..services.seeding import INTERVIEW
from .errors import PreconditionFailed

SEED = json.loads(INTERVIEW.read_text(encoding="utf-8"))
STORY = SEED["article"]
SPEAKERS = {speaker["key"]: speaker for speaker in SEED["speakers"]}
CONTRIBUTORS = {contributor["slug"]: contributor for contributor in SEED["contributors"]}
SITE = "https://news.example.com"
PUBLISHED_AT = "2023-03-08T14:00:00Z"


def _speaker(key):
    speaker = SPEAKERS[key]
    return {name: speaker[name] for name in ("name", "slug", "title", "is_anonymous")}


def _bylines():
    return [
        {
            "name": CONTRIBUTORS[byline["contributor"]]["name"],
            "slug": byline["contributor"],
            "role": byline["role"],
            "title": CONTRIBUTORS[byline["contributor"]]["title"],
            "organisation": CONTRIBUTORS[byline["contributor"]]["organisation"],
        }
        for byline in SEED["bylines"]
    ]


# The first two paragraphs and their quotes stand for the whole body.
PARAGRAPHS = [block for block in SEED["body"] if block["type"] == "paragraph"][:2]
QUOTES = [
    {
        "id": 100 + n,
        "text": quote["text"],
        "kind": quote.get("kind", "full"),
        "speaker": _speaker(quote["speaker"]),
        "verb": quote.get("verb", ""),
        "occasion": quote.get("occasion", ""),
        "is_pull_quote": quote.get("is_pull_quote", False),
        "is_verified": quote.get("is_verified", False),
        "block_id": 10 + position,
    }
    for position, paragraph in enumerate(PARAGRAPHS)
    for n, quote in enumerate(paragraph.get("quotes", []), start=position * 10)
]
BODY = [
    {"id": 10 + position, "type": "paragraph", "text": strip_tags(p["text"]), "html": p["text"]}
    for position, p in enumerate(PARAGRAPHS)
]
ARTICLE = {
    "slug": STORY["slug"],
    "headline": STORY["headline"],
    "kicker": STORY["kicker"],
    "dek": STORY["dek"],
    "dateline": STORY["dateline"],
    "section": STORY["section"],
    "tags": sorted(STORY["tags"], key=lambda tag: tag["name"]),
    "language": STORY["language"],
    "source_credit": STORY["source_credit"],
    "published_at": PUBLISHED_AT,
    "updated_at": PUBLISHED_AT,
    "version": 1,
    "bylines": _bylines(),
    "lead_image": None,
    "url": f"{SITE}/stories/{STORY['slug']}/",
}
ARTICLE_DETAIL = {
    **ARTICLE,
    "first_published_at": PUBLISHED_AT,
    "canonical_url": "",
    "body": BODY,
    "quotes": QUOTES,
    "corrections": [],
}

article_list = OpenApiExample(
    "The seeded interview in a list", value=ARTICLE, response_only=True, status_codes=["200"]
)
article_detail = OpenApiExample(
    "The seeded interview (first two paragraphs)",
    value=ARTICLE_DETAIL,
    response_only=True,
    status_codes=["200"],
)
article_create = OpenApiExample(
    "File the interview's opening as a draft",
    request_only=True,
    value={
        "headline": STORY["headline"],
        "kicker": STORY["kicker"],
        "dek": STORY["dek"],
        "dateline": STORY["dateline"],
        "section": STORY["section"]["slug"],
        "tags": [tag["slug"] for tag in STORY["tags"]],
        "source_credit": STORY["source_credit"],
        "body": [{"type": "paragraph", "text": p["text"]} for p in PARAGRAPHS],
        "quotes": [
            {
                "text": quote["text"],
                "speaker": SPEAKERS[quote["speaker"]]["slug"],
                "kind": quote.get("kind", "full"),
                "verb": quote.get("verb", ""),
                "occasion": quote.get("occasion", ""),
                "is_pull_quote": quote.get("is_pull_quote", False),
                "block_index": position,
            }
            for position, paragraph in enumerate(PARAGRAPHS)
            for quote in paragraph.get("quotes", [])
        ],
        "bylines": [{"contributor": b["contributor"], "role": b["role"]} for b in SEED["bylines"]],
    },
)
validation_error = OpenApiExample(
    "A quote that is not in its paragraph",
    response_only=True,
    status_codes=["400"],
    value={
        "code": "invalid",
        "message": "quotes.0.text: The quote does not appear in paragraph 0 of body.",
        "fields": {
            "quotes.0.text": [
                {"code": "invalid", "message": "The quote does not appear in paragraph 0 of body."}
            ]
        },
    },
)
stale_edit = OpenApiExample(
    "Someone saved the story first",
    response_only=True,
    status_codes=["412"],
    value={
        "code": "precondition_failed",
        "message": PreconditionFailed.default_detail,
    },
)
