"""Admin for webhook subscribers and their delivery log."""

from django import forms
from django.contrib import admin, messages

from articles.signals import Event
from articles.webhooks import Webhook, WebhookDelivery


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The story events this subscriber hears about.",
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "secret", "is_active"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["name", "url", "event_list", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]

    @admin.display(description="Events")
    def event_list(self, webhook):
        return ", ".join(webhook.events)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "webhook", "event", "article", "status", "attempts", "response_status"]
    list_filter = ["status", "event", "webhook"]
    list_select_related = ["webhook", "article"]
    search_fields = ["article__slug", "article__headline", "idempotency_key"]
    date_hierarchy = "created_at"
    actions = ["replay"]
    readonly_fields = [
        "webhook",
        "event",
        "article",
        "payload",
        "idempotency_key",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "delivered_at",
        "response_status",
        "last_error",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected deliveries again", permissions=["change"])
    def replay(self, request, queryset):
        for delivery in queryset.select_related("webhook"):
            delivery.replay()
        self.message_user(request, f"{queryset.count()} deliveries queued again.", messages.SUCCESS)
