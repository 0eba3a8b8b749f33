"""The editorial workflow: every change of a story's state goes through one of these functions.

Each checks who is acting and whether the story may make that move, applies the side effects
(version, timestamps, revision history, audit log) and announces public changes to listeners.
Admin buttons, admin actions, API verbs and the scheduler all call these; none decides on its own.

Errors, for callers that translate them:
- `PermissionDenied` (Django's): the user's role does not allow it (HTTP 403).
- `TransitionError`: the story's state does not allow it, e.g. publishing a killed story (HTTP 409).
- `NotReadyToPublish`: something the published story needs is missing; `.problems` lists it (HTTP 400).
- `WorkflowError`: the request itself is wrong, e.g. a go-live time in the past (HTTP 400).
- `StaleEdit`: an edit was made to an older version of the story (HTTP 412).
Every error's `str()` is a sentence fit to show an editor.
"""

import html
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from reversion import create_revision, set_comment, set_user
from reversion import revisions as reversion_api

from contributors.models import Contributor

from . import permissions, revisions
from .models import Article, AuditEntry, Block, Byline, Correction, Embed, FormerSlug, Quote, Speaker
from .publication import went_public_at
from .signals import Event, announce

__all__ = [
    "PermissionDenied",
    "WorkflowError",
    "MOVES",
    "available_moves",
    "TransitionError",
    "NotReadyToPublish",
    "article_submit",
    "article_send_back",
    "article_publish",
    "article_schedule",
    "article_unpublish",
    "article_kill",
    "article_correct",
    "article_record_edit",
    "article_restore",
    "articles_publish_due",
    "article_import",
    "speakers_match",
    "StaleEdit",
    "article_create",
    "article_update",
]

Status = Article.Status


@dataclass(frozen=True)
class Move:
    label: str
    sources: tuple
    allowed: Callable
    doing: str


# Which states each move starts from and who may make it; buttons, actions and checks all read this.
MOVES = {
    "submit": Move("Submit for review", (Status.DRAFT,), permissions.can_submit, "submitted for review"),
    "send_back": Move("Send back to reporter", (Status.IN_REVIEW,), permissions.can_publish, "sent back"),
    "publish": Move(
        "Publish now",
        (Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED),
        permissions.can_publish,
        "published",
    ),
    "schedule": Move(
        "Schedule", (Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED), permissions.can_publish, "scheduled"
    ),
    "unpublish": Move(
        "Unpublish", (Status.PUBLISHED, Status.SCHEDULED), permissions.can_publish, "unpublished"
    ),
    "kill": Move("Kill", (Status.PUBLISHED, Status.SCHEDULED), permissions.can_publish, "killed"),
    "correct": Move("Add a correction", (Status.PUBLISHED,), permissions.can_correct, "corrected"),
}


def available_moves(user, article):
    """The moves `user` may make on `article` now, in the order the desk uses them."""
    return [
        name for name, move in MOVES.items() if article.status in move.sources and move.allowed(user, article)
    ]


class WorkflowError(Exception):
    """The request cannot be carried out as asked; the message says why."""

    status_code = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TransitionError(WorkflowError):
    """The story's current state does not allow this move."""

    status_code = 409


class NotReadyToPublish(WorkflowError):
    """The story lacks something a published story must have."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("This story cannot go out yet: " + " ".join(self.problems))


def _when(moment):
    return date_format(timezone.localtime(moment), "j M Y, H:i:s T")


def _actor(user):
    return user if user is not None and user.is_authenticated else None


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _require_status(article, move):
    if article.status not in move.sources:
        names = " or ".join(str(Status(s).label).lower() for s in move.sources)
        raise TransitionError(
            f"“{article.headline}” is {article.get_status_display().lower()}; "
            f"only a story that is {names} can be {move.doing}."
        )


def _locked(article):
    """The story's row as it is now, locked until the transaction ends, so two moves never interleave."""
    return Article.objects.select_for_update().get(pk=article.pk)


def _record(current, *, by, action, comment, event=None, note=""):
    """Save the story with a revision and an audit entry; announce the public change after commit."""
    current.updated_by = _actor(by)
    current.save()
    set_user(_actor(by))
    set_comment(comment)
    reversion_api.add_to_revision(current)
    AuditEntry.objects.create(
        actor=_actor(by),
        action=action,
        article=current,
        headline=current.headline,
        version=current.version,
        note=note,
    )
    if event is not None:
        announce(current, event, actor=_actor(by))


def _move(article, *, check, change):
    """Lock, check, change and record one story; the caller's instance is refreshed afterwards."""
    with transaction.atomic(), create_revision():
        current = _locked(article)
        check(current)
        result = change(current)
    article.refresh_from_db()
    return result


def _check_ready(current):
    problems = current.publication_problems()
    if problems:
        raise NotReadyToPublish(problems)


def _check_expiry(current, go_live_at, expires_at):
    if expires_at is not None and expires_at <= go_live_at:
        raise WorkflowError(
            f"The expiry time ({_when(expires_at)}) must come after the story goes live "
            f"({_when(go_live_at)}); clear it or move it later."
        )


def _go_live(current, now):
    current.status = Status.PUBLISHED
    current.first_published_at = current.first_published_at or now
    current.version += 1


def article_submit(*, article, by, note=""):
    """A reporter files a draft for an editor to review."""
    _require(MOVES["submit"].allowed(by, article), "Only the story's reporter or an editor can submit it.")

    def check(current):
        _require_status(current, MOVES["submit"])

    def change(current):
        current.status = Status.IN_REVIEW
        _record(current, by=by, action=AuditEntry.Action.SUBMITTED, comment="Submitted for review", note=note)

    return _move(article, check=check, change=change)


def article_send_back(*, article, by, note=""):
    """An editor returns a story under review to its reporter as a draft."""
    _require(MOVES["send_back"].allowed(by, article), "Only an editor can send a story back.")

    def check(current):
        _require_status(current, MOVES["send_back"])

    def change(current):
        current.status = Status.DRAFT
        _record(
            current, by=by, action=AuditEntry.Action.SENT_BACK, comment="Sent back to the reporter", note=note
        )

    return _move(article, check=check, change=change)


def article_publish(*, article, by, embargo_until=None):
    """Publish now. With an embargo in the future the story waits, hidden, and the scheduler publishes it."""
    _require(MOVES["publish"].allowed(by, article), "Only an editor can publish a story.")
    now = timezone.now()
    if embargo_until is not None and embargo_until <= now:
        raise WorkflowError(f"The embargo time ({_when(embargo_until)}) has passed; publish without one.")

    def check(current):
        _require_status(current, MOVES["publish"])
        _check_ready(current)
        _check_expiry(current, embargo_until or now, current.expires_at)

    def change(current):
        current.go_live_at = now
        current.embargo_until = embargo_until
        if embargo_until is not None:
            current.status = Status.SCHEDULED
            when = _when(embargo_until)
            _record(
                current,
                by=by,
                action=AuditEntry.Action.SCHEDULED,
                comment=f"Published under embargo until {when}",
                note=f"Embargoed until {when}.",
            )
            return
        _go_live(current, now)
        _record(
            current, by=by, action=AuditEntry.Action.PUBLISHED, comment="Published", event=Event.PUBLISHED
        )

    return _move(article, check=check, change=change)


def article_schedule(*, article, by, go_live_at, expires_at=None, embargo_until=None):
    """Set the story to go public at `go_live_at` (and optionally drop out at `expires_at`)."""
    _require(MOVES["schedule"].allowed(by, article), "Only an editor can schedule a story.")
    now = timezone.now()
    if go_live_at is None or go_live_at <= now:
        raise WorkflowError("Choose a go-live time in the future, or publish the story now.")
    if embargo_until is not None and embargo_until <= go_live_at:
        # An embargo that lifts before go-live changes nothing; refusing it avoids a false sense of safety.
        raise WorkflowError("The embargo must end after the go-live time, or be left empty.")

    def check(current):
        _require_status(current, MOVES["schedule"])
        _check_ready(current)
        _check_expiry(current, go_live_at, expires_at or current.expires_at)

    def change(current):
        current.status = Status.SCHEDULED
        current.go_live_at = go_live_at
        current.embargo_until = embargo_until
        if expires_at is not None:
            current.expires_at = expires_at
        when = _when(go_live_at)
        note = f"Goes live {when}." + (f" Expires {_when(current.expires_at)}." if current.expires_at else "")
        _record(
            current, by=by, action=AuditEntry.Action.SCHEDULED, comment=f"Scheduled for {when}", note=note
        )

    return _move(article, check=check, change=change)


def article_unpublish(*, article, by, note=""):
    """Take a story off the site (or out of the schedule) and back to draft."""
    _require(MOVES["unpublish"].allowed(by, article), "Only an editor can unpublish a story.")

    def check(current):
        _require_status(current, MOVES["unpublish"])

    def change(current):
        was_out = current.status == Status.PUBLISHED or current.is_public()
        current.status = Status.DRAFT
        current.go_live_at = None
        current.embargo_until = None
        # Links shared for the published story must not keep showing it as a draft again.
        current.preview_generation += 1
        _record(
            current,
            by=by,
            action=AuditEntry.Action.UNPUBLISHED,
            comment="Unpublished",
            event=Event.UNPUBLISHED if was_out else None,
            note=note,
        )

    return _move(article, check=check, change=change)


def article_kill(*, article, by, notice):
    """Withdraw a story for good. Its address keeps answering, with `notice` and HTTP 410."""
    _require(MOVES["kill"].allowed(by, article), "Only an editor can kill a story.")
    notice = (notice or "").strip()
    if not notice:
        raise WorkflowError("Write the notice readers will see where the story stood.")

    def check(current):
        _require_status(current, MOVES["kill"])

    def change(current):
        current.status = Status.KILLED
        current.killed_at = timezone.now()
        current.kill_notice = notice
        current.version += 1
        current.preview_generation += 1
        _record(
            current, by=by, action=AuditEntry.Action.KILLED, comment="Killed", event=Event.KILLED, note=notice
        )

    return _move(article, check=check, change=change)


def article_correct(*, article, by, note, kind=Correction.Kind.CORRECTION):
    """Append a public correction to a published story; its version grows and readers see the note."""
    _require(MOVES["correct"].allowed(by, article), "Only an editor can correct a story.")
    note = (note or "").strip()
    if not note:
        raise WorkflowError("Write the correction note readers will see.")
    if kind not in Correction.Kind.values:
        raise WorkflowError(f"Kind must be one of: {', '.join(Correction.Kind.values)}.")

    def check(current):
        _require_status(current, MOVES["correct"])

    def change(current):
        correction = Correction.objects.create(
            article=current, kind=kind, note=note, created_at=timezone.now(), created_by=_actor(by)
        )
        current.version += 1
        label = Correction.Kind(kind).label
        _record(
            current,
            by=by,
            action=AuditEntry.Action.CORRECTED,
            comment=f"{label}: {note}",
            event=Event.CORRECTED,
            note=f"{label}: {note}",
        )
        return correction

    return _move(article, check=check, change=change)


def article_record_edit(*, article, by):
    """Call after saving changes to a story's content. A live story gets a new public version."""
    _require(permissions.can_edit(by, article), "You cannot edit this story.")
    with transaction.atomic(), create_revision():
        current = _locked(article)
        if current.status != Status.PUBLISHED:
            return
        current.version += 1
        _record(current, by=by, action=AuditEntry.Action.UPDATED, comment="Updated", event=Event.UPDATED)
    article.refresh_from_db()


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


def article_restore(*, article, by, version):
    """Bring back the content of an earlier revision as a new revision; nothing is lost.

    Headline, body blocks, quotes and bylines come back as they were. Workflow state (status,
    times, version) and corrections stay as they are now: corrections are public record.
    """
    _require(permissions.can_edit(by, article), "You cannot edit this story.")
    if version.object_id != str(article.pk) or version.content_type.model_class() is not Article:
        raise WorkflowError("That revision belongs to another story.")

    with transaction.atomic(), create_revision():
        current = _locked(article)
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
        current = Article.objects.get(pk=current.pk)
        live = current.status == Status.PUBLISHED
        if live:
            current.version += 1
        when = _when(version.revision.date_created)
        _record(
            current,
            by=by,
            action=AuditEntry.Action.RESTORED,
            comment=f"Restored the revision of {when}",
            event=Event.UPDATED if live else None,
            note=f"Revision {version.revision_id} of {when}.",
        )
    article.refresh_from_db()


def articles_publish_due(*, now=None):
    """Apply go-live side effects to scheduled stories the publication rule already shows.

    Safe to run twice or in two workers at once: each story is claimed by a conditional update,
    so exactly one run bumps its version and announces it.
    """
    now = now or timezone.now()
    went_live = []
    for pk in Article.objects.due_to_go_live(at=now).order_by("go_live_at").values_list("pk", flat=True):
        with transaction.atomic(), create_revision():
            claimed = (
                Article.objects.filter(pk=pk)
                .due_to_go_live(at=now)
                .update(
                    status=Status.PUBLISHED,
                    version=F("version") + 1,
                    first_published_at=Coalesce("first_published_at", went_public_at()),
                    updated_at=now,
                    updated_by=None,
                )
            )
            if not claimed:
                continue
            article = Article.objects.get(pk=pk)
            set_comment("Went live as scheduled")
            reversion_api.add_to_revision(article)
            AuditEntry.objects.create(
                action=AuditEntry.Action.WENT_LIVE,
                article=article,
                headline=article.headline,
                version=article.version,
            )
            announce(article, Event.PUBLISHED, actor=None)
        went_live.append(article)
    return went_live


@dataclass
class ImportResult:
    article: Article | None
    speaker_status: dict = field(default_factory=dict)  # SpeakerRef.key → what happened to that speaker
    uncredited: list = field(default_factory=list)  # credit-line names the importer could not add


def _unique_slug(model, text, taken=(), max_length=200):
    base = slugify(text)[: max_length - 4].strip("-") or model._meta.model_name
    slug, n = base, 1
    while slug in taken or model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _article_slug(headline):
    # A sub-editor's slug: the headline's main clause, not every word of it.
    main = re.split(r",| – | — |: ", headline)[0]
    text = main if len(main.split()) >= 4 else headline
    slug = slugify(text)
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    # A story's old address still redirects to it: not free for a new story.
    former = FormerSlug.objects.filter(slug__startswith=slug).values_list("slug", flat=True)
    return _unique_slug(Article, slug, taken=set(former))


AMBIGUOUS = "ambiguous"


def speakers_match(refs, *, among=None):
    """Find each imported speaker among the Speaker records (or the queryset `among`), reading only.

    Returns {key: (Speaker or None, status)}. Named speakers match by slug, by name, then by surname
    alone; unnamed sources never match, since two stories' "senior officials" are not one person.
    Callers acting for a person pass the speakers that person may reach, so a match never reveals a
    speaker known only from stories they cannot open.
    """
    speakers = Speaker.objects.all() if among is None else among
    found = {}
    for ref in refs:
        if ref.is_anonymous:
            found[ref.key] = (None, "new, unnamed source")
            continue
        speaker = (
            speakers.filter(slug=slugify(ref.name)).first() or speakers.filter(name__iexact=ref.name).first()
        )
        if speaker is not None:
            found[ref.key] = (speaker, f"existing: {speaker.name}")
            continue
        words = ref.name.split()
        surname = words[-1]
        candidates = speakers.filter(is_anonymous=False)
        if len(words) == 1:
            candidates = candidates.filter(Q(name__iexact=surname) | Q(name__iendswith=f" {surname}"))
        else:
            candidates = candidates.filter(name__iexact=surname)
        candidates = list(candidates.annotate(quoted=Count("quotes")).order_by("-quoted", "name")[:3])
        if len(candidates) == 1:
            found[ref.key] = (candidates[0], f"existing, by surname: {candidates[0].name}")
        elif candidates:
            others = ", ".join(c.name for c in candidates[1:])
            found[ref.key] = (candidates[0], f"{AMBIGUOUS}: {candidates[0].name} (also {others})")
        else:
            found[ref.key] = (None, "new")
    return found


def article_import(*, story, by=None, speakers=None):
    """Save a story read by `articles.importing.parse` as a draft for review, in one transaction.

    Paragraph text is stored exactly as read (escaped, so it shows as typed). Quotes keep the
    importer's confidence; the unsure ones carry `needs_review` and a note for the editor.
    """
    with transaction.atomic(), create_revision():
        result = _import(story, by, speakers)
        set_user(_actor(by))
        set_comment("Imported from raw text")
        reversion_api.add_to_revision(result.article)
    return result


def _import(story, by, among):
    matches = speakers_match(story.speakers, among=among)
    result = ImportResult(article=None, speaker_status={key: status for key, (_, status) in matches.items()})
    speakers, taken = {}, set()
    for ref in story.speakers:
        speaker, _ = matches[ref.key]
        if speaker is None:
            slug = _unique_slug(Speaker, ref.name, taken)
            taken.add(slug)
            speaker = Speaker.objects.create(
                name=ref.name[:200],
                slug=slug,
                title=ref.title[:200],
                is_anonymous=ref.is_anonymous,
                kind=ref.kind,
            )
        speakers[ref.key] = speaker

    article = Article.objects.create(
        headline=story.headline,
        slug=_article_slug(story.headline),
        kicker=story.kicker,
        source_credit=story.source_credit[:100],
        dateline=story.dateline[:100],
        status=Status.DRAFT,
        created_by=_actor(by),
    )
    result.article = article
    blocks = []
    for position, parsed in enumerate(story.blocks):
        block = Block(
            article=article,
            position=position,
            type=parsed.type,
            needs_review=parsed.needs_review,
            review_note=parsed.review_note,
        )
        if parsed.type == Block.Type.EMBED:
            block.embed = Embed.objects.create(
                url=parsed.embed_url,
                provider=parsed.embed_provider[:100],
                title="Interactive content",
                fallback_text=parsed.text[:500],
            )
        else:
            block.text = html.escape(parsed.text, quote=False)
        block.save()
        blocks.append(block)

    quotes = []
    for position, parsed in enumerate(story.quotes):
        needs_review, note = parsed.needs_review, parsed.review_note
        status = result.speaker_status[parsed.speaker.key] if parsed.speaker else ""
        if status.startswith(AMBIGUOUS):
            needs_review, note = True, f"{note} Speaker {status}.".strip()[:300]
        quotes.append(
            Quote(
                article=article,
                block=blocks[parsed.block],
                speaker=speakers[parsed.speaker.key] if parsed.speaker else None,
                text=parsed.text,
                kind=parsed.kind,
                verb=parsed.verb[:50],
                occasion=parsed.occasion[:200],
                position=position,
                confidence=round(parsed.confidence, 2),
                needs_review=needs_review,
                review_note=note,
            )
        )
    Quote.objects.bulk_create(quotes)

    may_add_people = by is None or by.has_perm("contributors.add_contributor")
    credited = set()
    for credit in story.credits:
        contributor = Contributor.objects.filter(slug=slugify(credit.name)).first()
        if contributor is None and not may_add_people:
            result.uncredited.append(credit.name)
            continue
        if contributor is None:
            contributor = Contributor.objects.create(
                name=credit.name[:200],
                slug=_unique_slug(Contributor, credit.name),
                organisation=credit.organisation[:200],
            )
        if (contributor.pk, credit.role) in credited:
            continue
        Byline.objects.create(
            article=article, contributor=contributor, role=credit.role, position=len(credited)
        )
        credited.add((contributor.pk, credit.role))
    return result


class StaleEdit(WorkflowError):
    """The story changed since the editor loaded it; applying the edit would overwrite someone's work."""

    status_code = 412

    def __init__(self):
        super().__init__("The story has changed since you loaded it. Fetch it again and reapply your edit.")


def _write_content(article, *, body=None, quotes=None, bylines=None):
    """Replace a story's body, quotes and bylines with the given lists, in one go.

    `body` blocks are dicts with `type` and `text`, `image`, `embed` (a dict) or `quote_index` (into
    `quotes`); quotes may name the paragraph they stand in by `block_index` (into `body`). Body and
    quotes point at each other, so they are replaced together.
    """
    if body is not None:
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
    if bylines is not None:
        Byline.objects.filter(article=article).delete()
        Byline.objects.bulk_create(
            Byline(article=article, position=position, **spec) for position, spec in enumerate(bylines)
        )


class SlugTaken(WorkflowError):
    """Another story took the address between the check and the save."""

    status_code = 409


def article_create(*, by, fields, tags=(), body=(), quotes=(), bylines=()):
    """File a new draft with its body, quotes and bylines, credited to `by`.

    The free-slug check and the insert are not atomic: two desks filing the same headline at once
    can both find a slug free. The database's unique constraint decides; the loser takes the next
    free slug (or, for a slug the client chose, gets a clear refusal) instead of a crash.
    """
    _require(by.is_active and by.has_perm("articles.add_article"), "You cannot file stories.")
    chosen = fields.get("slug")
    for attempt in range(10):
        slug = chosen or _article_slug(fields["headline"])
        if attempt >= 3 and not chosen:  # a crowd filing one headline: stop queueing for "-2", "-3"…
            slug = f"{slug[:190]}-{secrets.token_hex(3)}"
        try:
            with transaction.atomic(), create_revision():
                article = Article.objects.create(
                    **{**fields, "slug": slug},
                    status=Status.DRAFT,
                    created_by=_actor(by),
                    updated_by=_actor(by),
                )
                article.tags.set(tags)
                _write_content(article, body=list(body), quotes=list(quotes), bylines=list(bylines))
                set_user(_actor(by))
                set_comment("Filed")
                reversion_api.add_to_revision(article)
            return article
        except IntegrityError:
            if not Article.objects.filter(slug=slug).exists():
                raise  # some other constraint: a bug, not a race
            if chosen:
                raise SlugTaken(f"Another story already lives at “{slug}”. Choose another slug.") from None
    raise SlugTaken("Could not find a free slug for this headline; choose one.")


def article_update(*, article, by, if_match, fields, tags=None, body=None, quotes=None, bylines=None):
    """Apply an edit made to the version of the story whose ETag is `if_match`.

    Optimistic concurrency: the row is locked, and claimed by a conditional update on the
    `updated_at` and `version` the editor saw, so of two edits made to the same version exactly one
    lands and the other gets `StaleEdit` with nothing written. A live story gets a new public version.
    """
    _require(permissions.can_edit(by, article), "You cannot edit this story.")
    with transaction.atomic(), create_revision():
        current = _locked(article)
        if current.etag != if_match:
            raise StaleEdit()
        _require(permissions.can_edit(by, current), "You cannot edit this story.")
        claimed = Article.objects.filter(
            pk=current.pk, updated_at=current.updated_at, version=current.version
        ).update(updated_at=timezone.now())
        if not claimed:
            raise StaleEdit()
        for name, value in fields.items():
            setattr(current, name, value)
        if tags is not None:
            current.tags.set(tags)
        _write_content(current, body=body, quotes=quotes, bylines=bylines)
        if current.status == Status.PUBLISHED:
            current.version += 1
            _record(current, by=by, action=AuditEntry.Action.UPDATED, comment="Updated", event=Event.UPDATED)
        else:
            current.updated_by = _actor(by)
            current.save()
            set_user(_actor(by))
            set_comment("Edited")
            reversion_api.add_to_revision(current)
    article.refresh_from_db()
    return article


def speaker_get_or_create(*, ref, among=None):
    """The Speaker an imported or typed reference names: matched as the importer matches, else created."""
    speaker, _ = speakers_match([ref], among=among)[ref.key]
    if speaker is None:
        speaker = Speaker.objects.create(
            name=ref.name[:200],
            slug=_unique_slug(Speaker, ref.name),
            title=ref.title[:200],
            is_anonymous=ref.is_anonymous,
        )
    return speaker
