"""The story admin's workflow pages: move buttons, preview, revision history, presence, conflict check.

Everything here parses a request and calls articles.services or articles.revisions; the rules live there.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from reversion.admin import VersionAdmin

from articles import permissions, preview, revisions
from articles.content import limits
from articles.links import absolute
from articles.models import Article, Correction, EditingPresence
from articles.services.editing import article_record_edit, article_restore
from articles.services.errors import WorkflowError
from articles.services.previews import preview_link_make, preview_links_revoke
from articles.services.scheduling import article_schedule
from articles.services.workflow import (
    MOVES,
    article_correct,
    article_kill,
    article_publish,
    article_send_back,
    article_submit,
    article_unpublish,
    available_moves,
)
from articles.views import story_context

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 1}, format="%Y-%m-%dT%H:%M:%S")


def _moment(label, help_text, required=False):
    return forms.DateTimeField(label=label, required=required, widget=DATETIME_WIDGET, help_text=help_text)


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Optional; kept in the audit log."
    )


class PublishForm(forms.Form):
    embargo_until = _moment(
        "Embargo until", "Leave empty to publish now. With a time, the story stays hidden until then."
    )


class ScheduleForm(forms.Form):
    go_live_at = _moment("Go live at", "When the story becomes public.", required=True)
    expires_at = _moment("Expires at", "Optional: when the story disappears from public view.")
    embargo_until = _moment("Embargo until", "Optional: keep it hidden until this later time.")


class KillForm(forms.Form):
    notice = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to readers where the story stood, e.g. why it was withdrawn.",
    )


class CorrectForm(forms.Form):
    kind = forms.ChoiceField(choices=Correction.Kind.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="Printed with the story, e.g. what was wrong."
    )


class PreviewLinkForm(forms.Form):
    hours = forms.IntegerField(
        min_value=1,
        max_value=int(preview.MAX_LIFETIME.total_seconds() // 3600),
        initial=int(preview.DEFAULT_LIFETIME.total_seconds() // 3600),
        help_text="How long the link works.",
    )


# Each move: the form its page shows, and how its cleaned data calls the service.
MOVE_PAGES = {
    "submit": (NoteForm, lambda a, u, d: article_submit(article=a, by=u, note=d["note"])),
    "send_back": (NoteForm, lambda a, u, d: article_send_back(article=a, by=u, note=d["note"])),
    "publish": (
        PublishForm,
        lambda a, u, d: article_publish(article=a, by=u, embargo_until=d["embargo_until"]),
    ),
    "schedule": (
        ScheduleForm,
        lambda a, u, d: article_schedule(
            article=a,
            by=u,
            go_live_at=d["go_live_at"],
            expires_at=d["expires_at"],
            embargo_until=d["embargo_until"],
        ),
    ),
    "unpublish": (NoteForm, lambda a, u, d: article_unpublish(article=a, by=u, note=d["note"])),
    "kill": (KillForm, lambda a, u, d: article_kill(article=a, by=u, notice=d["notice"])),
    "correct": (
        CorrectForm,
        lambda a, u, d: article_correct(article=a, by=u, kind=d["kind"], note=d["note"]),
    ),
}


def who_saved(article):
    """A readable name for whoever saved the story last."""
    user = article.updated_by
    if user is None:
        latest = revisions.history(article).first()
        user = latest.revision.user if latest else None
    if user is None:
        return "The scheduler or an automatic import"
    return user.get_full_name() or user.get_username()


class ArticleAdminForm(forms.ModelForm):
    """The story form, refusing to overwrite a save made after it was opened."""

    edit_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_token"].initial = self.instance.etag

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > limits.MAX_TAGS:
            raise ValidationError(limits.too_many("tags", len(tags), limits.MAX_TAGS), code="max_length")
        return tags

    def clean(self):
        cleaned = super().clean()
        opened = self.data.get(self.add_prefix("edit_token"))
        if self.instance.pk and opened:
            # Locked until the admin's transaction ends, so two saves at the same moment queue up.
            current = (
                Article.objects.select_for_update(of=("self",))
                .select_related("updated_by")
                .get(pk=self.instance.pk)
            )
            if current.etag != opened:
                when = date_format(timezone.localtime(current.updated_at), "j M Y, H:i:s T")
                raise ValidationError(
                    f"{who_saved(current)} saved this story at {when}, after you opened it. Your changes "
                    "have not been saved, so nothing of theirs was overwritten. Open the story in a new tab "
                    "to see their version (see History to compare), copy your changes across there and "
                    "save again.",
                    code="conflict",
                )
        return cleaned


class WorkflowAdminMixin:
    """Adds the workflow pages to the story admin. Mixed into ArticleAdmin ahead of VersionAdmin."""

    change_form_template = "admin/articles/article/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/move/<str:verb>/", view(self.move_view), name="articles_article_move"),
            path("<int:object_id>/preview/", view(self.preview_view), name="articles_article_preview"),
            path(
                "<int:object_id>/preview-link/",
                view(self.preview_link_view),
                name="articles_article_preview_link",
            ),
            path(
                "<int:object_id>/preview-link/revoke/",
                view(self.revoke_preview_links_view),
                name="articles_article_revoke_preview_links",
            ),
            path("<int:object_id>/presence/", view(self.presence_view), name="articles_article_presence"),
            path(
                "<int:object_id>/history/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<int:object_id>/history/<int:version_id>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def _story(self, request, object_id):
        """The story if this user may see it; otherwise a 404 that reveals nothing."""
        article = self.get_queryset(request).filter(pk=object_id).first()
        if article is None:
            raise Http404("No such story.")
        return article

    def _page(self, request, article, template, title, **context):
        return TemplateResponse(
            request,
            f"admin/articles/article/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": article,
                "title": title,
                **context,
            },
        )

    def _back(self, article):
        return redirect("admin:articles_article_change", article.pk)

    # Moves: a confirmation page with whatever the move needs, then the service call.

    def move_view(self, request, object_id, verb):
        article = self._story(request, object_id)
        if verb not in MOVE_PAGES:
            raise Http404("No such move.")
        move = MOVES[verb]
        if not move.allowed(request.user, article):
            raise PermissionDenied(f"You cannot {move.label.lower()} this story.")
        form_class, run = MOVE_PAGES[verb]
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run(article, request.user, form.cleaned_data)
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{move.doing[:1].upper()}{move.doing[1:]}.")
                return self._back(article)
        problems = article.publication_problems() if verb in ("publish", "schedule") else []
        return self._page(
            request, article, "move.html", f"{move.label}: {article.headline}", form=form, problems=problems
        )

    # Preview: the reader template for any story, and signed links for people outside the admin.

    def preview_view(self, request, object_id):
        article = self._story(request, object_id)
        article = Article.objects.with_related().get(pk=article.pk)
        response = TemplateResponse(request, "articles/article.html", story_context(article, preview=True))
        preview.mark_private(response)
        return response

    def preview_link_view(self, request, object_id):
        article = self._story(request, object_id)
        if not preview.can_make_link(request.user, article):
            raise PermissionDenied("You cannot make preview links for this story.")
        form = PreviewLinkForm(request.POST or None)
        links = None
        if request.method == "POST" and form.is_valid():
            lifetime = timedelta(hours=form.cleaned_data["hours"])
            token = preview_link_make(article=article, by=request.user, lifetime=lifetime)
            links = {name: absolute(url) for name, url in preview.links(article, token).items()}
            links["expires"] = timezone.now() + lifetime
        return self._page(
            request, article, "preview_link.html", f"Preview link: {article.headline}", form=form, links=links
        )

    def revoke_preview_links_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._story(request, object_id)
        preview_links_revoke(article=article, by=request.user)
        messages.success(request, f"“{article.headline}”: every preview link made so far no longer opens it.")
        return self._back(article)

    # Presence: the change form reports every half minute who else has the story open.

    @staticmethod
    def _names(presences):
        return [p.user.get_full_name() or p.user.get_username() for p in presences]

    def presence_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._story(request, object_id)
        others = EditingPresence.touch(article, request.user)
        return JsonResponse({"others": self._names(others)})

    # Revisions: history, side-by-side comparison, restore as a new revision.

    def history_view(self, request, object_id, extra_context=None):
        article = self._story(request, object_id)
        return self._page(
            request,
            article,
            "revisions.html",
            f"History: {article.headline}",
            versions=[(v, revisions.label(v)) for v in revisions.history(article)[:200]],
            can_restore=permissions.can_edit(request.user, article),
        )

    def _version(self, article, version_id):
        return get_object_or_404(revisions.history(article), pk=version_id)

    def compare_view(self, request, object_id):
        article = self._story(request, object_id)
        try:
            older, newer = (self._version(article, int(request.GET[key])) for key in ("old", "new"))
        except (KeyError, ValueError):
            messages.error(request, "Choose two revisions to compare.")
            return redirect("admin:articles_article_history", article.pk)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        table = revisions.side_by_side(
            revisions.version_lines(older),
            revisions.version_lines(newer),
            revisions.label(older),
            revisions.label(newer),
        )
        return self._page(
            request, article, "compare.html", f"Compare revisions: {article.headline}", table=table
        )

    def restore_view(self, request, object_id, version_id):
        article = self._story(request, object_id)
        version = self._version(article, version_id)
        if not permissions.can_edit(request.user, article):
            raise PermissionDenied("You cannot edit this story.")
        if request.method == "POST":
            try:
                article_restore(article=article, by=request.user, version=version)
            except WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Restored the revision of {revisions.label(version)}.")
            return self._back(article)
        table = revisions.side_by_side(
            revisions.current_lines(article),
            revisions.version_lines(version),
            "As it stands now",
            revisions.label(version),
        )
        return self._page(
            request, article, "restore.html", f"Restore: {article.headline}", table=table, version=version
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # The library's own revert form would also roll back status and times; ours keeps them.
        return redirect("admin:articles_article_restore", object_id, version_id)

    def recover_view(self, request, version_id, extra_context=None):
        if not request.user.is_superuser:
            raise PermissionDenied("Only an administrator can recover a deleted story.")
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not request.user.is_superuser:
            raise PermissionDenied("Only an administrator can recover a deleted story.")
        return super().recoverlist_view(request, extra_context)

    def changelist_view(self, request, extra_context=None):
        # django-reversion would wrap the whole list page in one revision, so a bulk move would record
        # every selected story together and restoring one would bring back the others. Each move
        # records its own story's revision instead.
        return super(VersionAdmin, self).changelist_view(request, extra_context)

    # The change form: moves, presence and the conflict token.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_queryset(request).filter(pk=object_id).first()
        context = dict(extra_context or {})
        if article is not None:
            context.update(
                moves=[(v, MOVES[v].label) for v in available_moves(request.user, article)],
                others_editing=self._names(EditingPresence.touch(article, request.user)),
                overdue=Article.objects.overdue().filter(pk=article.pk).exists(),
                can_make_preview_link=preview.can_make_link(request.user, article),
            )
        return super().change_view(request, object_id, form_url, context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if change and (form.has_changed() or any(f.has_changed() for f in formsets)):
            # Edits to a live story are a new public version; drafts just save.
            article_record_edit(article=article, by=request.user)


def bulk_move(verb, description):
    """An admin action that makes one move on every selected story, reporting each refusal by name."""

    def action(modeladmin, request, queryset):
        done = 0
        for article in queryset:
            try:
                MOVE_PAGES[verb][1](article, request.user, {"note": "", "embargo_until": None})
            except (WorkflowError, PermissionDenied) as error:
                messages.error(request, f"“{article.headline}”: {error}")
            else:
                done += 1
        if done:
            stories = "story" if done == 1 else "stories"
            messages.success(request, f"{MOVES[verb].label}: {done} {stories}.")

    action.__name__ = f"{verb}_selected"
    action.short_description = description
    action.allowed_permissions = ("publish",) if verb != "submit" else ("change",)
    return action
