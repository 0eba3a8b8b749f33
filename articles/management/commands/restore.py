from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupError, restore, verify
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into a freshly migrated database: checksums are "
        "verified first, and the data loads in one transaction, so a damaged backup changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--dry-run", action="store_true", help="Only verify the backup.")
        parser.add_argument(
            "--force", action="store_true", help="Restore even though the database already holds stories."
        )

    def handle(self, folder, dry_run=False, force=False, **options):
        try:
            if dry_run:
                manifest = verify(folder)
                self.stdout.write(f"{folder} is complete: {sum(manifest['rows'].values())} rows.")
                return
            if Article.objects.exists() and not force:
                raise CommandError(
                    "The database already holds stories. Restore into a fresh database "
                    "(migrate first), or pass --force to load the backup over it."
                )
            manifest = restore(folder)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Restored {rows} rows and {len(manifest['files'])} media files.")
        )
