"""Admin forms survive a busy database: a save that fails for a passing reason shows the form again, filled.

A write can still fail after waiting its turn (SQLite's busy timeout, a PostgreSQL deadlock or
serialization failure, a moment without the database). An error page would lose what the editor typed,
so the page comes back as it was sent, with a message, and saving again is one click.
"""

import logging

from django import forms
from django.contrib import messages
from django.db import OperationalError

logger = logging.getLogger(__name__)

BUSY_MESSAGE = (
    "The database was busy and nothing was saved. Your changes are still here: check them and save again."
)


class BusyRetryForm(forms.BaseForm):
    """Refuses to validate, so the admin renders the submitted data with the message instead of saving."""

    def clean(self):
        raise forms.ValidationError(BUSY_MESSAGE, code="database_busy")


class KeepFormWhenBusy:
    """For a ModelAdmin: a POST whose save fails with a database error shows the filled form again."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        queued = list(getattr(messages.get_messages(request), "_queued_messages", []))
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OperationalError:
            # The transaction was rolled back; nothing of this save exists. If the database is away
            # altogether, showing the form fails too and the request answers 503 as any other would.
            logger.warning("Admin save of %s failed; showing the form again", self.opts.label, exc_info=True)
            storage = messages.get_messages(request)
            if hasattr(storage, "_queued_messages"):
                # A "saved" message queued before the failing commit would be a lie.
                storage._queued_messages[:] = queued
            request.newsroom_database_busy = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "newsroom_database_busy", False):
            return type(form.__name__, (BusyRetryForm, form), {})
        return form
