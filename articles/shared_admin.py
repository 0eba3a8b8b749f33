"""Admin pages of shared objects (pictures, embeds, speakers, sections, tags), and choices of them.

The rules are in shared_objects.py; these mixins apply them to lists, searches, autocomplete, the
change and delete pages, and to the choices a story form offers.
"""

from . import shared_objects


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


class SharedChoicesMixin:
    """Mixed into story admins and inlines: choices of shared objects offer only what the user may reach."""

    def get_field_queryset(self, db, db_field, request):
        model = db_field.remote_field.model
        if model in shared_objects.SHARED_MODELS:
            reachable = shared_objects.reachable(model, request.user)
            ordering = model._meta.ordering
            return reachable.using(db).order_by(*ordering) if ordering else reachable.using(db)
        return super().get_field_queryset(db, db_field, request)
