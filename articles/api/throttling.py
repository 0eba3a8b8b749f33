"""DRF's rate limits, counting clients by the address newsroom.clients finds (as sign-in lock-outs do), in
fixed windows with one cache round trip for all of them (newsroom/throttling.py)."""

from rest_framework import throttling

from newsroom.clients import client_address
from newsroom.throttling import WindowThrottle


class AnonRateThrottle(WindowThrottle, throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_address(request)


class UserRateThrottle(WindowThrottle, throttling.UserRateThrottle):
    def get_ident(self, request):
        return client_address(request)
