"""Two-factor sign-in: editors and admins give a code from their authenticator; API tokens are unaffected."""

import re
from base64 import b32decode
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from rest_framework.test import APIClient

from newsroom import second_factor
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.OTP_REQUIRED = True


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def wrong_code_for(device):
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def sign_in(client, username, password=PASSWORD, code=""):
    return client.post(LOGIN, {"username": username, "password": password, "code": code})


def test_an_editor_needs_the_code_from_their_authenticator(client, editor):
    authenticator, _ = second_factor.enrol(editor)
    refused = sign_in(client, "editor")
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert sign_in(client, "editor", code=code_for(authenticator)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not_sign_in(client, editor):
    authenticator, _ = second_factor.enrol(editor)
    assert sign_in(client, "editor", code=wrong_code_for(authenticator)).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_backup_code_signs_in_once(client, editor):
    _, codes = second_factor.enrol(editor)
    assert sign_in(client, "editor", code=codes[0]).status_code == 302
    client.logout()
    assert sign_in(client, "editor", code=codes[0]).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_reads_exactly_like_a_wrong_password(client, editor):
    authenticator, _ = second_factor.enrol(editor)
    wrong_code = sign_in(client, "editor", code=wrong_code_for(authenticator))
    wrong_password = sign_in(client, "editor", password="not the password", code=code_for(authenticator))
    assert wrong_code.status_code == wrong_password.status_code == 200
    assert CSRF_TOKEN.sub("", wrong_code.content.decode()) == CSRF_TOKEN.sub(
        "", wrong_password.content.decode()
    )


def test_an_editor_who_is_not_enrolled_cannot_sign_in(client, editor):
    assert sign_in(client, "editor").status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_codes_count_towards_the_lock_out(client, settings, editor):
    second_factor.enrol(editor)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", code="not-a-code")
    authenticator = TOTPDevice.objects.get(user=editor)
    assert sign_in(client, "editor", code=code_for(authenticator)).status_code == 429


def test_a_session_without_the_second_factor_is_sent_back_to_sign_in(client, editor, settings):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 302
    settings.OTP_REQUIRED = False
    assert client.get("/admin/").status_code == 200


def test_reporters_sign_in_with_their_password_unless_they_enrolled(client, reporter):
    assert sign_in(client, "reporter").status_code == 302
    client.logout()
    second_factor.enrol(reporter)
    assert sign_in(client, "reporter").status_code == 200
    assert "_auth_user_id" not in client.session


def test_api_tokens_are_unaffected(editor):
    story = ArticleFactory(ready=True)
    api = APIClient()
    _, key = AuthToken.objects.create(user=editor)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post(f"/api/v1/articles/{story.slug}/publish/", {}, format="json").status_code == 200


def test_create_editor_enrols_an_editor_whose_printed_link_signs_in(client):
    out = StringIO()
    call_command("create_editor", "desk-chief", "--role", "editor", stdout=out)
    printed = out.getvalue()
    password = re.search(r"password: (\S+)", printed).group(1)
    link = re.search(r"otpauth://totp/\S+", printed).group(0)
    query = parse_qs(urlsplit(link).query)
    assert query["issuer"] == ["Newsroom"] and query["digits"] == ["6"]
    code = f"{totp(b32decode(query['secret'][0]), step=30, digits=6):06d}"
    assert sign_in(client, "desk-chief", password=password).status_code == 200
    assert sign_in(client, "desk-chief", password=password, code=code).status_code == 302


def test_create_editor_enrols_on_demand_and_leaves_reporters_alone_by_default():
    out = StringIO()
    call_command("create_editor", "stringer", "--role", "reporter", stdout=out)
    assert "otpauth://" not in out.getvalue()
    out = StringIO()
    call_command("create_editor", "stringer", "--role", "reporter", "--two-factor", "--qr", stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    assert TOTPDevice.objects.filter(user__username="stringer").count() == 1


def test_an_api_session_without_the_second_factor_is_anonymous(client, editor, settings):
    story = ArticleFactory(ready=True)
    client.force_login(editor)
    assert client.get(f"/api/v1/articles/{story.slug}/edit/").status_code in (401, 403)
    settings.OTP_REQUIRED = False
    assert client.get(f"/api/v1/articles/{story.slug}/edit/").status_code == 200
