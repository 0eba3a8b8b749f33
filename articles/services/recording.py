"""What every change of a story leaves behind: a locked row, a revision, an audit entry, an announcement."""

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from reversion import create_revision, set_comment, set_user
from reversion import revisions as reversion_api

from ..models import Article, AuditEntry
from ..signals import announce


def actor(user):
    """Return `user` if a person is signed in, else None: the scheduler and anonymous calls act as nobody."""
    return user if user is not None and user.is_authenticated else None


def when(moment):
    """Return `moment` as editors read it in messages and notes, in the site's time zone."""
    return date_format(timezone.localtime(moment), "j M Y, H:i:s T")


def locked(article):
    """Return the story's row as it is now, locked until the transaction ends: two moves never interleave."""
    return Article.objects.select_for_update().get(pk=article.pk)


@contextmanager
def changing(article):
    """Yield the story's locked row inside one transaction and revision; refresh `article` after commit.

    When the block raises, nothing is written and the caller's instance is left as it was.
    """
    with transaction.atomic(), create_revision():
        yield locked(article)
    article.refresh_from_db()


def add_revision(obj, *, by, comment):
    """Add `obj` to the revision being created, credited to `by` with `comment`."""
    set_user(actor(by))
    set_comment(comment)
    reversion_api.add_to_revision(obj)


def record(current, *, by, action, comment, event=None, note=""):
    """Save the story with a revision and an audit entry; announce the public change after commit."""
    current.updated_by = actor(by)
    current.save()
    add_revision(current, by=by, comment=comment)
    log(current, by=by, action=action, event=event, note=note)


def log(article, *, by, action, event=None, note=""):
    """Add the story's change to the audit log; announce the public change, if any, after commit."""
    AuditEntry.objects.create(
        actor=actor(by),
        action=action,
        article=article,
        headline=article.headline,
        version=article.version,
        note=note,
    )
    if event is not None:
        # Listeners (articles/invalidation.py) purge the caches and queue the webhooks once this commits.
        announce(article, event, actor=actor(by))
