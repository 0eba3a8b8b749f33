"""Pictures dropped on the story page: read the file's own credits for the editor to confirm, then store.

Both steps go through the media pipeline (articles.media), the one way a picture enters the library.
"""

import dataclasses

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path

from articles.media.processing import UploadRefused, prepare_upload
from articles.media.uploads import DuplicateImage, find_duplicate, image_create
from articles.models import Article, Image

from .thumbs import thumbnail_url

FIELDS = ("alt_text", "caption", "credit", "copyright")


def stories_showing_count(*, among=None):
    """Per picture: how many stories (of `among`) show it, as lead or in the body, each counted once."""
    showing = Article.objects.filter(Q(lead_image=OuterRef("pk")) | Q(blocks__image=OuterRef("pk")))
    if among is not None:
        showing = showing.filter(pk__in=among.values("pk"))
    counted = showing.order_by().values(one=Value(1)).annotate(n=Count("pk", distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _picture(image):
    return {"id": image.pk, "label": str(image), "thumb": thumbnail_url(image), "url": image.file.url}


class PictureDropMixin:
    """Adds `drop/` to the picture admin: POST a file with step=read (nothing stored) or step=store."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("drop/", view(self.drop_view), name="articles_image_drop"), *super().get_urls()]

    def drop_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied("You cannot add pictures.")
        upload = request.FILES.get("file")
        if upload is None:
            return JsonResponse({"error": "Choose a picture file."}, status=400)
        try:
            prepared = prepare_upload(upload)
        except UploadRefused as error:
            return JsonResponse({"error": str(error)}, status=400)
        if existing := find_duplicate(prepared):
            # Already in the library: use that one, with the text it already has.
            return JsonResponse({"existing": _picture(existing)})
        if request.POST.get("step") != "store":
            found = {name: prepared.credits.get(name, "") or "" for name in FIELDS}
            return JsonResponse({"found": found, "width": prepared.width, "height": prepared.height})
        fields = {}
        for name in FIELDS:
            limit = Image._meta.get_field(name).max_length
            fields[name] = request.POST.get(name, "").strip()[:limit]
        # The editor has seen and confirmed the file's own credits: what they sent is what is printed.
        confirmed = dataclasses.replace(prepared, credits={})
        try:
            image = image_create(prepared=confirmed, **fields)
        except DuplicateImage as duplicate:
            return JsonResponse({"existing": _picture(duplicate.existing)})
        return JsonResponse({"created": _picture(image)}, status=201)
