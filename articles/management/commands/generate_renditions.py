"""Make the responsive renditions of stored images: backfill, retry, or rebuild after a settings change."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from articles.media.renditions import generate_renditions, plan
from articles.models import Image, Rendition, delete_files_after_commit


class Command(BaseCommand):
    help = (
        "Make the renditions images lack (--missing), or rebuild every rendition of the chosen images "
        "(for example after changing IMAGE_RENDITION_WIDTHS or IMAGE_RENDITION_FORMATS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Image ids; all images when omitted.")
        parser.add_argument(
            "--missing", action="store_true", help="Only make renditions that do not exist yet."
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be made; change nothing.")

    def handle(self, *args, ids, missing, dry_run, **options):
        images = Image.objects.order_by("pk").annotate(stored=Count("renditions"))
        if ids:
            images = images.filter(pk__in=ids)
            if unknown := set(ids) - set(images.values_list("pk", flat=True)):
                raise CommandError(f"No image with id {', '.join(map(str, sorted(unknown)))}.")
        total = images.count()
        made = 0
        for number, image in enumerate(images.iterator(), start=1):
            wanted = len(plan(image))
            if missing and image.stored >= wanted:
                continue
            progress = f"[{number}/{total}] image {image.pk}:"
            if dry_run:
                todo = wanted - image.stored if missing else wanted
                self.stdout.write(f"{progress} would make {todo} rendition(s)")
                continue
            if not missing:
                stale = Rendition.objects.filter(image=image)
                delete_files_after_commit(
                    Rendition._meta.get_field("file").storage, list(stale.values_list("file", flat=True))
                )
                stale.delete()
            try:
                count = generate_renditions(image.pk)
            except (OSError, ValueError) as exc:
                self.stderr.write(self.style.ERROR(f"{progress} failed: {exc}"))
                continue
            made += count
            self.stdout.write(f"{progress} made {count} rendition(s)")
        self.stdout.write(self.style.SUCCESS(f"{made} rendition(s) made for {total} image(s)."))
