"""Sign-in throttling, password storage and token revocation."""

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from knox.models import AuthToken

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page(response, username):
    return CSRF_TOKEN.sub("", response.content.decode()).replace(username, "NAME")


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="203.0.113.7")


def test_wrong_password_and_unknown_account_look_the_same(client, editor):
    wrong_password = attempt(client, "editor", "not the password")
    unknown_user = attempt(client, "nobody-by-this-name", "not the password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert page(wrong_password, "editor") == page(unknown_user, "nobody-by-this-name")


def test_five_failures_lock_out_even_the_right_password(client, settings, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editor", "guess")
    locked = attempt(client, "editor", "correct horse battery staple")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_unknown_accounts_lock_out_exactly_like_real_ones(client, settings, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editor", "guess")
        attempt(client, "ghost", "guess")
    real = attempt(client, "editor", "guess")
    ghost = attempt(client, "ghost", "guess")
    assert real.status_code == ghost.status_code == 429
    assert real.content == ghost.content


def test_lock_out_is_per_account_and_address(client, settings, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editor", "guess")
    # The same account from another address, and another account from this one, still sign in.
    other_address = client.post(
        LOGIN,
        {"username": "editor", "password": "correct horse battery staple"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert other_address.status_code == 302


def test_a_successful_sign_in_works_and_resets_the_count(client, settings, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "editor", "guess")
    assert attempt(client, "editor", "correct horse battery staple").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "editor", "guess")
    assert attempt(client, "editor", "correct horse battery staple").status_code == 302


def test_passwords_are_stored_with_argon2(settings):
    # The suite swaps in a fast hasher; the project's own setting is what production uses.
    from newsroom import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = factories.UserFactory(username="fresh")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("correct horse battery staple")


def test_weak_passwords_are_refused(client, settings):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["password123", "12345678901234", "short", "newsroom-editor"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user=factories.UserFactory.build(username="newsroom-editor"))


def test_a_revoked_token_stops_working_at_once(api_client, editor):
    _, key = AuthToken.objects.create(user=editor)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/articles/").status_code == 200
    AuthToken.objects.filter(user=editor).delete()
    assert api_client.get("/api/v1/articles/").status_code == 401


def test_tokens_are_stored_as_digests_only(editor):
    instance, key = AuthToken.objects.create(user=editor)
    stored = AuthToken.objects.get(pk=instance.pk)
    assert key not in {stored.digest, stored.token_key}
    assert stored.token_key == key[: len(stored.token_key)]
