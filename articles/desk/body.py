"""The story's body on its admin page: typed blocks written in order, inserted in place, dragged."""

from django import forms
from django.contrib import admin
from django.db.models import Prefetch

from articles.content import limits
from articles.models import Block, Quote

from .ordering import Bounded, OrderedInlineFormSet, PositionExcludedFromUniqueCheck
from .widgets import SharedChoicesMixin, label_known_choices

TEXT_HELP = "Italic, bold, links and line breaks come from the buttons; any other markup is removed."


class BodyBlockForm(PositionExcludedFromUniqueCheck):
    class Meta:
        widgets = {
            "type": forms.HiddenInput(),
            "text": forms.Textarea(attrs={"rows": 2, "class": "desk-text", "spellcheck": "true"}),
            "review_note": forms.TextInput(attrs={"size": 60}),
        }


class BodyFormSet(OrderedInlineFormSet):
    """The body's rows, refused together when their text is over the story's limit."""

    def clean(self):
        super().clean()
        typed = sum(
            len(form.cleaned_data.get("text") or "")
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        )
        if typed > limits.MAX_BODY_TEXT:
            raise forms.ValidationError(limits.body_too_long(typed), code="max_length")


class BlockInline(Bounded, SharedChoicesMixin, admin.StackedInline):
    """The body editor: each block shows only its own fields; the page keeps `position` in order."""

    model = Block
    form = BodyBlockForm
    formset = BodyFormSet
    max_num = limits.MAX_BLOCKS
    template = "admin/desk/body_inline.html"
    fields = ["position", "type", "text", "quote", "image", "embed", "needs_review", "review_note"]
    autocomplete_fields = ["quote", "image", "embed"]
    extra = 0
    ordering = ["position"]
    verbose_name = "block"
    verbose_name_plural = "Body"

    def get_queryset(self, request):
        quotes = Quote.objects.select_related("speaker").order_by("position", "id")
        return (
            super()
            .get_queryset(request)
            .select_related("image")
            .prefetch_related("image__renditions", Prefetch("quotes_in", queryset=quotes))
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["text"].help_text = TEXT_HELP
        if obj is not None:
            # Pickers name the picture, embed or quote each block shows from one query for the whole body.
            shown = list(obj.blocks.exclude(type__in=Block.TEXT_TYPES).select_related(*Block.POINTER_FIELDS))
            for name in Block.POINTER_FIELDS:
                chosen = [getattr(block, name) for block in shown if getattr(block, f"{name}_id")]
                label_known_choices(formset.form.base_fields[name], chosen)
        return formset

    class Media:
        js = ["articles/desk/body-editor.js", "articles/desk/pictures.js", "articles/desk/autosave.js"]
        css = {"all": ["articles/desk/body.css"]}
