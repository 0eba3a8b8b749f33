"""Admin pages of the records stories share or are made of.

Shared objects (speakers, sections, tags; pictures and embeds in media.py) obey the rules in
articles/shared_objects.py: lists, searches, autocomplete, the change and delete pages. A story's own
parts (blocks, quotes) edited on their own pages are held to their story's rules, and a change to one is
a change to its story.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError

from articles import permissions, shared_objects
from articles.desk.thumbs import paragraph_label
from articles.desk.widgets import SharedChoicesMixin
from articles.models import Article, Block, Quote, Section, Speaker, Tag
from articles.services.editing import article_record_edit
from articles.services.reviewing import quotes_accept
from newsroom.busy_admin import KeepFormWhenBusy


class SharedObjectAdmin:
    """Mixed in ahead of ModelAdmin: lists, pages and changes obey the stories that show the object."""

    def get_queryset(self, request):
        reachable = shared_objects.reachable(self.model, request.user)
        return super().get_queryset(request).filter(pk__in=reachable.values("pk"))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # Read-only displays ("Used in") get the object, never the request: they read this.
            obj.viewer = request.user
        return obj

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or shared_objects.can_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or shared_objects.can_change(request.user, obj))

    def save_model(self, request, obj, form, change):
        save = super().save_model
        if not change:
            return save(request, obj, form, change)
        return shared_objects.shared_object_change(
            obj=obj, by=request.user, change=lambda: save(request, obj, form, change)
        )

    def delete_model(self, request, obj):
        delete = super().delete_model
        return shared_objects.shared_object_change(
            obj=obj, by=request.user, change=lambda: delete(request, obj)
        )

    def delete_queryset(self, request, queryset):
        # One by one, so each object's stories are checked and told, and each picture's files go with it.
        for obj in queryset:
            self.delete_model(request, obj)


class RecordsStoryEdits:
    """Mixed in ahead of ModelAdmin for models with an `article`: every save, move and delete of a part
    is recorded as an edit of each story it touched, so a live one gets its new version, audit entry,
    purge and announcement whichever page changed it."""

    def save_model(self, request, obj, form, change):
        stories = {obj.article}
        if change and "article" in form.changed_data:
            # Moved to another story: the one it left changed too.
            stories.add(Article.objects.get(pk=form.initial["article"]))
        super().save_model(request, obj, form, change)
        self.record_edits(request, stories)

    def delete_model(self, request, obj):
        story = obj.article
        super().delete_model(request, obj)
        self.record_edits(request, {story})

    def delete_queryset(self, request, queryset):
        # The list's bulk delete is not wrapped in a transaction as the delete page is.
        with transaction.atomic():
            stories = set(Article.objects.filter(pk__in=list(queryset.values_list("article_id", flat=True))))
            super().delete_queryset(request, queryset)
            self.record_edits(request, stories)

    @staticmethod
    def record_edits(request, stories):
        for story in stories:
            article_record_edit(article=story, by=request.user)


@admin.action(description="Accept the selected attributions", permissions=["change"])
def accept_quotes(modeladmin, request, queryset):
    try:
        count = quotes_accept(quotes=queryset, by=request.user)
    except PermissionDenied as refusal:
        modeladmin.message_user(request, f"Nothing was accepted: {refusal}", messages.ERROR)
        return
    modeladmin.message_user(request, f"Accepted {count} quote{'s' if count != 1 else ''}.", messages.SUCCESS)


@admin.action(description="Drop the selected quotes (the paragraph text stays)", permissions=["delete"])
def drop_quotes(modeladmin, request, queryset):
    articles = {quote.article for quote in queryset.select_related("article")}
    if not all(permissions.can_edit(request.user, article) for article in articles):
        raise PermissionDenied("You cannot edit every story these quotes belong to.")
    try:
        count, _ = queryset.delete()
    except ProtectedError:
        modeladmin.message_user(
            request,
            "Nothing was dropped: some of these quotes are shown as quote blocks. Remove those blocks first.",
            messages.ERROR,
        )
        return
    for article in articles:
        article_record_edit(article=article, by=request.user)
    modeladmin.message_user(request, f"Dropped {count} quote{'s' if count != 1 else ''}.", messages.SUCCESS)


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


@admin.register(Section)
class SectionAdmin(KeepFormWhenBusy, SharedObjectAdmin, admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(KeepFormWhenBusy, SharedObjectAdmin, admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
