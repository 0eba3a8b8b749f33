"""Admin pickers: they offer only the shared objects the user may reach, and name what is already chosen
without asking the database once per row."""

from django.contrib.admin.widgets import AutocompleteSelect

from articles import shared_objects


class KnownChoicesAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose chosen values are named from `known` ({pk: label}) when all are there."""

    known = None

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.known is None or not chosen or not chosen <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = [
            self.create_option(name, pk, self.known[pk], True, index)
            for index, pk in enumerate(sorted(chosen))
        ]
        default = (
            []
            if self.is_required or self.allow_multiple_selected
            else [self.create_option(name, "", "", False, 0)]
        )
        return [(None, default + options, 0)]


def label_known_choices(field, objects):
    """Let `field`'s autocomplete name `objects` without a query of its own."""
    widget = getattr(field.widget, "widget", field.widget)  # inside the admin's add/change-link wrapper
    if isinstance(widget, AutocompleteSelect):
        widget.__class__ = KnownChoicesAutocompleteSelect
        widget.known = {str(obj.pk): str(obj) for obj in objects}


class SharedChoicesMixin:
    """Mixed into story admins and inlines: choices of shared objects offer only what the user may reach."""

    def get_field_queryset(self, db, db_field, request):
        model = db_field.remote_field.model
        if model in shared_objects.SHARED_MODELS:
            reachable = shared_objects.reachable(model, request.user)
            ordering = model._meta.ordering
            return reachable.using(db).order_by(*ordering) if ordering else reachable.using(db)
        return super().get_field_queryset(db, db_field, request)
