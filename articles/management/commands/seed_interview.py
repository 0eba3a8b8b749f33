import json

from django.core.management.base import BaseCommand, CommandError

from articles.services.seeding import INTERVIEW, SeedError, article_load


class Command(BaseCommand):
    help = (
        "Load the exclusive Zelensky interview from its reviewed seed file and publish it. "
        "Re-running leaves an existing story alone; --reset reloads it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(INTERVIEW), help="Structured seed file (JSON).")
        parser.add_argument("--reset", action="store_true", help="Delete and reload the story if it exists.")
        parser.add_argument("--draft", action="store_true", help="Load as a draft instead of publishing.")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror}.") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{options['file']} is not valid UTF-8 JSON: {exc}.") from exc
        try:
            article, report = article_load(data, reset=options["reset"], publish=not options["draft"])
        except SeedError as exc:
            raise CommandError(f"{options['file']}: {exc} Nothing was written.") from exc
        for line in report.lines():
            self.stdout.write(line)
        verb = "Reloaded" if options["reset"] else ("Seeded" if report.created else "Already seeded")
        self.stdout.write(self.style.SUCCESS(f"{verb}: {article.headline} ({article.get_absolute_url()})"))
