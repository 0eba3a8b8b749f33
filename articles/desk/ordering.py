"""Inline rows kept in order by a `position` the page sets, never typed by hand."""

from django import forms
from django.db.models import F


class OrderedInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows with a unique `position` per story, reordered by the page (dragging, arrows).

    The database checks (article, position) row by row, so swapping two rows would collide
    halfway through the save. Duplicates are caught here across the whole formset instead, and
    existing rows are parked out of range before the new order is written.
    """

    PARK_OFFSET = 1_000_000

    def clean(self):
        super().clean()
        seen = {}
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]
        # A row added without script (or by a client that sends no place) goes to the end.
        taken = [
            form.cleaned_data["position"] for form in kept if form.cleaned_data.get("position") is not None
        ]
        free = max(taken, default=-1) + 1
        for form in kept:
            if form.cleaned_data.get("position") is None:
                form.cleaned_data["position"] = form.instance.position = free
                free += 1
        for form in kept:
            position = form.cleaned_data["position"]
            if position in seen:
                form.add_error("position", f"Place {position + 1} is used twice; move one of the rows.")
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
    """A row whose place is set by the page (hidden), checked across the formset rather than per row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].required = False
            self.fields["position"].widget = forms.HiddenInput()

    # Per-row database uniqueness on `position` would refuse a swap; the formset checks it instead.
    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "position"}


class Bounded:
    """An inline that refuses more rows than a story may hold (`max_num`) with a message on the form."""

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, validate_max=True, **kwargs)
