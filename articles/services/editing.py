"""Writing a story: filing it, editing it, recording an edit made elsewhere, restoring an old revision."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion import create_revision

from .. import permissions, revisions
from ..models import Article, AuditEntry, Block, Byline, Embed, Quote
from ..signals import Event
from .errors import SlugTaken, StaleEdit, WorkflowError, require
from .recording import actor, add_revision, locked, record, when
from .slugs import article_slug

Status = Article.Status

# Workflow state stays as it is now when old content is restored: restoring text never (un)publishes.
WORKFLOW_FIELDS = [
    "status",
    "go_live_at",
    "embargo_until",
    "expires_at",
    "first_published_at",
    "killed_at",
    "kill_notice",
    "version",
    "preview_generation",
    "created_by_id",
    "created_at",
]


def article_create(*, by, fields, tags=(), body=(), quotes=(), bylines=()):
    """File a new draft with its body, quotes and bylines, credited to `by`, and return it.

    The free-slug check and the insert are not atomic: two desks filing the same headline at once
    can both find a slug free. The database's unique constraint decides; the loser takes the next
    free slug (or, for a slug the client chose, gets a clear refusal) instead of a crash.
    """
    require(by.is_active and by.has_perm("articles.add_article"), "You cannot file stories.")
    chosen = fields.get("slug")
    for attempt in range(10):
        slug = chosen or article_slug(fields["headline"])
        if attempt >= 3 and not chosen:  # a crowd filing one headline: stop queueing for "-2", "-3"…
            slug = f"{slug[:190]}-{secrets.token_hex(3)}"
        try:
            return _file_draft(by, {**fields, "slug": slug}, tags, body, quotes, bylines)
        except IntegrityError:
            if not Article.objects.filter(slug=slug).exists():
                raise  # some other constraint: a bug, not a race
            if chosen:
                raise SlugTaken(f"Another story already lives at “{slug}”. Choose another slug.") from None
    raise SlugTaken("Could not find a free slug for this headline; choose one.")


def _file_draft(by, fields, tags, body, quotes, bylines):
    """Create the draft with its tags, body, quotes and bylines as one revision, and return it."""
    with transaction.atomic(), create_revision():
        article = Article.objects.create(
            **fields, status=Status.DRAFT, created_by=actor(by), updated_by=actor(by)
        )
        article.tags.set(tags)
        _replace_body(article, body=list(body), quotes=list(quotes))
        _replace_bylines(article, list(bylines))
        add_revision(article, by=by, comment="Filed")
    return article


def article_update(*, article, by, if_match, fields, tags=None, body=None, quotes=None, bylines=None):
    """Apply an edit made to the version of the story whose ETag is `if_match`, and return the story.

    Optimistic concurrency: the row is locked, and claimed by a conditional update on the
    `updated_at` and `version` the editor saw, so of two edits made to the same version exactly one
    lands and the other gets `StaleEdit` with nothing written. A live story gets a new public version.
    """
    require(permissions.can_edit(by, article), "You cannot edit this story.")
    with transaction.atomic(), create_revision():
        current = locked(article)
        if current.etag != if_match:
            raise StaleEdit()
        require(permissions.can_edit(by, current), "You cannot edit this story.")
        _claim_version(current)
        for name, value in fields.items():
            setattr(current, name, value)
        if tags is not None:
            current.tags.set(tags)
        if body is not None:
            _replace_body(current, body=body, quotes=quotes)
        if bylines is not None:
            _replace_bylines(current, bylines)
        if current.status == Status.PUBLISHED:
            current.version += 1
            record(current, by=by, action=AuditEntry.Action.UPDATED, comment="Updated", event=Event.UPDATED)
        else:
            current.updated_by = actor(by)
            current.save()
            add_revision(current, by=by, comment="Edited")
    article.refresh_from_db()
    return article


def _claim_version(current):
    """Mark the version the editor saw as taken, or raise `StaleEdit` if another edit took it first."""
    claimed = Article.objects.filter(
        pk=current.pk, updated_at=current.updated_at, version=current.version
    ).update(updated_at=timezone.now())
    if not claimed:
        raise StaleEdit()


def _replace_body(article, *, body, quotes):
    """Replace a story's body blocks and quotes with the given lists, together.

    `body` blocks are dicts with `type` and `text`, `image`, `embed` (a dict) or `quote_index` (into
    `quotes`); quotes may name the paragraph they stand in by `block_index` (into `body`). Body and
    quotes point at each other, so they are replaced together: text blocks first, then the quotes
    that stand in them, then the quote blocks that show those quotes.
    """
    # Quote blocks protect their quotes; the blocks go first.
    Block.objects.filter(article=article).delete()
    Quote.objects.filter(article=article).delete()
    blocks = {}
    for position, spec in enumerate(body):
        if spec["type"] == Block.Type.QUOTE:
            continue
        embed = Embed.objects.create(**spec["embed"]) if spec["type"] == Block.Type.EMBED else None
        blocks[position] = Block.objects.create(
            article=article,
            position=position,
            type=spec["type"],
            text=spec.get("text", ""),
            image=spec.get("image"),
            embed=embed,
        )
    created = []
    for position, spec in enumerate(quotes or []):
        fields = {key: value for key, value in spec.items() if key != "block_index"}
        block = blocks.get(spec.get("block_index"))
        created.append(Quote.objects.create(article=article, block=block, position=position, **fields))
    for position, spec in enumerate(body):
        if spec["type"] == Block.Type.QUOTE:
            Block.objects.create(
                article=article, position=position, type=spec["type"], quote=created[spec["quote_index"]]
            )


def _replace_bylines(article, bylines):
    """Replace a story's bylines with `bylines`, dicts of `contributor` and `role`, in that order."""
    Byline.objects.filter(article=article).delete()
    Byline.objects.bulk_create(
        Byline(article=article, position=position, **spec) for position, spec in enumerate(bylines)
    )


def article_record_edit(*, article, by):
    """Record an edit already saved to a story's content; a live story gets a new public version."""
    require(permissions.can_edit(by, article), "You cannot edit this story.")
    with transaction.atomic(), create_revision():
        current = locked(article)
        if current.status != Status.PUBLISHED:
            return
        current.version += 1
        record(current, by=by, action=AuditEntry.Action.UPDATED, comment="Updated", event=Event.UPDATED)
    article.refresh_from_db()


def article_restore(*, article, by, version):
    """Bring back the content of an earlier revision as a new revision; nothing is lost.

    Headline, body blocks, quotes and bylines come back as they were. Workflow state (status,
    times, version) and corrections stay as they are now: corrections are public record.
    """
    require(permissions.can_edit(by, article), "You cannot edit this story.")
    if version.object_id != str(article.pk) or version.content_type.model_class() is not Article:
        raise WorkflowError("That revision belongs to another story.")

    with transaction.atomic(), create_revision():
        current = locked(article)
        _put_back(current, version)
        current = Article.objects.get(pk=current.pk)
        live = current.status == Status.PUBLISHED
        if live:
            current.version += 1
        restored = when(version.revision.date_created)
        record(
            current,
            by=by,
            action=AuditEntry.Action.RESTORED,
            comment=f"Restored the revision of {restored}",
            event=Event.UPDATED if live else None,
            note=f"Revision {version.revision_id} of {restored}.",
        )
    article.refresh_from_db()


def _put_back(current, version):
    """Write the story's own rows as stored in `version`, keeping its workflow state as it is now."""
    kept = {name: getattr(current, name) for name in WORKFLOW_FIELDS}
    # Rows come back with their old ids; clearing the current ones first avoids position clashes.
    Block.objects.filter(article=current).delete()
    Quote.objects.filter(article=current).delete()
    Byline.objects.filter(article=current).delete()
    # Only this story's own rows: a revision may also hold other stories, which must stay as they are.
    for obj in revisions.own_objects(version):
        if isinstance(obj.object, Article):
            for name, value in kept.items():
                setattr(obj.object, name, value)
        obj.save()
