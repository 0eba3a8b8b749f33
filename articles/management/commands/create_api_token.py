from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken


class Command(BaseCommand):
    help = "Create an API token for a staff user and print it once. Revoke tokens in the admin."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called “{options['username']}”.")
        if not (user.is_active and user.is_staff):
            raise CommandError(f"“{user.username}” is not an active staff account; API writes need one.")
        _, token = AuthToken.objects.create(user=user)
        # Only a digest is stored: this is the one time the token can be read.
        self.stdout.write(token)
