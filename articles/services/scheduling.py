"""Stories set to go public later, and the scheduler's pass that makes them go live."""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from reversion import create_revision, set_comment
from reversion import revisions as reversion_api

from ..models import Article, AuditEntry
from ..publication import went_public_at
from ..signals import Event
from .errors import WorkflowError, require
from .recording import changing, log, record, when
from .workflow import MOVES, require_expiry_after, require_ready, require_status

Status = Article.Status


def article_schedule(*, article, by, go_live_at, expires_at=None, embargo_until=None):
    """Set the story to go public at `go_live_at` (and optionally drop out at `expires_at`)."""
    require(MOVES["schedule"].allowed(by, article), "Only an editor can schedule a story.")
    now = timezone.now()
    if go_live_at is None or go_live_at <= now:
        raise WorkflowError("Choose a go-live time in the future, or publish the story now.")
    if embargo_until is not None and embargo_until <= go_live_at:
        # An embargo that lifts before go-live changes nothing; refusing it avoids a false sense of safety.
        raise WorkflowError("The embargo must end after the go-live time, or be left empty.")

    with changing(article) as current:
        require_status(current, MOVES["schedule"])
        require_ready(current)
        require_expiry_after(go_live_at, expires_at or current.expires_at)
        current.status = Status.SCHEDULED
        current.go_live_at = go_live_at
        current.embargo_until = embargo_until
        if expires_at is not None:
            current.expires_at = expires_at
        goes_live = when(go_live_at)
        note = f"Goes live {goes_live}." + (
            f" Expires {when(current.expires_at)}." if current.expires_at else ""
        )
        record(
            current,
            by=by,
            action=AuditEntry.Action.SCHEDULED,
            comment=f"Scheduled for {goes_live}",
            note=note,
        )


def articles_publish_due(*, now=None):
    """Apply go-live side effects to scheduled stories the publication rule already shows; return them.

    Safe to run twice or in two workers at once: each story is claimed by a conditional update,
    so exactly one run bumps its version and announces it.
    """
    now = now or timezone.now()
    went_live = []
    for pk in Article.objects.due_to_go_live(at=now).order_by("go_live_at").values_list("pk", flat=True):
        with transaction.atomic(), create_revision():
            if not _claim_due(pk, now):
                continue
            article = Article.objects.get(pk=pk)
            set_comment("Went live as scheduled")
            reversion_api.add_to_revision(article)
            log(article, by=None, action=AuditEntry.Action.WENT_LIVE, event=Event.PUBLISHED)
        went_live.append(article)
    return went_live


def _claim_due(pk, now):
    """Publish the story if it is still due, as `workflow.go_live` does for one in hand; return if it was.

    An update with the due condition in its WHERE clause, so that of two schedulers exactly one claims it.
    The story was public from the later of its go-live and embargo times, which is when it first ran.
    """
    return (
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
