"""API tokens in the admin: created, listed and revoked here; the key is shown once, at creation."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from knox.admin import AuthTokenAdmin as KnoxAuthTokenAdmin
from knox.admin import AuthTokenCreateForm
from knox.models import AuthToken

admin.site.unregister(AuthToken)


class ApiTokenForm(AuthTokenCreateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # API writes need a staff account; a token for anyone else would only ever be refused.
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True, is_staff=True)
        self.fields["user"].help_text = "The staff account the token acts as, with that account's role."
        self.fields["expiry"].help_text = "Leave empty for a token that lasts until it is revoked here."


@admin.register(AuthToken)
class ApiTokenAdmin(KnoxAuthTokenAdmin):
    """API tokens. Only a digest is stored, so the key is shown once, right after it is created.

    Revoke a token by deleting it.
    """

    add_form = ApiTokenForm
    list_display = ["token_key", "user", "created", "expiry"]
    list_filter = ["created"]
    list_select_related = ["user"]
    search_fields = ["token_key", "user__username"]
    readonly_fields = ["token_key", "user", "created", "expiry"]

    def get_fields(self, request, obj=None):
        return ["user", "expiry"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        admin.ModelAdmin.save_model(self, request, obj, form, change)
        if not change:
            self.message_user(
                request,
                f"Copy this token now; it will not be shown again: {form.token}",
                messages.WARNING,
            )
