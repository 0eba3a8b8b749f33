"""Pictures and embeds in the admin: uploads through the picture pipeline, focal points, where used."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles import permissions, shared_objects
from articles.desk.pictures import PictureDropMixin, stories_showing_count
from articles.desk.thumbs import thumbnail
from articles.media.processing import UploadRefused, prepare_upload
from articles.media.renditions import discard_crops
from articles.media.uploads import find_duplicate, image_create
from articles.models import Embed, Image
from newsroom.busy_admin import KeepFormWhenBusy

from .records import SharedObjectAdmin


class ImageUploadForm(forms.ModelForm):
    # A plain file field: the pipeline, not the field, decides whether the file is a picture we accept.
    file = forms.FileField(
        label="Picture", help_text=Image._meta.get_field("file").help_text, allow_empty_file=True
    )

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "copyright", "focal_x", "focal_y"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.prepared = prepare_upload(upload)
        except UploadRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        if existing := find_duplicate(self.prepared):
            if not shared_objects.may_reach(self.uploader, existing):
                raise forms.ValidationError(shared_objects.DUPLICATE_OUT_OF_REACH)
            raise forms.ValidationError(
                format_html(
                    'This picture is already in the library as <a href="{}">image {} (“{}”)</a>. '
                    "Use that one rather than uploading it again.",
                    reverse("admin:articles_image_change", args=[existing.pk]),
                    existing.pk,
                    existing,
                )
            )
        return upload


@admin.register(Image)
class ImageAdmin(KeepFormWhenBusy, PictureDropMixin, SharedObjectAdmin, admin.ModelAdmin):
    list_display = ["preview", "__str__", "credit", "dimensions", "stories", "created_at"]
    list_display_links = ["preview", "__str__"]
    ordering = ["-created_at"]
    search_fields = ["alt_text", "caption", "credit", "copyright"]
    readonly_fields = ["focal_point_picker", "dimensions", "source_format", "used_in_stories", "sha256"]
    fieldsets = [
        (None, {"fields": ["focal_point_picker", ("focal_x", "focal_y"), "alt_text", "caption"]}),
        ("Credit", {"fields": ["credit", "copyright"]}),
        ("Use", {"fields": ["used_in_stories"]}),
        ("File", {"classes": ["collapse"], "fields": ["dimensions", "source_format", "sha256"]}),
    ]

    class Media:
        js = ["articles/admin/focal-point.js"]
        css = {"all": ["articles/admin/images.css"]}

    def get_queryset(self, request):
        # Counted among the stories this user may open, like the "Used in" list.
        visible = permissions.visible_articles(request.user).values("pk")
        return (
            super()
            .get_queryset(request)
            .prefetch_related("renditions")
            .annotate(story_count=stories_showing_count(among=visible))
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            # The form words a duplicate by what the uploader may reach.
            kwargs["form"] = type("ImageUploadForm", (ImageUploadForm,), {"uploader": request.user})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ImageUploadForm.Meta.fields})]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    @admin.display(description="Picture")
    def preview(self, image):
        return thumbnail(image)

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width}×{image.height}"

    @admin.display(description="Stories", ordering="story_count")
    def stories(self, image):
        return image.story_count

    @admin.display(description="Focal point")
    def focal_point_picker(self, image):
        return format_html(
            '<div class="focal-picker" data-focal-picker>'
            '<img src="{}" alt="" width="{}" height="{}"><span class="focal-marker" style="left:{}%;top:{}%">'
            '</span></div><p class="help">Click the centre of interest; crops keep it in frame.</p>',
            image.file.url,
            image.width,
            image.height,
            round(image.focal_x * 100, 2),
            round(image.focal_y * 100, 2),
        )

    @admin.display(description="Used in")
    def used_in_stories(self, image):
        stories = shared_objects.visible_stories_using(image, image.viewer).order_by("-updated_at")
        if not stories:
            return "Not used in any story."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[a.pk]),
                        a.headline,
                        a.get_status_display(),
                    )
                    for a in stories
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
            image_create(prepared=form.prepared, image=obj)
            return
        super().save_model(request, obj, form, change)
        if {"focal_x", "focal_y"} & set(form.changed_data):
            discard_crops(obj)

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, object_id)
        may_delete = image is not None and self.has_delete_permission(request, image)
        if may_delete and (stories := list(shared_objects.visible_stories_using(image, request.user))):
            names = ", ".join(f"“{story.headline}”" for story in stories[:5])
            more = f" and {len(stories) - 5} more" if len(stories) > 5 else ""
            self.message_user(
                request,
                f"This picture cannot be deleted: it is shown in {names}{more}. "
                "Remove it from those stories first.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:articles_image_change", args=[image.pk]))
        return super().delete_view(request, object_id, extra_context)


@admin.register(Embed)
class EmbedAdmin(KeepFormWhenBusy, SharedObjectAdmin, admin.ModelAdmin):
    list_display = ["__str__", "provider", "url"]
    ordering = ["-id"]
    search_fields = ["title", "fallback_text", "url", "provider"]
