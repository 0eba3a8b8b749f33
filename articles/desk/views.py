"""The story page's desk endpoints: quote judgements from the panel, pictures dropped on the form.

Each parses a request and calls articles.desk.quotes or the media pipeline; the rules live there.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.urls import path

from articles import permissions, shared_objects
from articles.importing import SpeakerRef
from articles.models import Block, Quote, Speaker
from articles.services.errors import WorkflowError
from articles.services.speakers import speakers_match

from . import quotes as desk_quotes

QUOTE_ACTIONS = {"confirm", "drop", "reassign", "make"}


def _json_error(message, status=400):
    return JsonResponse({"error": message}, status=status)


def quote_cards(block):
    """The quote panel beside one paragraph, as HTML for the page to swap in."""
    block_quotes = block.quotes_in.select_related("speaker").order_by("position", "id")
    return render_to_string("admin/desk/quote_panel.html", {"quotes": desk_quotes.judged(block_quotes)})


class DeskStoryMixin:
    """Adds the quote panel's endpoint to the story admin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/quotes/", view(self.quotes_view), name="articles_article_quotes"),
            *super().get_urls(),
        ]

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False):
        # Django's own confirmations name the model and repeat the headline; the desk just says what happened.
        text = str(message)
        if level == messages.SUCCESS and "was added successfully" in text:
            message = "Saved as a draft."
        elif level == messages.SUCCESS and "was changed successfully" in text:
            message = "Saved."
        super().message_user(request, message, level, extra_tags, fail_silently)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        if str(object_id).isdigit():
            context["loose_quotes"] = Quote.objects.filter(
                article_id=object_id, block__isnull=True
            ).select_related("speaker")
        return super().change_view(request, object_id, form_url, context)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Block:
            written = [
                *formset.new_objects,
                *(obj for obj, fields in formset.changed_objects if "text" in fields),
            ]
            request.desk_written_blocks = written

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        written = getattr(request, "desk_written_blocks", [])
        if strayed := desk_quotes.quotes_flag_strayed(changed=written):
            quotes = f"{strayed} quote{'s' if strayed != 1 else ''}"
            messages.warning(request, f"{quotes} no longer found in the text: flagged for review.")
        proposed = desk_quotes.quotes_propose(
            article=form.instance, changed=written, speakers=shared_objects.reachable(Speaker, request.user)
        )
        if proposed:
            count = f"{len(proposed)} quote{'s' if len(proposed) != 1 else ''}"
            messages.info(
                request, f"{count} found in the text: confirm, reassign or drop each beside its paragraph."
            )

    def quotes_view(self, request, object_id):
        """Confirm, reassign or drop a quote, or make one from selected words; answer with the new panel."""
        article = permissions.visible_articles(request.user).filter(pk=object_id).first()
        if article is None:
            raise Http404("No such story.")
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not permissions.can_edit(request.user, article):
            return _json_error("You cannot edit this story.", 403)
        action = request.POST.get("action")
        if action not in QUOTE_ACTIONS:
            return _json_error("Unknown action.")
        try:
            if action == "make":
                block = article.blocks.filter(
                    pk=_number(request.POST.get("block")), type=Block.Type.PARAGRAPH
                ).first()
                if block is None:
                    return _json_error("Save the story first: that paragraph is not saved yet.")
                desk_quotes.quote_make(block=block, by=request.user, words=request.POST.get("words", ""))
            else:
                quote = article.quotes.filter(pk=_number(request.POST.get("quote"))).first()
                if quote is None:
                    return _json_error("That quote is no longer in this story.", 404)
                block = quote.block
                if action == "confirm":
                    desk_quotes.quote_confirm(quote=quote, by=request.user)
                elif action == "drop":
                    desk_quotes.quote_drop(quote=quote, by=request.user)
                else:
                    name = request.POST.get("name", "").strip()
                    if not name:
                        return _json_error("Type the speaker's name.")
                    if not _may_name(request.user, name):
                        return _json_error(
                            "Only an editor can add a new speaker: pick one from the list.", 403
                        )
                    desk_quotes.quote_reassign(
                        quote=quote,
                        by=request.user,
                        name=name,
                        speakers=shared_objects.reachable(Speaker, request.user),
                    )
        except WorkflowError as error:
            return _json_error(str(error))
        except PermissionDenied as error:
            return _json_error(str(error), 403)
        article.refresh_from_db(fields=["updated_at", "version"])
        return JsonResponse(
            {
                "block": block.pk if block else None,
                "panel": quote_cards(block) if block else "",
                "edit_token": article.etag,
                "flagged": article.quotes.flagged().count(),
            }
        )


def _number(value):
    return int(value) if str(value or "").isdigit() else None


def _may_name(user, name):
    reachable = shared_objects.reachable(Speaker, user)
    found, _ = speakers_match([SpeakerRef(key="typed", name=name)], among=reachable)["typed"]
    return found is not None or user.has_perm("articles.add_speaker")
