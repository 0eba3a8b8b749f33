"""The admin's "View on site" links, answered only for objects the user may open in the admin.

Django's own shortcut redirects any staff member to any object's public address, which for an
unpublished story is its slug: a way to learn of stories the user's admin pages would not show.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404


def view_on_site(request, content_type_id, object_id):
    """Redirect to the object's public address if this user's admin pages would show the object."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404("No such object.") from None
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404("No such object.")
    try:
        found = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValueError, TypeError):
        found = False
    if not found:
        raise Http404("No such object.")
    return shortcut(request, content_type_id, object_id)
