"""Session sign-in for the API, held to the admin's two-factor rule (tokens are checked by knox alone)."""

from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication

from newsroom import second_factor


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None or not second_factor.satisfied(request._request):
            return None
        return found


class SessionAuthenticationScheme(SessionScheme):
    """Described in the schema exactly as DRF's own session sign-in."""

    target_class = SessionAuthentication
