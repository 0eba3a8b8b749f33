from django import forms
from django.contrib import admin
from django.db.models import F
from django.utils.html import format_html_join

from .models import Article, Block, Byline, Correction, Embed, Image, Quote, Section, Speaker, Tag


class OrderedInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows with a unique `position` per story, reorderable by editing the numbers.

    The database checks (article, position) row by row, so swapping two rows would collide
    halfway through the save. Duplicates are caught here across the whole formset instead, and
    existing rows are parked out of range before the new order is written.
    """

    PARK_OFFSET = 1_000_000

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            position = form.cleaned_data.get("position")
            if position is None:
                continue
            if position in seen:
                form.add_error(
                    "position", f"Position {position} is used twice; give each row its own number."
                )
            seen[position] = form

    def save_existing_objects(self, commit=True):
        moved = any("position" in form.changed_data for form in self.initial_forms)
        if not (commit and moved):
            return super().save_existing_objects(commit)
        self.model.objects.filter(**{self.fk.name: self.instance}).update(
            position=F("position") + self.PARK_OFFSET
        )
        saved = super().save_existing_objects(commit)
        saved_ids = {obj.pk for obj in saved} | {obj.pk for obj in self.deleted_objects}
        for form in self.initial_forms:
            if form.instance.pk not in saved_ids:
                form.instance.save(update_fields=["position"])
        return saved


class PositionExcludedFromUniqueCheck(forms.ModelForm):
    # Per-row database uniqueness on `position` would refuse a swap; the formset checks it instead.
    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "position"}


class BlockInline(admin.StackedInline):
    model = Block
    form = PositionExcludedFromUniqueCheck
    formset = OrderedInlineFormSet
    fields = [("position", "type"), "text", ("quote", "image", "embed")]
    autocomplete_fields = ["quote", "image", "embed"]
    extra = 0
    ordering = ["position"]


class BylineInline(admin.TabularInline):
    model = Byline
    form = PositionExcludedFromUniqueCheck
    formset = OrderedInlineFormSet
    fields = ["position", "contributor", "role"]
    autocomplete_fields = ["contributor"]
    extra = 0
    ordering = ["position"]


class QuoteInline(admin.StackedInline):
    model = Quote
    fk_name = "article"
    fields = [
        ("position", "kind", "is_pull_quote", "is_verified"),
        "text",
        ("speaker", "verb", "occasion"),
        ("block", "confidence", "needs_review", "review_note"),
    ]
    autocomplete_fields = ["speaker"]
    readonly_fields = ["confidence"]
    extra = 0
    ordering = ["position", "id"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this story's own paragraphs as the place a quote stands.
        if db_field.name == "block":
            article_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Block.objects.filter(article_id=article_id, type=Block.Type.PARAGRAPH)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CorrectionInline(admin.TabularInline):
    model = Correction
    fields = ["kind", "note", "created_at"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "go_live_at", "byline", "section", "version", "updated_at"]
    list_filter = ["status", "section", "language"]
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "blocks__text"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_image", "tags", "section"]
    date_hierarchy = "go_live_at"
    readonly_fields = ["version", "first_published_at", "killed_at", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "dek", "dateline", "lead_image"]}),
        ("Filing", {"fields": ["section", "tags", "language", "source_credit", "canonical_url"]}),
        ("Publication", {"fields": ["status", "go_live_at", "embargo_until", "expires_at", "kill_notice"]}),
        ("Record", {"classes": ["collapse"], "fields": readonly_fields}),
    ]
    inlines = [BlockInline, BylineInline, QuoteInline, CorrectionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__contributor")

    @admin.display(description="Byline")
    def byline(self, article):
        return format_html_join(", ", "{}", ((b.contributor.name,) for b in article.bylines.all()))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "is_anonymous"]
    list_filter = ["is_anonymous"]
    search_fields = ["name", "title"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker", "article", "kind", "is_pull_quote", "is_verified", "needs_review"]
    list_filter = ["kind", "is_pull_quote", "is_verified", "needs_review"]
    list_select_related = ["speaker", "article"]
    search_fields = ["text", "speaker__name", "article__headline"]
    autocomplete_fields = ["article", "speaker", "block"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "type"]
    list_filter = ["type"]
    list_select_related = ["article"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article", "quote", "image", "embed"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "width", "height", "credit", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["width", "height"]


@admin.register(Embed)
class EmbedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "provider", "url"]
    search_fields = ["title", "fallback_text", "url", "provider"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "kind", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["article"]
    search_fields = ["note", "article__headline"]
    autocomplete_fields = ["article"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
