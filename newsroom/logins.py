"""Sign-in lock-outs (django-axes): per account name and address, and per address across account names.

Five failures for one name from one address lock that pair out, so a stranger elsewhere cannot keep an
editor out; AXES_ADDRESS_FAILURE_LIMIT failures from one address, whatever the names, lock that address
out, so one password sprayed across many accounts is stopped too. Addresses come from
newsroom.clients, as the API throttles see them.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LoginAttemptHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or self.address_failures(request) >= (
            settings.AXES_ADDRESS_FAILURE_LIMIT
        )

    @staticmethod
    def address_failures(request):
        """Return the failed sign-ins from the request's address within the cool-off, for any name."""
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        )
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
