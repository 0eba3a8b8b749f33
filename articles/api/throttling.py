"""DRF's rate limits, counting clients by the address newsroom.clients finds (as sign-in lock-outs do)."""

from rest_framework import throttling

from newsroom.clients import client_address


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_address(request)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_ident(self, request):
        return client_address(request)
