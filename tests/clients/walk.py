"""A frontend's walk through the public API with the client openapi-python-client generates, anonymously.

Type-checked with `mypy --strict`; run against a live server by .ci/clients.
"""

import sys
from collections import defaultdict
from typing import assert_never
from urllib.parse import parse_qs, urlsplit

from newsroom_api_client import Client
from newsroom_api_client.api.v1 import v1_articles_list, v1_articles_retrieve, v1_quotes_list
from newsroom_api_client.models import (
    ArticleDetail,
    EmbedBlockSchema,
    Error,
    ImageBlockSchema,
    NinjsStory,
    PaginatedArticleListList,
    PaginatedQuoteWithArticleList,
    Quote,
    QuoteBlockSchema,
    TextBlockSchema,
)
from newsroom_api_client.types import UNSET, Unset

Block = EmbedBlockSchema | ImageBlockSchema | QuoteBlockSchema | TextBlockSchema


def render(block: Block) -> str:
    # Every block type is handled: a new one fails the type check until it is.
    match block:
        case TextBlockSchema():
            return block.text
        case QuoteBlockSchema():
            speaker = block.quote.speaker
            return f"“{block.quote.text}” — {speaker.name if speaker else 'unattributed'}"
        case ImageBlockSchema():
            return f"[{block.image.alt_text}] " + ", ".join(
                f"{r.url} {r.width}w" for r in block.image.renditions
            )
        case EmbedBlockSchema():
            return f"{block.embed.provider}: {block.embed.fallback_text}"
        case _:
            assert_never(block)


def main(base_url: str) -> None:
    client = Client(base_url=base_url, raise_on_unexpected_status=True)

    page = v1_articles_list.sync(client=client, page_size=1)
    assert isinstance(page, PaginatedArticleListList), page
    first = page.results[0]
    section = first.section.name if first.section else "no section"
    print(f"list: {first.headline} ({section}), next: {page.next_}")

    story = v1_articles_retrieve.sync(client=client, slug=first.slug)
    assert isinstance(story, ArticleDetail), story
    print(f"detail: {story.kicker} | {story.headline} | {story.dek} | v{story.version}")
    print("bylines: " + ", ".join(f"{b.name} ({b.role})" for b in story.bylines))
    lead = story.lead_image
    print(f"lead image: {lead.url + ' at ' + str(lead.focal_point.x) if lead else 'none'}")
    print(f"body: {len(story.body)} blocks, first: {render(story.body[0])[:60]}")
    for block in story.body:
        render(block)

    by_speaker: dict[str, list[Quote]] = defaultdict(list)
    for quote in story.quotes:
        by_speaker[quote.speaker.name if quote.speaker else "unattributed"].append(quote)
    for name, quotes in by_speaker.items():
        print(f"{name}: {len(quotes)} ({quotes[0].kind})")
    # Anonymous sources have no public address (slug None): a speaker's quotes are asked for by slug.
    speaker = next((q.speaker for q in story.quotes if q.speaker and q.speaker.slug), None)
    if speaker and speaker.slug:
        # Following `next`, five at a time, to the end of one speaker's quotes.
        count, pages = 0, 0
        cursor: str | Unset = UNSET
        while True:
            quotes_page = v1_quotes_list.sync(client=client, speaker=speaker.slug, page_size=5, cursor=cursor)
            assert isinstance(quotes_page, PaginatedQuoteWithArticleList), quotes_page
            count += sum(q.article.slug == story.slug for q in quotes_page.results)
            pages += 1
            if quotes_page.next_ is None:
                break
            cursor = parse_qs(urlsplit(quotes_page.next_).query)["cursor"][0]
        print(f"quotes by {speaker.name}: {count} in {pages} pages")

    # ninjs is the same address in another representation: the generated model reads it.
    response = client.get_httpx_client().get(f"/api/v1/articles/{first.slug}/", params={"format": "ninjs"})
    response.raise_for_status()
    ninjs = NinjsStory.from_dict(response.json())
    print(f"ninjs: {ninjs.uri} {ninjs.headlines[0].value} pubstatus={ninjs.pubstatus}")

    missing = v1_articles_retrieve.sync(client=client, slug="no-such-story")
    assert isinstance(missing, Error), missing
    print(f"error: {missing.code}: {missing.message}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
