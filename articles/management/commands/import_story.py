import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from articles.importing import UnreadableInput, decode, parse, summary
from articles.services.errors import WorkflowError
from articles.services.imports import article_import
from articles.services.speakers import speakers_match
from articles.services.workflow import article_publish


class Command(BaseCommand):
    help = (
        "Turn a raw story (text as copied from a web page or wire) into a draft: headline, kicker, "
        "paragraphs, embeds, bylines, and quotes attributed to speakers, with unsure attributions "
        "flagged for an editor. The first line is the headline. Prints what it found."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The story as a text file, or - to read standard input.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; write nothing."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish straight away through the editorial workflow (needs --user, an editor). "
            "If the story cannot go out, nothing is created.",
        )
        parser.add_argument("--user", help="Username the import (and publication) is recorded under.")
        parser.add_argument("--encoding", default="utf-8", help="The file's text encoding (default UTF-8).")

    def handle(self, *args, **options):
        path = options["file"]
        user = self._user(options["user"]) if options["user"] else None
        if options["publish"] and user is None:
            raise CommandError("--publish needs --user: the editor on whose authority the story goes out.")
        try:
            data = sys.stdin.buffer.read() if path == "-" else self._read(path)
            story = parse(decode(data, options["encoding"]))
        except UnreadableInput as exc:
            raise CommandError(f"Cannot import {path}: {exc} Nothing was created.") from exc

        if options["dry_run"]:
            status = {key: label for key, (_, label) in speakers_match(story.speakers).items()}
            self._print(summary(story, status))
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
            return

        try:
            with transaction.atomic():
                result = article_import(story=story, by=user)
                if options["publish"]:
                    article_publish(article=result.article, by=user)
        except (WorkflowError, PermissionDenied) as exc:
            raise CommandError(
                f"Cannot publish {path}: {exc} Nothing was created; import it without --publish to review it."
            ) from exc

        article = result.article
        article.refresh_from_db()
        self._print(summary(story, result.speaker_status))
        for name in result.uncredited:
            self.stdout.write(self.style.WARNING(f"Not credited (you cannot add contributors): {name}"))
        change = reverse("admin:articles_article_change", args=[article.pk])
        quotes = reverse("admin:articles_quote_changelist") + f"?article__id__exact={article.pk}"
        self.stdout.write(
            self.style.SUCCESS(f"{article.get_status_display()}: {article.headline} (slug {article.slug})")
        )
        self.stdout.write(f"Edit: {change}\nReview quotes: {quotes}")

    def _read(self, path):
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc

    def _user(self, username):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user called “{username}”.") from exc

    def _print(self, lines):
        for line in lines:
            self.stdout.write(line)
