"""Two-factor sign-in for staff (django-otp): a code from an authenticator app, or a one-time backup code.

With OTP_REQUIRED on (the production default) editors and admins — every account that may publish, and
superusers — must give a code at sign-in, and the admin refuses their sessions until they have. Anyone
else who has a device enrolled gives a code too. API tokens are not sessions and are not affected.
Enrolment is made by `manage.py create_editor` (see the README).
"""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10


def required_for(user):
    """Return whether `user` must sign in with a second factor on this site."""
    if not settings.OTP_REQUIRED or not user.is_active:
        return False
    return user.is_superuser or user.has_perm("articles.publish_article")


def satisfied(request):
    """Return whether the request's session meets the second-factor rule for its user."""
    user = request.user
    if not required_for(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def verify(user, code):
    """Return the user's device that accepts `code`, or None.

    Six digits are tried on the authenticator only, anything else on the backup codes only, so a failed
    attempt slows down (django-otp's throttling) only the device it was meant for.
    """
    code = "".join(code.split())
    wanted = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if isinstance(device, wanted) and device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None


@transaction.atomic
def enrol(user):
    """Give `user` a new authenticator and new backup codes, ending any they had; return both."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    authenticator = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return authenticator, codes


def enrolled(user):
    return user_has_device(user, confirmed=True)


class OneTimeCodeInput(forms.TextInput):
    def format_value(self, value):
        return None  # a code is good once: the form never shows one back


class LoginForm(AdminAuthenticationForm):
    """The admin's sign-in: name, password and, for those who need one, a code, in one step.

    Every refusal reads the same, so the form never tells whether the password alone was right.
    """

    code = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=20,
        widget=OneTimeCodeInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="Editors and admins: the 6-digit code from your authenticator app, or a backup code.",
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter the correct %(username)s and password, and your two-factor code if you have one. "
            "Note that both fields may be case-sensitive."
        ),
    }

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned
        has_device = enrolled(user)
        if not (has_device or required_for(user)):
            return cleaned
        device = verify(user, cleaned.get("code") or "") if has_device else None
        if device is None:
            # Counted by the sign-in lock-outs like a wrong password.
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=self.request
            )
            raise self.get_invalid_login_error()
        # django-otp marks the session verified when the sign-in completes.
        user.otp_device = device
        return cleaned
