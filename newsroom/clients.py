"""Who is asking: the client's address behind the proxies the site trusts, for throttles and lock-outs.

Each proxy appends the address it received the request from to X-Forwarded-For, so with TRUSTED_PROXIES
proxies in front the client is that many entries from the right. Whatever a client writes further left is
never read, and with no proxies the header is ignored altogether: a made-up header changes nothing.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """Return the address of the client behind the trusted proxies (request or WSGI environ)."""
    meta = getattr(request, "META", request)
    remote = meta.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXIES
    if not count:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped a proxy, and the leftmost is the furthest known.
    candidate = forwarded[-min(count, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # A trusted proxy writes addresses; anything else is not an identity to count or lock.
        return remote
