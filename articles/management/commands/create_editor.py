from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.crypto import get_random_string

from articles.roles import ROLES


class Command(BaseCommand):
    help = (
        "Create a staff account in a newsroom role with a generated password, printed once. "
        "An existing account is left alone unless --reset-password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", default="editor", choices=sorted(ROLES), help="Group to join.")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--reset-password", action="store_true", help="Give an existing account a new password."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        try:
            group = Group.objects.get(name=options["role"])
        except Group.DoesNotExist as exc:
            raise CommandError(
                f"Role “{options['role']}” is missing; run `manage.py migrate` first."
            ) from exc
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=options["username"], defaults={"email": options["email"], "is_staff": True}
        )
        user.groups.add(group)
        if not created and not options["reset_password"]:
            self.stdout.write(f"Account “{user.username}” already exists; password unchanged.")
            return
        password = get_random_string(20)
        user.set_password(password)
        user.is_staff = True
        user.save()
        self.stdout.write(self.style.SUCCESS(f"{options['role'].capitalize()} account ready at /admin/"))
        self.stdout.write(f"  username: {user.username}")
        self.stdout.write(f"  password: {password}   (shown once; use --reset-password for a new one)")
