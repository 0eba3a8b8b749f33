import segno
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.crypto import get_random_string

from articles.roles import ROLES
from newsroom import second_factor


class Command(BaseCommand):
    help = (
        "Create a staff account in a newsroom role with a generated password, printed once. "
        "An existing account is left alone unless --reset-password. Where two-factor sign-in is required "
        "(OTP_REQUIRED: editors and admins), a new account is enrolled at once: the authenticator-app "
        "link and backup codes are printed once; --two-factor enrols (again) on demand."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", default="editor", choices=sorted(ROLES), help="Group to join.")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--reset-password", action="store_true", help="Give an existing account a new password."
        )
        parser.add_argument(
            "--two-factor",
            action="store_true",
            help="Enrol the account for two-factor sign-in, replacing its authenticator and backup codes.",
        )
        parser.add_argument(
            "--qr", action="store_true", help="Also print the authenticator link as a QR code to scan."
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
        else:
            password = get_random_string(20)
            user.set_password(password)
            user.is_staff = True
            user.save()
            self.stdout.write(self.style.SUCCESS(f"{options['role'].capitalize()} account ready at /admin/"))
            self.stdout.write(f"  username: {user.username}")
            self.stdout.write(f"  password: {password}   (shown once; use --reset-password for a new one)")
        user = User.objects.get(pk=user.pk)  # permissions as the new group grants them
        required = second_factor.required_for(user)
        if options["two_factor"] or (required and not second_factor.enrolled(user)):
            self._enrol(user, qr=options["qr"])
        elif required:
            self.stdout.write(
                "  two-factor: enrolled (use --two-factor to replace the authenticator and codes)"
            )
        else:
            self.stdout.write(
                "  two-factor: not required for this account here (use --two-factor to enrol anyway)"
            )

    def _enrol(self, user, *, qr):
        authenticator, codes = second_factor.enrol(user)
        self.stdout.write(
            "  two-factor: add the account to an authenticator app (Aegis, 1Password, Google Authenticator)\n"
            "  by opening or scanning this link, shown once; the sign-in page then asks for its 6-digit code:"
        )
        self.stdout.write(f"    {authenticator.config_url}")
        if qr:
            segno.make(authenticator.config_url).terminal(out=self.stdout, compact=True)
        self.stdout.write("  backup codes, each good for one sign-in without the app (keep them safe):")
        self.stdout.write("    " + "  ".join(codes))
