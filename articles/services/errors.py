"""The ways a service refuses, for callers that translate them.

- `PermissionDenied` (Django's): the user's role does not allow it (HTTP 403).
- `TransitionError`: the story's state does not allow it, e.g. publishing a killed story (HTTP 409).
- `NotReadyToPublish`: something the published story needs is missing; `.problems` lists it (HTTP 400).
- `WorkflowError`: the request itself is wrong, e.g. a go-live time in the past (HTTP 400).
- `StaleEdit`: an edit was made to an older version of the story (HTTP 412).
- `SlugTaken`: another story took the address the edit asked for (HTTP 409).
Every error's `str()` is a sentence fit to show an editor.
"""

from django.core.exceptions import PermissionDenied

__all__ = [
    "PermissionDenied",
    "WorkflowError",
    "TransitionError",
    "NotReadyToPublish",
    "StaleEdit",
    "SlugTaken",
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


class StaleEdit(WorkflowError):
    """The story changed since the editor loaded it; applying the edit would overwrite someone's work."""

    status_code = 412

    def __init__(self):
        super().__init__("The story has changed since you loaded it. Fetch it again and reapply your edit.")


class SlugTaken(WorkflowError):
    """Another story took the address between the check and the save."""

    status_code = 409


def require(allowed, message):
    """Raise `PermissionDenied` with `message` unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)
