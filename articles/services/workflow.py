"""The moves of a story through the desk: submit, send back, publish, unpublish, kill, correct.

Each move checks who is acting and whether the story may make it, changes the story under a row lock,
and records the change (`recording.record`: revision, audit entry, announcement). Publishing is read
top to bottom in `article_publish`; scheduling and the scheduler's go-live are in `scheduling.py`.
Admin buttons, admin actions, API verbs and the scheduler all call these; none decides on its own.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from .. import permissions
from ..models import Article, AuditEntry, Correction
from ..signals import Event
from .errors import NotReadyToPublish, TransitionError, WorkflowError, require
from .recording import actor, changing, record, when

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
    """Return the moves `user` may make on `article` now, in the order the desk uses them."""
    return [
        name for name, move in MOVES.items() if article.status in move.sources and move.allowed(user, article)
    ]


def require_status(article, move):
    """Raise `TransitionError` unless the story's state is one `move` starts from."""
    if article.status not in move.sources:
        names = " or ".join(str(Status(s).label).lower() for s in move.sources)
        raise TransitionError(
            f"“{article.headline}” is {article.get_status_display().lower()}; "
            f"only a story that is {names} can be {move.doing}."
        )


def require_ready(current):
    """Raise `NotReadyToPublish` listing what the story lacks to go out, if anything."""
    problems = current.publication_problems()
    if problems:
        raise NotReadyToPublish(problems)


def require_expiry_after(go_live_at, expires_at):
    """Raise `WorkflowError` if the story would expire before it goes live."""
    if expires_at is not None and expires_at <= go_live_at:
        raise WorkflowError(
            f"The expiry time ({when(expires_at)}) must come after the story goes live "
            f"({when(go_live_at)}); clear it or move it later."
        )


def article_submit(*, article, by, note=""):
    """File a reporter's draft for an editor to review."""
    require(MOVES["submit"].allowed(by, article), "Only the story's reporter or an editor can submit it.")
    with changing(article) as current:
        require_status(current, MOVES["submit"])
        current.status = Status.IN_REVIEW
        record(current, by=by, action=AuditEntry.Action.SUBMITTED, comment="Submitted for review", note=note)


def article_send_back(*, article, by, note=""):
    """Return a story under review to its reporter as a draft."""
    require(MOVES["send_back"].allowed(by, article), "Only an editor can send a story back.")
    with changing(article) as current:
        require_status(current, MOVES["send_back"])
        current.status = Status.DRAFT
        record(
            current, by=by, action=AuditEntry.Action.SENT_BACK, comment="Sent back to the reporter", note=note
        )


def article_publish(*, article, by, embargo_until=None):
    """Publish the story now; with an embargo in the future it waits, hidden, until the scheduler lifts it.

    This is all that publishing does: check the editor and the story, make the story public with a new
    version, keep a revision and an audit entry, and announce it. The announcement is sent after commit;
    articles/invalidation.py hears it and purges the caches and queues the webhooks.
    """
    require(MOVES["publish"].allowed(by, article), "Only an editor can publish a story.")
    now = timezone.now()
    if embargo_until is not None and embargo_until <= now:
        raise WorkflowError(f"The embargo time ({when(embargo_until)}) has passed; publish without one.")

    with changing(article) as current:
        require_status(current, MOVES["publish"])
        require_ready(current)
        require_expiry_after(embargo_until or now, current.expires_at)
        current.go_live_at = now
        current.embargo_until = embargo_until
        if embargo_until is not None:
            _hold_under_embargo(current, by=by)
        else:
            go_live(current, now)
            record(
                current, by=by, action=AuditEntry.Action.PUBLISHED, comment="Published", event=Event.PUBLISHED
            )


def go_live(current, now):
    """Make the story published as a new public version, first published `now` unless it ran before."""
    current.status = Status.PUBLISHED
    current.first_published_at = current.first_published_at or now
    current.version += 1


def _hold_under_embargo(current, *, by):
    # Nothing is announced: the story stays hidden until the scheduler lifts the embargo and announces it.
    current.status = Status.SCHEDULED
    lifts = when(current.embargo_until)
    record(
        current,
        by=by,
        action=AuditEntry.Action.SCHEDULED,
        comment=f"Published under embargo until {lifts}",
        note=f"Embargoed until {lifts}.",
    )


def article_unpublish(*, article, by, note=""):
    """Take a story off the site (or out of the schedule) and back to draft."""
    require(MOVES["unpublish"].allowed(by, article), "Only an editor can unpublish a story.")
    with changing(article) as current:
        require_status(current, MOVES["unpublish"])
        was_out = current.status == Status.PUBLISHED or current.is_public()
        current.status = Status.DRAFT
        current.go_live_at = None
        current.embargo_until = None
        # Links shared for the published story must not keep showing it as a draft again.
        current.preview_generation += 1
        record(
            current,
            by=by,
            action=AuditEntry.Action.UNPUBLISHED,
            comment="Unpublished",
            event=Event.UNPUBLISHED if was_out else None,
            note=note,
        )


def article_kill(*, article, by, notice):
    """Withdraw a story for good; its address keeps answering, with `notice` and HTTP 410."""
    require(MOVES["kill"].allowed(by, article), "Only an editor can kill a story.")
    notice = (notice or "").strip()
    if not notice:
        raise WorkflowError("Write the notice readers will see where the story stood.")

    with changing(article) as current:
        require_status(current, MOVES["kill"])
        current.status = Status.KILLED
        current.killed_at = timezone.now()
        current.kill_notice = notice
        current.version += 1
        current.preview_generation += 1
        record(
            current, by=by, action=AuditEntry.Action.KILLED, comment="Killed", event=Event.KILLED, note=notice
        )


def article_correct(*, article, by, note, kind=Correction.Kind.CORRECTION):
    """Append a public correction to a published story and return it; the story's version grows."""
    require(MOVES["correct"].allowed(by, article), "Only an editor can correct a story.")
    note = (note or "").strip()
    if not note:
        raise WorkflowError("Write the correction note readers will see.")
    if kind not in Correction.Kind.values:
        raise WorkflowError(f"Kind must be one of: {', '.join(Correction.Kind.values)}.")

    with changing(article) as current:
        require_status(current, MOVES["correct"])
        correction = Correction.objects.create(
            article=current, kind=kind, note=note, created_at=timezone.now(), created_by=actor(by)
        )
        current.version += 1
        label = Correction.Kind(kind).label
        record(
            current,
            by=by,
            action=AuditEntry.Action.CORRECTED,
            comment=f"{label}: {note}",
            event=Event.CORRECTED,
            note=f"{label}: {note}",
        )
    return correction
