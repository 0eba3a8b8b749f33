"""The story admin: the story page and list, its bylines and corrections, and the audit log."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin

from articles import permissions
from articles.content import limits
from articles.desk.body import BlockInline
from articles.desk.ordering import Bounded, OrderedInlineFormSet, PositionExcludedFromUniqueCheck
from articles.desk.thumbs import thumbnail
from articles.desk.views import DeskStoryMixin
from articles.desk.widgets import SharedChoicesMixin, label_known_choices
from articles.models import Article, AuditEntry, Byline, Correction
from articles.publication import expired_q
from newsroom.busy_admin import KeepFormWhenBusy

from .importing import StoryImportMixin
from .search import LanguageFilter, StorySearchAdminMixin, YearFilter
from .workflow import ArticleAdminForm, WorkflowAdminMixin, bulk_move


class BylineInline(Bounded, admin.TabularInline):
    model = Byline
    form = PositionExcludedFromUniqueCheck
    formset = OrderedInlineFormSet
    max_num = limits.MAX_BYLINES
    fields = ["position", "contributor", "role"]
    autocomplete_fields = ["contributor"]
    extra = 0
    ordering = ["position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contributor")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # Every row's picker names its contributor from one query, not one query per row.
            credited = obj.bylines.select_related("contributor")
            label_known_choices(formset.form.base_fields["contributor"], [b.contributor for b in credited])
        return formset


class CorrectionInline(admin.TabularInline):
    """Corrections are public record: shown here, added with the story's “Add a correction” button."""

    model = Correction
    fields = ["kind", "note", "created_at", "created_by"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TimingFilter(admin.SimpleListFilter):
    """What the desk asks of the schedule: what is live, what waits, what the scheduler has missed."""

    title = "timing"
    parameter_name = "timing"

    def lookups(self, request, model_admin):
        return [
            ("live", "Public now"),
            ("waiting", "Scheduled or embargoed, not yet public"),
            ("overdue", "Overdue: go-live passed, scheduler has not run"),
            ("expired", "Expired"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.public(at=now)
        if self.value() == "waiting":
            return queryset.filter(status=Article.Status.SCHEDULED).exclude(pk__in=queryset.public(at=now))
        if self.value() == "overdue":
            return queryset.overdue(at=now)
        if self.value() == "expired":
            return queryset.filter(expired_q(now), status=Article.Status.PUBLISHED)
        return queryset


@admin.register(Article)
class ArticleAdmin(
    StorySearchAdminMixin,
    KeepFormWhenBusy,
    DeskStoryMixin,
    SharedChoicesMixin,
    StoryImportMixin,
    WorkflowAdminMixin,
    VersionAdmin,
):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "state",
        "go_live_at",
        "byline",
        "section",
        "version",
        "updated_at",
        "lead_picture",
    ]
    # Only the sections of stories this user may open: a filter must not list another reporter's draft's.
    list_filter = [
        "status",
        TimingFilter,
        YearFilter,
        ("section", admin.RelatedOnlyFieldListFilter),
        LanguageFilter,
    ]
    # Fifty rows render in a fraction of the time of Django's hundred; search and filters find the rest.
    list_per_page = 50
    list_select_related = ["section"]
    # Searched through the search index (admin/search.py), not by these fields one by one.
    search_fields = ["headline", "dek", "blocks__text", "quotes__text"]
    search_help_text = 'Headline, standfirst, body and quotes. "A phrase", a OR b, -word to leave out.'
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_image", "tags", "section"]
    # Status and timing change only through the workflow buttons, which check roles and side effects.
    workflow_fields = ["status", "go_live_at", "embargo_until"]
    record_fields = [
        "version",
        "first_published_at",
        "killed_at",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]
    readonly_fields = [*workflow_fields, *record_fields, "lead_picture"]
    fieldsets = [
        # edit_token (hidden) carries the version this form was opened on, for the conflict check.
        (
            None,
            {
                "fields": [
                    "kicker",
                    "headline",
                    "slug",
                    "dek",
                    "dateline",
                    ("lead_image", "lead_picture"),
                    "edit_token",
                ]
            },
        ),
        ("Filing", {"fields": ["section", "tags", "language", "source_credit", "canonical_url"]}),
        ("Publication", {"fields": ["status", "go_live_at", "embargo_until", "expires_at", "kill_notice"]}),
        ("Record", {"classes": ["collapse"], "fields": record_fields}),
    ]
    inlines = [BlockInline, BylineInline, CorrectionInline]
    actions = [
        bulk_move("submit", "Submit selected stories for review"),
        bulk_move("publish", "Publish selected stories now"),
        bulk_move("unpublish", "Unpublish selected stories"),
    ]

    def get_queryset(self, request):
        # A reporter's list, search and URLs reach only their own stories.
        articles = permissions.visible_articles(request.user)
        if getattr(request.resolver_match, "url_name", None) != "articles_article_changelist":
            return articles  # one story at a time: its page loads what it shows itself
        return articles.select_related("section", "updated_by", "lead_image").prefetch_related(
            "bylines__contributor", "lead_image__renditions"
        )

    def get_object(self, request, object_id, from_field=None):
        # The story page names its section, tags and lead picture from this one fetch.
        stories = self.get_queryset(request).select_related("section", "lead_image")
        try:
            return stories.prefetch_related("tags", "lead_image__renditions").get(pk=int(object_id))
        except (Article.DoesNotExist, ValueError, TypeError):
            return None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            for name, chosen in [
                ("lead_image", [obj.lead_image] if obj.lead_image_id else []),
                ("section", [obj.section] if obj.section_id else []),
                ("tags", obj.tags.all()),
            ]:
                if name in form.base_fields:
                    label_known_choices(form.base_fields[name], chosen)
        return form

    @admin.display(description="Lead picture")
    def lead_picture(self, article):
        return thumbnail(article.lead_image, width=80)

    def get_readonly_fields(self, request, obj=None):
        if permissions.is_editor(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "expires_at", "kill_notice"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    @admin.display(description="Byline")
    def byline(self, article):
        return format_html_join(", ", "{}", ((b.contributor.name,) for b in article.bylines.all()))

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        now = timezone.now()
        label = article.get_status_display()
        if article.status == Article.Status.SCHEDULED:
            if article.is_public(at=now - Article.SCHEDULER_GRACE):
                return format_html('<strong style="color:#b00">{} — overdue</strong>', label)
            if article.embargo_until and article.embargo_until > now:
                return f"{label} — embargoed"
        if article.status == Article.Status.PUBLISHED and not article.is_public(at=now):
            return f"{label} — not public"
        return label

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        overdue = Article.objects.overdue().count() if permissions.is_editor(request.user) else 0
        if overdue:
            self.message_user(
                request,
                f"{overdue} scheduled stor{'y is' if overdue == 1 else 'ies are'} past go-live but not yet "
                "processed: is the scheduler (manage.py run_scheduler or run_worker) running? "
                "Filter by timing → Overdue.",
                level="warning",
            )
        return super().changelist_view(request, extra_context)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Public record: corrections are added from their story (which bumps its version), never rewritten."""

    list_display = ["__str__", "article", "kind", "created_at", "created_by"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["article", "created_by"]
    search_fields = ["note", "article__headline"]

    def get_queryset(self, request):
        # A reporter sees the corrections of the stories they may open, like the stories themselves.
        return super().get_queryset(request).filter(article__in=permissions.visible_articles(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Who did what to which story. Read-only for everyone: the log is evidence."""

    list_display = ["at", "action", "story", "actor_name", "version", "note"]
    list_filter = ["action", "at", ("actor", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["actor", "article"]
    search_fields = ["headline", "note", "actor__username", "article__slug"]
    date_hierarchy = "at"
    fields = ["at", "action", "actor", "article", "headline", "version", "note"]

    @admin.display(description="Story", ordering="headline")
    def story(self, entry):
        if entry.article_id is None:
            return entry.headline
        url = reverse("admin:articles_article_change", args=[entry.article_id])
        return format_html('<a href="{}">{}</a>', url, entry.headline)

    @admin.display(description="By", ordering="actor__username")
    def actor_name(self, entry):
        return entry.actor.get_username() if entry.actor else "scheduler"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
