"""Admin pages of a story's own parts (blocks, quotes): a change to one is a change to its story."""

from django.db import transaction

from . import services
from .models import Article


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
            services.article_record_edit(article=story, by=request.user)
