"""Rate limits and sign-in lock-outs count the real client behind the trusted proxies."""

import pytest
from rest_framework.throttling import AnonRateThrottle

from newsroom.clients import client_address

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def two_a_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "1000/min"})


def test_without_proxies_a_made_up_forwarded_header_does_not_reset_the_api_limit(
    client, settings, two_a_minute
):
    settings.TRUSTED_PROXIES = 0
    statuses = [
        client.get("/api/v1/sections/", headers={"x-forwarded-for": f"192.0.2.{n}"}).status_code
        for n in range(1, 5)
    ]
    assert statuses == [200, 200, 429, 429]


def test_behind_one_proxy_the_limit_follows_the_address_the_proxy_saw(client, settings, two_a_minute):
    settings.TRUSTED_PROXIES = 1

    def through_proxy(forwarded):
        return client.get(
            "/api/v1/sections/", headers={"x-forwarded-for": forwarded}, REMOTE_ADDR="10.0.0.2"
        ).status_code

    # Whatever the client writes on the left, the proxy's own entry on the right is who it is.
    assert [through_proxy(f"192.0.2.{n}, 203.0.113.5") for n in range(1, 4)] == [200, 200, 429]
    # Another reader behind the same proxy has a limit of its own.
    assert through_proxy("198.51.100.7") == 200


@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        (0, "203.0.113.5", "192.0.2.1", "203.0.113.5"),
        (1, "10.0.0.2", "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.2", "192.0.2.1, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "10.0.0.2", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
    ],
)
def test_client_address_counts_trusted_proxies_from_the_right(
    settings, rf, proxies, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def sign_in(client, username, password, *, remote="10.0.0.2", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=remote, **extra)


def test_a_stranger_behind_the_same_proxy_cannot_keep_an_editor_locked_out(client, settings, editor):
    settings.TRUSTED_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        sign_in(client, "editor", "guess", forwarded="203.0.113.66")
    assert sign_in(client, "editor", "guess", forwarded="203.0.113.66").status_code == 429
    assert sign_in(client, "editor", PASSWORD, forwarded="198.51.100.20").status_code == 302


def test_without_proxies_a_made_up_forwarded_header_does_not_escape_a_lock_out(client, settings, editor):
    settings.TRUSTED_PROXIES = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "guess", remote="203.0.113.66", forwarded=f"192.0.2.{n}")
    retry = sign_in(client, "editor", PASSWORD, remote="203.0.113.66", forwarded="192.0.2.99")
    assert retry.status_code == 429
    assert sign_in(client, "editor", PASSWORD, remote="198.51.100.20").status_code == 302


def test_one_password_sprayed_across_many_accounts_locks_the_address_out(client, settings, editor):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 10
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        # Each account name fails once only: far below the per-account limit.
        assert sign_in(client, f"desk-{n}", "Spring2026!", remote="203.0.113.66").status_code == 200
    assert sign_in(client, "editor", PASSWORD, remote="203.0.113.66").status_code == 429
    assert sign_in(client, "editor", PASSWORD, remote="198.51.100.20").status_code == 302
