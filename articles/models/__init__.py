"""The articles app's models, each in the module named for what it holds; import them from here.

Imports run one way. Inside this package: addresses and folding first, then stories (stories, sections,
tags), records (blocks, quotes, bylines, corrections), shared (speakers, pictures, embeds), then desk (the
audit trail, who has a story open) and webhooks (subscribers and their delivery log). A module names a
model defined after it as a string, or reaches it through a relation, and never imports it. Out of this
package go imports only to what lies below it: the publication rule (articles.publication), the content
rules (articles.content), the signal definitions (articles.signals) and the contributors app. Services,
tasks, caching, the API, the admin and the views import from here, never the other way round; what they
must hear about from below reaches them as signals.
"""

from .addresses import FormerSlug
from .desk import AuditEntry, EditingPresence
from .documents import StoryDocument
from .records import Block, Byline, Correction, Quote, QuoteQuerySet, public_contributors
from .shared import (
    Embed,
    Image,
    ImageQuerySet,
    Rendition,
    Speaker,
    SpeakerQuerySet,
    delete_files_after_commit,
    rendition_path,
)
from .stories import UPDATE_GRACE, Article, ArticleQuerySet, Section, SectionQuerySet, Tag, TagQuerySet
from .webhooks import Webhook, WebhookDelivery

__all__ = [
    "UPDATE_GRACE",
    "Article",
    "ArticleQuerySet",
    "AuditEntry",
    "Block",
    "Byline",
    "Correction",
    "EditingPresence",
    "Embed",
    "FormerSlug",
    "Image",
    "ImageQuerySet",
    "Quote",
    "QuoteQuerySet",
    "Rendition",
    "Section",
    "SectionQuerySet",
    "Speaker",
    "SpeakerQuerySet",
    "StoryDocument",
    "Tag",
    "TagQuerySet",
    "Webhook",
    "WebhookDelivery",
    "delete_files_after_commit",
    "public_contributors",
    "rendition_path",
]
