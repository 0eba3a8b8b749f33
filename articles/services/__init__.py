"""The editorial workflow: every change of a story's state goes through one of these functions.

Each checks who is acting and whether the story may make that move, applies the side effects
(version, timestamps, revision history, audit log) and announces public changes to listeners.
Admin buttons, admin actions, API verbs and the scheduler all call these; none decides on its own.

Modules: `errors` (what the services raise), `workflow` (the moves: submit, send back, publish,
unpublish, kill, correct), `scheduling` (scheduled stories and the scheduler's go-live), `editing`
(filing, editing and restoring a story), `imports` (saving an imported story), `speakers` (matching the
people quoted), `slugs` (new addresses), `recording` (the revision, audit entry and announcement every
change leaves).

Imports run one way: admin, API, views and commands → services → models and the helpers beside them.
"""

from .editing import article_create, article_record_edit, article_restore, article_update
from .errors import NotReadyToPublish, PermissionDenied, SlugTaken, StaleEdit, TransitionError, WorkflowError
from .imports import ImportResult, article_import
from .scheduling import article_schedule, articles_publish_due
from .speakers import AMBIGUOUS, speaker_get_or_create, speakers_match
from .workflow import (
    MOVES,
    article_correct,
    article_kill,
    article_publish,
    article_send_back,
    article_submit,
    article_unpublish,
    available_moves,
)

__all__ = [
    "AMBIGUOUS",
    "MOVES",
    "ImportResult",
    "NotReadyToPublish",
    "PermissionDenied",
    "SlugTaken",
    "StaleEdit",
    "TransitionError",
    "WorkflowError",
    "article_correct",
    "article_create",
    "article_import",
    "article_kill",
    "article_publish",
    "article_record_edit",
    "article_restore",
    "article_schedule",
    "article_send_back",
    "article_submit",
    "article_unpublish",
    "article_update",
    "articles_publish_due",
    "available_moves",
    "speaker_get_or_create",
    "speakers_match",
]
