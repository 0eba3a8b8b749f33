"""The story importer in the admin: paste or upload raw text, preview what was read, import a draft.

Imported quotes are then reviewed on the story page (reassigned speakers are attributed here) and in
the quote list (records.py).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles import shared_objects
from articles.importing import MAX_BYTES, UnreadableInput, check_text, decode, parse, summary
from articles.models import Quote, Speaker
from articles.services.imports import article_import
from articles.services.speakers import speakers_match


class StoryImportForm(forms.Form):
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100, "spellcheck": "false"}),
        help_text="The whole story as copied: headline on the first line, then the paragraphs. "
        "Page furniture such as “Rate this post” is dropped for you.",
    )
    file = forms.FileField(
        required=False, help_text="Or a UTF-8 text file with the same content (instead of pasting)."
    )

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text") or "", cleaned.get("file")
        if upload and text.strip():
            raise forms.ValidationError("Paste the story or choose a file, not both.")
        try:
            if upload:
                data = upload.read(MAX_BYTES + 1)
                cleaned["story_text"] = decode(data)
            elif text.strip():
                cleaned["story_text"] = check_text(text)
            else:
                raise forms.ValidationError("Paste the story or choose a file.")
            cleaned["story"] = parse(cleaned["story_text"])
        except UnreadableInput as exc:
            raise forms.ValidationError(f"This story cannot be imported: {exc}") from exc
        return cleaned


class StoryImportMixin:
    """Adds "Import story" to the story admin: a page that turns raw text into a draft for review."""

    change_list_template = "admin/articles/article/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="articles_article_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied("You cannot add stories.")
        form = StoryImportForm(request.POST or None, request.FILES or None)
        preview = None
        if request.method == "POST" and form.is_valid():
            story = form.cleaned_data["story"]
            # Speakers are matched only among those the importer may reach, so neither the preview nor
            # the import reveals a speaker known only from another reporter's stories.
            speakers = shared_objects.reachable(Speaker, request.user)
            if "_import" in request.POST:
                result = article_import(story=story, by=request.user, speakers=speakers)
                article = result.article
                flagged = Quote.objects.filter(article=article).flagged().count()
                count = len(story.quotes)
                found = f"{count} quote{'' if count == 1 else 's'}, {flagged} flagged for review"
                messages.success(request, f"Imported “{article.headline}” as a draft: {found}.")
                for name in result.uncredited:
                    messages.warning(
                        request, f"{name} was not credited: only an editor can add contributors."
                    )
                return redirect("admin:articles_article_change", article.pk)
            matches = speakers_match(story.speakers, among=speakers)
            status = {key: label for key, (_, label) in matches.items()}
            # Carry an uploaded file's text into the box, so "Import" sends exactly what was previewed.
            form = StoryImportForm(initial={"text": form.cleaned_data["story_text"]})
            preview = {"story": story, "status": status, "lines": summary(story, status)}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import a story",
            "form": form,
            "preview": preview,
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        if str(object_id).isdigit():
            context["flagged_quotes"] = Quote.objects.filter(article_id=object_id).flagged().count()
            context["review_quotes_url"] = (
                reverse("admin:articles_quote_changelist") + f"?article__id__exact={object_id}"
            )
        return super().change_view(request, object_id, form_url, context)

    def save_formset(self, request, form, formset, change):
        if formset.model is Quote:
            for quote_form in formset.forms:
                if quote_form.instance.pk and "speaker" in quote_form.changed_data:
                    quote_form.instance.attribute(quote_form.instance.speaker)
        super().save_formset(request, form, formset, change)
