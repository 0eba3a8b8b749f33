"""One error shape for the whole API.

    {"code": "invalid", "message": "published_after: Enter a valid date/time.",
     "fields": {"published_after": [{"code": "invalid", "message": "Enter a valid date/time."}]}}

Clients branch on `code`, show `message`, and bind `fields` (dotted paths for nested input, such as
`body.2.text`) to their form inputs. Nothing from a traceback or the database ever reaches them.
"""

from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The story has changed since you loaded it. Fetch it again from its edit/ address, which gives "
        "the current ETag, and reapply your edit."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag of the version you edited, so no one's change is lost."
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The story's current state does not allow this."
    default_code = "conflict"


def field_errors(detail, prefix=""):
    """Flatten DRF's nested error detail into {"body.2.text": [{"code", "message"}]}."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            flat.update(field_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat.update(field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    key = prefix or api_settings.NON_FIELD_ERRORS_KEY
    return {key: [{"code": getattr(item, "code", "invalid"), "message": str(item)} for item in items]}


def _summary(fields):
    (first_field, first_errors), *rest = fields.items()
    message = f"{first_field}: {first_errors[0]['message']}"
    more = len(rest) + len(first_errors) - 1
    return f"{message} (and {more} more)" if more else message


def exception_handler(exc, context):
    """DRF's handler (status, Retry-After, WWW-Authenticate, rollback), reshaped into the one error body."""
    response = drf_exception_handler(exc, context)
    if response is None:
        # Not an API error: Django's handler500 answers, in JSON for /api/ (newsroom/errors.py).
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = field_errors(exc.detail)
        response.data = {"code": "invalid", "message": _summary(fields), "fields": fields}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"code": code, "message": str(detail)}
        # Some refusals point at what to use instead, e.g. a duplicate upload names the existing image.
        response.data.update(getattr(exc, "extra", {}))
    return response
