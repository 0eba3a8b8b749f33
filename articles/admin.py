from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin

from newsroom.busy_admin import KeepFormWhenBusy

from . import permissions, shared_objects
from .content import limits
from .desk.body import BlockInline
from .desk.ordering import Bounded, OrderedInlineFormSet, PositionExcludedFromUniqueCheck
from .desk.pictures import PictureDropMixin, stories_showing_count
from .desk.thumbs import paragraph_label, thumbnail
from .desk.views import DeskStoryMixin
from .desk.widgets import label_known_choices
from .import_admin import StoryImportMixin, accept_quotes, drop_quotes
from .media.processing import UploadRefused, prepare_upload
from .media.renditions import discard_crops
from .media.uploads import find_duplicate, image_create
from .models import (
    Article,
    AuditEntry,
    Block,
    Byline,
    Correction,
    Embed,
    Image,
    Quote,
    Section,
    Speaker,
    Tag,
)
from .publication import expired_q
from .search_admin import LanguageFilter, StorySearchAdminMixin, YearFilter
from .shared_admin import SharedChoicesMixin, SharedObjectAdmin
from .story_part_admin import RecordsStoryEdits
from .workflow_admin import ArticleAdminForm, WorkflowAdminMixin, bulk_move


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
    # Searched through the search index (search_admin.py), not by these fields one by one.
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


class StoryPartAdmin(KeepFormWhenBusy, RecordsStoryEdits, SharedChoicesMixin, admin.ModelAdmin):
    """Blocks and quotes edited on their own: held to the same rules as their story."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(article__in=permissions.visible_articles(request.user))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj.article))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj.article))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = permissions.editable_articles(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Speaker)
class SpeakerAdmin(KeepFormWhenBusy, SharedObjectAdmin, admin.ModelAdmin):
    list_display = ["name", "title", "kind", "is_anonymous"]
    list_filter = ["kind", "is_anonymous"]
    search_fields = ["name", "title"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Quote)
class QuoteAdmin(StoryPartAdmin):
    list_display = [
        "words",
        "speaker",
        "kind",
        "verb",
        "confidence",
        "needs_review",
        "review_note",
        "paragraph",
        "is_pull_quote",
        "is_verified",
        "article",
    ]
    # Reassigning a speaker straight from the list, with the speaker search box.
    list_editable = ["speaker"]
    list_filter = ["needs_review", "kind", "is_pull_quote", "is_verified"]
    list_select_related = ["speaker", "article", "block"]
    search_fields = ["text", "speaker__name", "article__headline"]
    autocomplete_fields = ["article", "speaker"]
    ordering = ["article", "position", "id"]
    actions = [accept_quotes, drop_quotes]

    def get_list_display(self, request):
        # Reviewing one story's quotes (linked from the story page), its headline on every row is noise.
        if "article__id__exact" in request.GET:
            return [name for name in self.list_display if name != "article"]
        return self.list_display

    @admin.display(description="Quote", ordering="text")
    def words(self, quote):
        return f"“{quote.text if len(quote.text) <= 90 else quote.text[:89] + '…'}”"

    @admin.display(description="Paragraph", ordering="block__position")
    def paragraph(self, quote):
        return paragraph_label(quote.block) if quote.block else "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "block":
            # The paragraph is chosen by its words, among the story's own paragraphs.
            object_id = request.resolver_match.kwargs.get("object_id")
            quote = Quote.objects.filter(pk=object_id).only("article_id").first() if object_id else None
            paragraphs = Block.objects.filter(type=Block.Type.PARAGRAPH)
            field.queryset = paragraphs.filter(article_id=quote.article_id) if quote else paragraphs.none()
            field.label_from_instance = paragraph_label
        return field

    def save_model(self, request, obj, form, change):
        if change and "speaker" in form.changed_data:
            obj.attribute(obj.speaker)
        super().save_model(request, obj, form, change)


@admin.register(Block)
class BlockAdmin(StoryPartAdmin):
    list_display = ["__str__", "article", "type"]
    list_filter = ["type"]
    list_select_related = ["article"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article", "quote", "image", "embed"]


class ImageUploadForm(forms.ModelForm):
    # A plain file field: the pipeline, not the field, decides whether the file is a picture we accept.
    file = forms.FileField(
        label="Picture", help_text=Image._meta.get_field("file").help_text, allow_empty_file=True
    )

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "copyright", "focal_x", "focal_y"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.prepared = prepare_upload(upload)
        except UploadRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        if existing := find_duplicate(self.prepared):
            if not shared_objects.may_reach(self.uploader, existing):
                raise forms.ValidationError(shared_objects.DUPLICATE_OUT_OF_REACH)
            raise forms.ValidationError(
                format_html(
                    'This picture is already in the library as <a href="{}">image {} (“{}”)</a>. '
                    "Use that one rather than uploading it again.",
                    reverse("admin:articles_image_change", args=[existing.pk]),
                    existing.pk,
                    existing,
                )
            )
        return upload


@admin.register(Image)
class ImageAdmin(KeepFormWhenBusy, PictureDropMixin, SharedObjectAdmin, admin.ModelAdmin):
    list_display = ["preview", "__str__", "credit", "dimensions", "stories", "created_at"]
    list_display_links = ["preview", "__str__"]
    ordering = ["-created_at"]
    search_fields = ["alt_text", "caption", "credit", "copyright"]
    readonly_fields = ["focal_point_picker", "dimensions", "source_format", "used_in_stories", "sha256"]
    fieldsets = [
        (None, {"fields": ["focal_point_picker", ("focal_x", "focal_y"), "alt_text", "caption"]}),
        ("Credit", {"fields": ["credit", "copyright"]}),
        ("Use", {"fields": ["used_in_stories"]}),
        ("File", {"classes": ["collapse"], "fields": ["dimensions", "source_format", "sha256"]}),
    ]

    class Media:
        js = ["articles/admin/focal-point.js"]
        css = {"all": ["articles/admin/images.css"]}

    def get_queryset(self, request):
        # Counted among the stories this user may open, like the "Used in" list.
        visible = permissions.visible_articles(request.user).values("pk")
        return (
            super()
            .get_queryset(request)
            .prefetch_related("renditions")
            .annotate(story_count=stories_showing_count(among=visible))
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            # The form words a duplicate by what the uploader may reach.
            kwargs["form"] = type("ImageUploadForm", (ImageUploadForm,), {"uploader": request.user})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ImageUploadForm.Meta.fields})]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    @admin.display(description="Picture")
    def preview(self, image):
        return thumbnail(image)

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width}×{image.height}"

    @admin.display(description="Stories", ordering="story_count")
    def stories(self, image):
        return image.story_count

    @admin.display(description="Focal point")
    def focal_point_picker(self, image):
        return format_html(
            '<div class="focal-picker" data-focal-picker>'
            '<img src="{}" alt="" width="{}" height="{}"><span class="focal-marker" style="left:{}%;top:{}%">'
            '</span></div><p class="help">Click the centre of interest; crops keep it in frame.</p>',
            image.file.url,
            image.width,
            image.height,
            round(image.focal_x * 100, 2),
            round(image.focal_y * 100, 2),
        )

    @admin.display(description="Used in")
    def used_in_stories(self, image):
        stories = shared_objects.visible_stories_using(image, image.viewer).order_by("-updated_at")
        if not stories:
            return "Not used in any story."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[a.pk]),
                        a.headline,
                        a.get_status_display(),
                    )
                    for a in stories
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
            image_create(prepared=form.prepared, image=obj)
            return
        super().save_model(request, obj, form, change)
        if {"focal_x", "focal_y"} & set(form.changed_data):
            discard_crops(obj)

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, object_id)
        may_delete = image is not None and self.has_delete_permission(request, image)
        if may_delete and (stories := list(shared_objects.visible_stories_using(image, request.user))):
            names = ", ".join(f"“{story.headline}”" for story in stories[:5])
            more = f" and {len(stories) - 5} more" if len(stories) > 5 else ""
            self.message_user(
                request,
                f"This picture cannot be deleted: it is shown in {names}{more}. "
                "Remove it from those stories first.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:articles_image_change", args=[image.pk]))
        return super().delete_view(request, object_id, extra_context)


@admin.register(Embed)
class EmbedAdmin(KeepFormWhenBusy, SharedObjectAdmin, admin.ModelAdmin):
    list_display = ["__str__", "provider", "url"]
    ordering = ["-id"]
    search_fields = ["title", "fallback_text", "url", "provider"]


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


@admin.register(Section)
class SectionAdmin(KeepFormWhenBusy, SharedObjectAdmin, admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(KeepFormWhenBusy, SharedObjectAdmin, admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


from . import tokens_admin, webhooks_admin  # noqa: E402, F401  (register the token and webhook admins)
