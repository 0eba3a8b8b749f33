vcl 4.1;

# Newsroom's HTTP cache, in front of gunicorn (docker-compose.yml mounts it as /etc/varnish/default.vcl).
#
# - Anonymous reads are shared: their cookies are dropped, and a response is kept as long as its
#   Surrogate-Control (else Cache-Control) says; the app sends surrogate keys naming the stories, people and
#   lists it shows, and purges them by key (xkey) when they change.
# - Anything with credentials (a token, a session) or a preview link goes to the app and is never stored.
# - A response that does not name its lifetime, sets a cookie or is private is never stored.
# - Grace: a stale copy is served while a fresh one is fetched (stale-while-revalidate), and for longer
#   while the app is down (stale-if-error).
# - PURGE, by surrogate key (an `xkey-purge` header) or by URL, only from the addresses in `purgers`.

import std;
import xkey;

backend default {
    .host = "web";
    .port = "8000";
    .connect_timeout = 3s;
    .first_byte_timeout = 35s;  # gunicorn's worker timeout is 30 s
    .between_bytes_timeout = 10s;
    .probe = {
        .url = "/health/";
        .timeout = 3s;
        .interval = 5s;
        .window = 5;
        .threshold = 3;
    }
}

# Who may purge: this machine and the compose network's containers (web and worker). The network's gateway
# is refused: connections published from outside the host can arrive from it.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
    "172.30.57.0"/24;
    ! "172.30.57.1";
}

sub vcl_recv {
    # One id per request, from the proxy in front or made here: the app logs it and it is answered back.
    if (!req.http.X-Request-ID) {
        set req.http.X-Request-ID = "varnish-" + req.xid;
    }
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        set req.url = std.querysort(req.url);
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        # Writes (the API, the admin's forms) always reach the app, with everything they carry.
        return (pass);
    }
    # One object for ?a=1&b=2 and ?b=2&a=1, as the app's own cache does.
    set req.url = std.querysort(req.url);
    # Staff pages, the health check, and requests that are someone's: a token, a session (the API's
    # session authentication and the admin), or a preview link — also with a percent-encoded name, which
    # the app decodes.
    if (req.url ~ "^/(admin|health)(/|$)"
        || req.http.Authorization
        || req.http.Cookie ~ "(^|;\s*)sessionid="
        || req.url ~ "[?&]preview(=|&|$)"
        || req.url ~ "[?&][^=&#]*%") {
        return (pass);
    }
    # Anonymous reads: no cookie can change the response (the app varies on Cookie only for sessions).
    unset req.http.Cookie;
    # While the app answers, a stale copy only bridges the time a fresh one takes to fetch
    # (stale-while-revalidate, CACHE_STALE_WHILE_REVALIDATE); while it is down, the object's whole grace
    # (stale-if-error) applies.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 300s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Surrogate keys for xkey: the app names them in Surrogate-Key, space-separated.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Never stored: responses that set a cookie, are private or not to be stored, server errors, and
    # anything that does not name its lifetime.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
        || beresp.status >= 500
        || !(beresp.http.Surrogate-Control || beresp.http.Cache-Control ~ "max-age")) {
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;  # remembered as not cacheable, never as content
        return (deliver);
    }
    # Surrogate-Control is for this cache and wins over Cache-Control, which is for browsers.
    if (beresp.http.Surrogate-Control ~ "max-age=\d+") {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, "^.*max-age=(\d+).*$", "\1") + "s", 0s);
    }
    set beresp.grace = 0s;
    if (beresp.http.Surrogate-Control ~ "stale-while-revalidate=\d+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Surrogate-Control, "^.*stale-while-revalidate=(\d+).*$", "\1") + "s", 0s);
    }
    if (beresp.http.Surrogate-Control ~ "stale-if-error=\d+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Surrogate-Control, "^.*stale-if-error=(\d+).*$", "\1") + "s", beresp.grace);
    }
    unset beresp.http.Surrogate-Control;
    return (deliver);
}

sub vcl_backend_error {
    # The app is unreachable and no stale copy is left: say so briefly, and let clients retry.
    set beresp.http.Content-Type = "text/plain; charset=utf-8";
    set beresp.http.Retry-After = "5";
    set beresp.http.Cache-Control = "no-store";
    synthetic("The site is temporarily unavailable. Please try again in a moment.");
    return (deliver);
}

sub vcl_deliver {
    # What the keys are is this cache's business; Surrogate-Key stays for a CDN in front, if any.
    unset resp.http.xkey;
    # This request's id, not that of the request that filled the cache.
    set resp.http.X-Request-ID = req.http.X-Request-ID;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
