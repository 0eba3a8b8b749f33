from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write the whole database and every media file into FOLDER (data, media.tar, manifest.json). "
        "Restore with `manage.py restore FOLDER`. Backups hold password hashes: store them like secrets."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, folder, **options):
        try:
            manifest = backup(folder)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {rows} rows and {len(manifest['files'])} media files to {folder}.")
        )
